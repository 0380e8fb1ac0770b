# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A real Odoo server (odoo-bin, multi-worker) on a free local port, for tests that talk to it the way an
integrator or several users at once would: XML-RPC, concurrency.

The server runs on its own copy of the test database's clean snapshot ($LST_TEMPLATE_DB, made by
`make test` right after installing the module), so what it commits never reaches the other tests."""

import os
import shutil
import socket
import subprocess
import time
import uuid
import xmlrpc.client
from pathlib import Path

ADMIN = ("admin", "admin")


def available():
    return bool(os.environ.get("LST_CONF") and os.environ.get("LST_TEMPLATE_DB"))


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clone_template(prefix="lst_srv", template=None):
    """A new database copied from the clean snapshot (with its filestore), or from `template`."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    template = template or os.environ["LST_TEMPLATE_DB"]
    subprocess.run(["createdb", "-T", template, name], check=True, capture_output=True)
    data_dir = Path(os.environ["LST_DATA_DIR"]) / "filestore"
    if (data_dir / template).exists():
        shutil.copytree(data_dir / template, data_dir / name)
    return name


def drop_db(name):
    subprocess.run(["dropdb", "--if-exists", "--force", name], check=False, capture_output=True)
    shutil.rmtree(Path(os.environ["LST_DATA_DIR"]) / "filestore" / name, ignore_errors=True)


class LiveServer:
    """`with LiveServer(workers=2) as srv:` starts odoo-bin on a fresh database copy, stops it and drops the
    database on exit. `srv.rpc(login, password)` gives an `Rpc` client."""

    def __init__(self, workers=2, db_prefix="lst_srv", cron_threads=0, default_limits=False, template=None):
        """`cron_threads`: cron workers (0: crons never run by themselves). `default_limits`: Odoo's own default
        time and memory limits (60 s CPU, 120 s real, 2 GiB soft / 2.5 GiB hard memory per worker) instead of
        the generous ones the other tests use. `template`: the database to copy (default $LST_TEMPLATE_DB)."""
        self.workers = workers
        self.db_prefix = db_prefix
        self.cron_threads = cron_threads
        self.default_limits = default_limits
        self.template = template
        self.db = None
        self.port = None
        self.proc = None
        self.log_path = None

    def __enter__(self):
        self.db = clone_template(self.db_prefix, self.template)
        self.port = _free_port()
        self.log_path = Path(os.environ["LST_DATA_DIR"]) / f"{self.db}.log"
        cmd = [
            os.environ["LST_VPY"],
            os.path.join(os.environ["LST_ODOO_SRC"], "odoo-bin"),
            "-c",
            os.environ["LST_CONF"],
            "-d",
            self.db,
            "--db-filter",
            f"^{self.db}$",
            "--http-interface",
            "127.0.0.1",
            "--http-port",
            str(self.port),
            "--gevent-port",
            str(_free_port()),
            "--workers",
            str(self.workers),
            "--max-cron-threads",
            str(self.cron_threads),
            "--log-level",
            "warn",
            # the background batch's chunks, with their times (bench_batch_scale.py prints them)
            "--log-handler",
            "odoo.addons.lot_serial_tracking.models.mrp_production_batch_job:INFO",
            "--logfile",
            str(self.log_path),
        ]
        if self.default_limits:
            # Odoo 18's defaults (odoo/tools/config.py); limit_time_real_cron -1: the cron takes limit_time_real
            cmd += ["--limit-time-real", "120", "--limit-time-cpu", "60", "--limit-time-real-cron", "-1"]
            cmd += ["--limit-memory-soft", str(2048 * 1024**2), "--limit-memory-hard", str(2560 * 1024**2)]
        else:
            cmd += ["--limit-time-real", "600", "--limit-time-cpu", "600"]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"odoo-bin exited ({self.proc.returncode}); see {self.log_path}")
            try:
                xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common").version()
                break
            except OSError:
                time.sleep(0.3)
        else:
            self.__exit__(None, None, None)
            raise RuntimeError(f"odoo-bin did not answer within 120 s; see {self.log_path}")
        return self

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()
        if self.db:
            drop_db(self.db)
        return False

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def log(self):
        return self.log_path.read_text() if self.log_path and self.log_path.exists() else ""

    def rpc(self, login, password):
        return Rpc(self.url, self.db, login, password)


class Rpc:
    """What an integrator writes with xmlrpc.client: authenticate, then execute_kw."""

    def __init__(self, url, db, login, password):
        self.db = db
        self.password = password
        self.uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=False).authenticate(
            db, login, password, {}
        )
        if not self.uid:
            raise RuntimeError(f"cannot log in as {login}")
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=False)

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        res = self("ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], fields=["res_id"])
        return res[0]["res_id"]


# ---------------------------------------------------------------- users of the access matrices
# The four kinds of users issue 14 asks every call to be tried as (devtests/test_rpc_*.py): company A's Inventory
# User and Inventory Administrator, an Inventory User of another company (B) and a portal user.
STOCK_USER = ["stock.group_stock_user", "stock.group_production_lot"]
USER_KINDS = {
    "inv_user": ("A", STOCK_USER),
    "inv_admin": ("A", ["stock.group_stock_manager", "stock.group_production_lot"]),
    "user_b": ("B", STOCK_USER),
    "portal": ("A", ["base.group_portal"]),
}
FAULT_USER_ERROR = 2  # odoo/addons/base/controllers/rpc.py RPC_FAULT_CODE_WARNING: UserError, ValidationError
FAULT_ACCESS_ERROR = 4  # RPC_FAULT_CODE_ACCESS_ERROR; code 1 is any other exception, with its traceback


def create_users(srv, admin, prefix, kinds=None):
    """Create the users of `kinds` ({kind: (company "A" or "B", [group xmlids])}, default USER_KINDS) and a
    company B (with its warehouse) when one is needed; logins are `{prefix}_{kind}`, passwords
    `{kind}-pw-1234`. Sets srv.company_a, srv.company_b (or None), srv.as_user {kind: Rpc}; returns srv.as_user."""
    kinds = USER_KINDS if kinds is None else kinds
    srv.company_a = admin.ref("base.main_company")
    srv.company_b = None
    if any(company == "B" for company, _groups in kinds.values()):
        srv.company_b = admin("res.company", "create", {"name": f"{prefix} Company B"})
        admin("res.users", "write", [admin.uid], {"company_ids": [(4, srv.company_b)]})
        # Odoo makes a new company's warehouse in test mode only
        admin(
            "stock.warehouse",
            "create",
            {"name": f"{prefix} B Warehouse", "code": "BWH", "company_id": srv.company_b},
            context={"allowed_company_ids": [srv.company_b, srv.company_a]},
        )
    for kind, (company, groups) in kinds.items():
        company_id = srv.company_a if company == "A" else srv.company_b
        group_ids = [admin.ref(g) for g in groups]
        vals = {
            "name": f"{prefix} {kind}",
            "login": f"{prefix}_{kind}",
            "password": f"{kind}-pw-1234",
            "company_id": company_id,
            "company_ids": [(6, 0, [company_id])],
        }
        vals["groups_id"] = [(6, 0, group_ids)] if "base.group_portal" in groups else [(4, g) for g in group_ids]
        admin("res.users", "create", vals)
    srv.as_user = {kind: srv.rpc(f"{prefix}_{kind}", f"{kind}-pw-1234") for kind in kinds}
    return srv.as_user


def refusal(call, *args, **kwargs):
    """The fault of a refused call as ("AccessError" or "UserError", message); fails on any other fault (a
    traceback) or when the call succeeds."""
    try:
        result = call(*args, **kwargs)
    except xmlrpc.client.Fault as fault:
        kinds = {FAULT_ACCESS_ERROR: "AccessError", FAULT_USER_ERROR: "UserError"}
        assert fault.faultCode in kinds and "Traceback" not in fault.faultString, fault.faultString
        assert fault.faultString.strip(), "a refusal says why"
        return kinds[fault.faultCode], fault.faultString
    raise AssertionError(f"{args[:2]} was not refused: {result!r}")
