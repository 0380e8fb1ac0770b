#!/usr/bin/env python3
"""Development environment for the lot_serial_tracking add-on.

One entry point behind ``make run``, ``make test``, ``make bench`` and ``make test-odoo``.
It only uses the standard library, so it runs before the virtualenv exists.

Everything it creates lives in git-ignored folders of this repository (``.venv`` and ``.state``):
a virtualenv with Odoo's requirements, a private PostgreSQL cluster (own data dir, own socket dir,
no TCP listener, run as the ``postgres`` system user when started as root) and an Odoo config.
Each step checks its inputs first and stops with one line saying what is wrong and what to do.

Settings (environment variables):
  ODOO_SRC        Odoo 18.0 source tree            (default ~/.cache/odoo/18.0)
  LST_STATE       state folder (cluster, config)   (default <repo>/.state)
  LST_VENV        virtualenv                       (default <repo>/.venv)
  LST_PYTHON      Python 3.11 used for the venv    (default python3.11, else python3)
  LST_PG_BIN      PostgreSQL binaries              (default: newest /usr/lib/postgresql/*/bin)
  LST_PG_PORT     cluster port (socket name only)  (default 54329)
  LST_HTTP_PORT   Odoo web port for make run       (default 8069)
  LST_ADDONS      folder with the module symlink   (default ~/.cache/lot_serial_tracking/<hash>)
  LST_DB          database of make run             (default lst_demo)
  LST_TEST_DB     database of make test            (default lst_test)
  LST_PROGRESS_SECONDS  seconds between progress lines while a database is created (default 5)
  LST_KEEP_DBS    make test-odoo keeps its two databases (lst_odoo_without, lst_odoo_with) when set
"""

import ast
import hashlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODULE = "lot_serial_tracking"
ODOO_GIT = "https://github.com/odoo/odoo"
EXTRA_PACKAGES = [
    "pytest==8.3.5",
    "pytest-odoo==2.3.0",
    "websocket-client==1.8.0",
    "ruff==0.11.6",
    "pylint-odoo==9.3.24",
    "hypothesis==6.131.9",
]
# python-ldap is only needed by auth_ldap, which this project never installs; it also needs
# C headers that a bare machine lacks. Everything else in Odoo's requirements.txt is installed.
SKIPPED_REQUIREMENTS = ("python-ldap",)
SYSTEM_PACKAGES = {  # command -> Debian package, needed by make test (tours, PDF reports)
    "chromium": "chromium",
    "wkhtmltopdf": "wkhtmltopdf",
    "pdftotext": "poppler-utils",
}


class Stop(Exception):
    """A problem the user has to fix; printed as one line."""


def env(name, default):
    return os.environ.get(name) or default


ODOO_SRC = Path(env("ODOO_SRC", str(Path.home() / ".cache/odoo/18.0"))).expanduser()
STATE = Path(env("LST_STATE", str(REPO / ".state"))).resolve()
VENV = Path(env("LST_VENV", str(REPO / ".venv"))).resolve()
PG_PORT = int(env("LST_PG_PORT", "54329"))
HTTP_PORT = int(env("LST_HTTP_PORT", "8069"))
DB = env("LST_DB", "lst_demo")
TEST_DB = env("LST_TEST_DB", "lst_test")
DB_USER = "odoo"
PG_DATA = STATE / "pg" / "data"
PG_RUN = STATE / "pg" / "run"
PG_LOG = STATE / "pg" / "postgresql.log"
# The addons folder holding the module symlink must be outside the repository: a link inside it back
# to the repository makes Odoo's own tree walks (i18n export, static files) recurse forever.
_REPO_KEY = hashlib.sha1(str(REPO).encode()).hexdigest()[:12]
ADDONS = Path(env("LST_ADDONS", str(Path.home() / ".cache" / "lot_serial_tracking" / _REPO_KEY))).resolve()
CONF = STATE / "odoo.conf"
VPY = VENV / "bin" / "python"


def say(msg):
    print(f"[lst] {msg}", flush=True)


def run(cmd, check=True, quiet=False, **kw):
    if quiet:
        kw.setdefault("stdout", subprocess.DEVNULL)
        kw.setdefault("stderr", subprocess.DEVNULL)
    res = subprocess.run([str(c) for c in cmd], **kw)
    if check and res.returncode:
        raise Stop(f"command failed ({res.returncode}): {' '.join(map(str, cmd))}")
    return res


# ---------------------------------------------------------------- Odoo source
def odoo_source_problem(path):
    if not (path / "odoo-bin").exists() or not (path / "odoo" / "release.py").exists():
        return "no odoo-bin / odoo/release.py"
    if "version_info = (18, 0" not in (path / "odoo" / "release.py").read_text():
        return "not Odoo 18.0"
    for rel in ("odoo/addons/mrp", "odoo/addons/stock", "odoo/addons/web/static/lib/owl/owl.js"):
        if not (path / rel).exists():
            return f"incomplete ({rel} missing)"
    return None


def ensure_source():
    problem = odoo_source_problem(ODOO_SRC)
    if problem is None:
        return
    if not ODOO_SRC.exists() and shutil.which("git"):
        say(f"no Odoo source at {ODOO_SRC}; trying a shallow clone of Odoo 18.0 ...")
        ODOO_SRC.parent.mkdir(parents=True, exist_ok=True)
        try:
            res = run(
                ["git", "clone", "-q", "--depth", "1", "-b", "18.0", ODOO_GIT, ODOO_SRC],
                check=False,
                stdin=subprocess.DEVNULL,
                timeout=int(env("LST_CLONE_TIMEOUT", "900")),
                env=dict(os.environ, GIT_TERMINAL_PROMPT="0"),
            )
            if res.returncode == 0 and odoo_source_problem(ODOO_SRC) is None:
                return
        except subprocess.TimeoutExpired:
            pass
        shutil.rmtree(ODOO_SRC, ignore_errors=True)  # never leave a half clone for the next run
    raise Stop(
        f"Odoo 18.0 source not usable at {ODOO_SRC} ({problem}). Put a complete Odoo 18.0 tree there "
        "(odoo-bin, odoo/, odoo/addons with their static/lib folders) or set ODOO_SRC to one."
    )


# ---------------------------------------------------------------- virtualenv
def requirements_text():
    lines = []
    for line in (ODOO_SRC / "requirements.txt").read_text().splitlines():
        name = line.split(";")[0].split("==")[0].strip().lower()
        if name in SKIPPED_REQUIREMENTS:
            continue
        lines.append(line)
    return "\n".join(lines + EXTRA_PACKAGES) + "\n"


def find_python():
    for cand in (os.environ.get("LST_PYTHON"), "python3.11", "python3"):
        if cand and shutil.which(cand):
            out = run(
                [cand, "-c", "import sys;print('%d.%d'%sys.version_info[:2])"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
            if out == "3.11" or (cand == os.environ.get("LST_PYTHON") and out):
                return shutil.which(cand)
    raise Stop("Python 3.11 not found: install it (Odoo 18 runs on 3.10-3.12) or set LST_PYTHON.")


def ensure_venv():
    reqs = requirements_text()
    stamp_value = hashlib.sha256((reqs + str(ODOO_SRC)).encode()).hexdigest()
    stamp = VENV / ".lst-stamp"
    if stamp.exists() and stamp.read_text() == stamp_value and VPY.exists():
        return
    say(f"building virtualenv {VENV} (Odoo requirements + test tools) ...")
    python = find_python()
    if not VPY.exists():
        run([python, "-m", "venv", VENV])
    req_file = VENV / "lst-requirements.txt"
    req_file.write_text(reqs)
    constraint = VENV / "lst-build-constraints.txt"
    constraint.write_text("setuptools<80\n")  # cbor2 5.4.2 does not build with setuptools>=80
    log = VENV / "pip.log"
    pip_env = dict(os.environ, PIP_CONSTRAINT=str(constraint), PIP_DISABLE_PIP_VERSION_CHECK="1")
    with open(log, "w") as fh:
        res = run(
            [VPY, "-m", "pip", "install", "-r", req_file], check=False, env=pip_env, stdout=fh, stderr=subprocess.STDOUT
        )
    if res.returncode:
        tail = log.read_text().strip().splitlines()[-1:] or ["?"]
        raise Stop(f"pip install failed ({tail[0][:200]}); full log in {log}. Fix and re-run.")
    site = run(
        [VPY, "-c", "import sysconfig;print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True
    ).stdout.strip()
    Path(site, "odoo-src.pth").write_text(f"{ODOO_SRC}\n")
    stamp.write_text(stamp_value)


def ensure_system_packages(required):
    missing = [pkg for cmd, pkg in SYSTEM_PACKAGES.items() if not shutil.which(cmd)]
    if not missing:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say(f"installing {' '.join(missing)} with apt-get ...")
        aenv = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run(["apt-get", "update", "-qq"], check=False, quiet=True, env=aenv)
        res = run(["apt-get", "install", "-y", "-qq", *missing], check=False, quiet=True, env=aenv)
        if res.returncode == 0:
            return
    msg = f"missing system packages: {' '.join(missing)} (install them, e.g. apt-get install {' '.join(missing)})"
    if required:
        raise Stop(msg)
    say("warning: " + msg)


# ---------------------------------------------------------------- PostgreSQL
def pg_bin():
    if os.environ.get("LST_PG_BIN"):
        cands = [Path(os.environ["LST_PG_BIN"])]
    else:
        cands = sorted(
            Path("/usr/lib/postgresql").glob("*/bin"),
            key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
            reverse=True,
        )
        if shutil.which("pg_ctl"):
            cands.append(Path(shutil.which("pg_ctl")).parent)
    for cand in cands:
        if (cand / "pg_ctl").exists() and (cand / "initdb").exists():
            return cand
    raise Stop(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql, "
        "or set LST_PG_BIN to their folder."
    )


def as_pg_user(cmd):
    """Run server commands as the postgres system user when we are root (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return [str(c) for c in cmd]
    try:
        pwd.getpwnam("postgres")
    except KeyError as exc:
        raise Stop(
            "running as root but there is no 'postgres' system user to run the cluster "
            "(useradd postgres, or run as a normal user)"
        ) from exc
    return ["runuser", "-u", "postgres", "--"] + [str(c) for c in cmd]


def pg_env():
    return dict(os.environ, PGHOST=str(PG_RUN), PGPORT=str(PG_PORT), PGUSER=DB_USER)


def pg_ctl(*args, check=True):
    return run(as_pg_user([pg_bin() / "pg_ctl", "-D", PG_DATA, *args]), check=check, capture_output=True, text=True)


def pg_running():
    return PG_DATA.exists() and pg_ctl("status", check=False).returncode == 0


def ensure_pg():
    binpath = pg_bin()
    if len(str(PG_RUN)) > 90:
        raise Stop(f"state folder path too long for a PostgreSQL socket ({PG_RUN}); set LST_STATE shorter")
    PG_RUN.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(PG_RUN.parent, "postgres")
        shutil.chown(PG_RUN, "postgres")
        if run(as_pg_user(["test", "-w", PG_RUN]), check=False).returncode:
            raise Stop(
                f"the postgres user cannot write to {PG_RUN} (a parent folder is not "
                "traversable); set LST_STATE to a folder it can reach"
            )
    if not (PG_DATA / "PG_VERSION").exists():
        say(f"creating PostgreSQL cluster in {PG_DATA} ...")
        shutil.rmtree(PG_DATA, ignore_errors=True)
        res = run(
            as_pg_user(
                [binpath / "initdb", "-D", PG_DATA, "-U", DB_USER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]
            ),
            check=False,
            capture_output=True,
            text=True,
        )
        if res.returncode:
            shutil.rmtree(PG_DATA, ignore_errors=True)
            raise Stop(f"initdb failed: {(res.stderr or res.stdout).strip().splitlines()[-1:]}")
        with open(PG_DATA / "postgresql.conf", "a") as fh:
            fh.write(
                "\n# lot_serial_tracking dev cluster: socket only, tuned for throwaway test data\n"
                f"listen_addresses = ''\nunix_socket_directories = '{PG_RUN}'\nport = {PG_PORT}\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "max_connections = 200\nshared_buffers = 256MB\n"
            )
    if pg_running():
        return
    stale = PG_DATA / "postmaster.pid"
    if stale.exists():
        stale.unlink()  # the status check above says no server owns it
    res = run(
        as_pg_user(
            [
                binpath / "pg_ctl",
                "-D",
                PG_DATA,
                "-l",
                PG_LOG,
                "-w",
                "-t",
                "60",
                "-o",
                f"-p {PG_PORT} -k {PG_RUN}",
                "start",
            ]
        ),
        check=False,
        capture_output=True,
        text=True,
    )
    if res.returncode:
        tail = PG_LOG.read_text().strip().splitlines()[-1:] if PG_LOG.exists() else []
        raise Stop(f"PostgreSQL did not start: {tail}; see {PG_LOG}")


def stop_pg():
    if pg_running():
        pg_ctl("-m", "fast", "-w", "stop", check=False)


def psql(sql, db="postgres"):
    return run(
        [pg_bin() / "psql", "-X", "-q", "-tA", "-d", db, "-c", sql],
        env=pg_env(),
        capture_output=True,
        text=True,
        check=False,
    )


def db_exists(name):
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'").stdout.strip() == "1"


def drop_db(name):
    run([pg_bin() / "dropdb", "--if-exists", "--force", name], env=pg_env(), quiet=True)
    shutil.rmtree(STATE / "data" / "filestore" / name, ignore_errors=True)


# ---------------------------------------------------------------- Odoo
def ensure_addons_link():
    """Odoo finds the module by folder name; the clone may be named anything."""
    ADDONS.mkdir(parents=True, exist_ok=True)
    link = ADDONS / MODULE
    if link.is_symlink() and link.resolve() == REPO:
        return
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(REPO)


def write_conf():
    CONF.write_text(
        "[options]\n"
        f"addons_path = {ODOO_SRC / 'odoo' / 'addons'},{ADDONS}\n"
        f"data_dir = {STATE / 'data'}\n"
        f"db_host = {PG_RUN}\ndb_port = {PG_PORT}\ndb_user = {DB_USER}\ndb_password = False\n"
        "admin_passwd = admin\n"
        f"http_port = {HTTP_PORT}\n"
        "max_cron_threads = 0\n"
        "limit_time_real = 3600\nlimit_time_cpu = 3600\n"
    )


def bootstrap(system_required=False):
    ensure_source()
    ensure_venv()
    ensure_system_packages(system_required)
    ensure_pg()
    ensure_addons_link()
    write_conf()


def odoo_bin(*args, check=True, **kw):
    cmd = [VPY, ODOO_SRC / "odoo-bin", "-c", CONF, *args]
    return run(cmd, check=check, env=pg_env(), **kw)


class InstallProgress:
    """Says what a long database installation is doing, from Odoo's INFO log lines: the module being
    installed ("Loading module stock (12/48)", Odoo's own count), at most one line every `interval`
    seconds, and the last error line (for the failure message)."""

    LOADING = re.compile(r"odoo\.modules\.loading: Loading module (\S+) \((\d+)/(\d+)\)")
    DEMO = re.compile(r"odoo\.modules\.loading: Module (\S+): loading demo")
    ERROR = re.compile(r"^\S+ \S+ \d+ (?:ERROR|CRITICAL) ")

    def __init__(self, out=say, interval=5.0, clock=time.monotonic):
        self.out, self.interval, self.clock = out, interval, clock
        self.start = clock()
        self.last_said = None
        self.module, self.index, self.total, self.demo = None, 0, 0, False
        self.error = None

    def elapsed(self):
        return self.clock() - self.start

    def feed(self, line):
        if self.ERROR.match(line):
            self.error = self.error or line.strip()
        match = self.LOADING.search(line)
        if match:
            self.module, self.index, self.total = match[1], int(match[2]), int(match[3])
            self.demo = False
        elif self.DEMO.search(line):
            self.demo = True
        now = self.clock()
        if self.last_said is None or now - self.last_said >= self.interval:
            if self.module is None:
                self.out(f"  preparing the database ({self.elapsed():.0f} s)")
            else:
                what = f"demo data of {self.module}" if self.demo else self.module
                self.out(f"  installing {what} ({self.index}/{self.total} modules, {self.elapsed():.0f} s)")
            self.last_said = now


def create_db(name, demo=True, log=None):
    """Fresh database with the module installed (and demo data). Odoo's INFO log goes to `log`; the
    terminal gets a progress line every few seconds (InstallProgress)."""
    drop_db(name)
    log = log or STATE / "createdb.log"
    args = ["-d", name, "-i", MODULE, "--stop-after-init", "--no-http", "--log-level=info"]
    if not demo:
        args.append("--without-demo=all")
    progress = InstallProgress(interval=float(env("LST_PROGRESS_SECONDS", "5")))
    with open(log, "w") as fh:
        proc = subprocess.Popen(
            [str(c) for c in (VPY, ODOO_SRC / "odoo-bin", "-c", CONF, *args)],
            env=pg_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        try:
            for line in proc.stdout:
                fh.write(line)
                progress.feed(line)
            returncode = proc.wait()
        except KeyboardInterrupt:  # Odoo got the Ctrl-C too: never leave a half-installed database
            proc.wait()
            drop_db(name)
            raise
    if returncode:
        drop_db(name)
        detail = f" ({progress.error[:300]})" if progress.error else ""
        raise Stop(f"installing {MODULE} in database {name} failed{detail}; see {log}")
    say(f"  installed {progress.total or '?'} modules in {progress.elapsed():.0f} s")


def port_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


# ---------------------------------------------------------------- commands
def cmd_run():
    if not port_free(HTTP_PORT):
        raise Stop(f"port {HTTP_PORT} is in use: stop what uses it or set LST_HTTP_PORT to a free port")
    bootstrap()
    if not db_exists(DB):
        say(f"creating database {DB} with {MODULE} and demo data (first run only) ...")
        create_db(DB, log=STATE / "create-db.log")
        # admin / admin is the login the README announces
    say(f"Odoo is starting: http://localhost:{HTTP_PORT}  (login: admin / password: admin)  Ctrl-C stops it")
    proc = subprocess.Popen(
        [
            str(VPY),
            str(ODOO_SRC / "odoo-bin"),
            "-c",
            str(CONF),
            "-d",
            DB,
            "--db-filter",
            f"^{DB}$",
            "--http-port",
            str(HTTP_PORT),
        ],
        env=pg_env(),
    )
    try:
        proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    finally:
        say("stopping PostgreSQL ...")
        stop_pg()
    return 0


def lint():
    say("ruff ...")
    res = run([VENV / "bin" / "ruff", "check", "."], check=False, cwd=REPO)
    if res.returncode:
        raise Stop("ruff found problems (above)")
    say("pylint-odoo ...")
    res = run(
        [VPY, "-m", "pylint", "--rcfile", REPO / ".pylintrc", "--score=n", ADDONS / MODULE], check=False, cwd=REPO
    )
    if res.returncode:
        raise Stop("pylint-odoo found problems (above)")


def template_db(db):
    return f"{db}_tpl"


def snapshot_db(source, target):
    """A copy nobody connects to: tests that need a real server (XML-RPC, concurrency) clone it,
    since the test database itself is held open by pytest-odoo."""
    drop_db(target)
    run([pg_bin() / "createdb", "-T", source, target], env=pg_env(), quiet=True)
    src_fs = STATE / "data" / "filestore" / source
    if src_fs.exists():
        shutil.copytree(src_fs, STATE / "data" / "filestore" / target, dirs_exist_ok=True)


def test_env(db=None):
    return dict(
        pg_env(),
        LST_CONF=str(CONF),
        LST_ODOO_SRC=str(ODOO_SRC),
        LST_VPY=str(VPY),
        LST_REPO=str(REPO),
        LST_DATA_DIR=str(STATE / "data"),
        LST_TEMPLATE_DB=template_db(db or TEST_DB),
    )


def run_pytest(db, pytest_args):
    # pytest-odoo maps a test file to odoo.addons.<folder name>: go through the symlink, whose
    # folder is named after the module (the clone itself may be named anything).
    takes_value = {"-k", "-m", "-p", "-o", "-W", "--maxfail", "--deselect", "--durations", "--tb"}
    args, paths, previous = [], 0, None
    for arg in pytest_args:
        if arg.startswith("-") or previous in takes_value or Path(arg).is_absolute():
            args.append(arg)  # an option, or the value of the option before it (e.g. -k "guard and not ui")
        else:
            args.append(str(ADDONS / MODULE / arg))
            paths += 1
        previous = arg
    if not paths:  # tests/: Odoo test cases; devtests/: live-server, tooling, packaging and upgrade tests
        args += [str(ADDONS / MODULE / "tests"), str(ADDONS / MODULE / "devtests")]
    cmd = [
        VPY,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        f"--rootdir={ADDONS}",
        f"--odoo-config={CONF}",
        f"--odoo-database={db}",
        "--odoo-http",
        "--odoo-log-level=warn",
        *args,
    ]
    return run(cmd, check=False, env=test_env(db), cwd=ADDONS).returncode


def cmd_test(pytest_args):
    bootstrap(system_required=True)
    if not os.environ.get("LST_SKIP_LINT"):
        lint()
    t0 = time.time()
    say(f"creating fresh test database {TEST_DB} with {MODULE} and demo data ...")
    create_db(TEST_DB, log=STATE / "test-install.log")
    snapshot_db(TEST_DB, template_db(TEST_DB))
    say(f"installed in {time.time() - t0:.0f}s; running tests ...")
    return run_pytest(TEST_DB, pytest_args)


def cmd_pytest(pytest_args):
    """Tests on an existing database (LST_DEV_DB, default lst_dev), created by `createdb` first."""
    bootstrap(system_required=True)
    db = env("LST_DEV_DB", "lst_dev")
    if not db_exists(db):
        create_db(db, log=STATE / "createdb.log")
    if not db_exists(template_db(db)) or os.environ.get("LST_REFRESH_TEMPLATE"):
        snapshot_db(db, template_db(db))
    return run_pytest(db, pytest_args)


def cmd_upgrade(db):
    bootstrap()
    res = odoo_bin("-d", db, "-u", MODULE, "--stop-after-init", "--no-http", "--log-level=warn", check=False)
    if res.returncode:
        raise Stop(f"upgrading {MODULE} in {db} failed (above)")
    return 0


# ---------------------------------------------------------------- make test-odoo
# Odoo runs a module's at_install tests right after loading that module, in a registry holding only it and its
# dependencies: installing stock with --test-tags /stock never runs stock's tests with this module loaded. So the
# tests run from a throwaway module that depends on every target (and on this module in the "with" database):
# its tests package re-exposes the targets' test classes as subclasses, which Odoo runs at that module's
# at_install (at_install classes) or after the install (post_install classes), with everything loaded.
ODOO_TARGETS = (
    "stock", "mrp", "sale_stock", "purchase_stock", "stock_account", "mrp_account", "product_expiry",
    "stock_picking_batch", "repair", "mrp_subcontracting", "stock_dropshipping", "sale_mrp", "purchase_mrp",
    "stock_landed_costs", "mrp_product_expiry", "delivery",
)  # fmt: skip
SUITE_MODULE = "lst_odoo_suites"
SUITE_DBS = {"without": "lst_odoo_without", "with": "lst_odoo_with"}

SUITE_REEXPOSE = '''\
"""Odoo's own test classes of the target modules, re-exposed as subclasses defined in this module.

Odoo's loader runs the test classes *defined* in a module's tests/test_*.py (class.__module__ must be that
module) and its tag selector matches on test_module, which MetaCase derives from class.__module__. A subclass
created here therefore belongs to this module: it runs when this module is installed, after every target (and
lot_serial_tracking in the "with" database) is loaded. It keeps its class's tags, so at_install classes run at
this module's at_install and post_install classes in the post-install phase, each once: the originals belong to
their own modules, which --test-tags /{suite} does not select.
"""

import sys
import types
import unittest

from odoo.tests import loader


def own_member(cls, name):
    for klass in cls.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    raise ValueError(f"{{cls.__name__}} has no test method {{name}}")


def subclass(cls, module_name, methods=None):
    """cls re-exposed in module_name, running the test methods Odoo's loader would run for cls (or methods)."""
    namespace = {{"__module__": module_name, "__qualname__": cls.__name__, "__doc__": cls.__doc__}}
    if methods is not None:
        namespace["allow_inherited_tests_method"] = False
        namespace.update((name, own_member(cls, name)) for name in methods)
    elif not getattr(cls, "allow_inherited_tests_method", False):
        # the loader runs only the test methods in the class's own __dict__ (inherited ones run with their class)
        namespace.update(
            (name, member) for name, member in vars(cls).items() if name.startswith("test") and callable(member)
        )
    return type(cls)(cls.__name__, (cls,), namespace)


def reexpose(package_name, targets):
    """targets: {{module: None (all its test classes) or {{class name: None (all) or [method names]}}}}.

    Adds one submodule test_<module>__<file> per test file of each module to the package."""
    package = sys.modules[package_name]
    for target, wanted in targets.items():
        found = set()
        for source in loader.get_test_modules(target):
            name = f"test_{{target}}__{{source.__name__.rsplit('.', 1)[-1]}}"
            module = types.ModuleType(f"{{package_name}}.{{name}}")
            module.__file__ = getattr(source, "__file__", None)
            for obj in list(vars(source).values()):
                if not (
                    isinstance(obj, type) and issubclass(obj, unittest.TestCase) and obj.__module__ == source.__name__
                ):
                    continue
                if wanted is not None and obj.__name__ not in wanted:
                    continue
                methods = wanted[obj.__name__] if wanted is not None else None
                if methods is not None:
                    # two files may define classes of the same name (stock_picking_batch's TestBatchPicking):
                    # each takes the wanted methods it has
                    methods = [m for m in methods if any(m in vars(klass) for klass in obj.__mro__)]
                    if not methods:
                        continue
                    found.update((obj.__name__, m) for m in methods)
                found.add(obj.__name__)
                setattr(module, obj.__name__, subclass(obj, module.__name__, methods))
            sys.modules[module.__name__] = module
            setattr(package, name, module)
        missing = sorted(set(wanted or ()) - found)
        missing += sorted(
            f"{{klass}}.{{m}}" for klass, ms in (wanted or {{}}).items() for m in ms or () if (klass, m) not in found
        )
        if missing:
            raise ValueError(f"{{target}} has no test {{', '.join(missing)}}")
'''

SUITE_REGISTRY_CHECK = '''\
"""Proof that the re-exposed tests run in the registry wanted: {module} loaded (or not) with its overrides."""

import logging

from odoo.tests import TransactionCase, tagged

_logger = logging.getLogger(__name__)
MODULE = "{module}"
EXPECT_MODULE = {with_module!r}
TARGETS = {targets!r}


def check(case, phase):
    registry = case.registry
    loaded = MODULE in registry._init_modules
    prefix = f"odoo.addons.{{MODULE}}."
    classes = type(case.env["stock.move"]).__mro__
    overrides = sorted({{c.__module__ for c in classes if c.__module__.startswith(prefix)}})
    lots_group = case.env.ref("stock.group_production_lot") in case.env.ref("base.group_user").implied_ids
    missing = [name for name in TARGETS if name not in registry._init_modules]
    _logger.info(
        "lst-registry-check %s: %s loaded=%s, stock.move classes from it=%s, targets missing=%s, "
        "Lots & Serial Numbers for internal users=%s",
        phase, MODULE, loaded, overrides, missing, lots_group,
    )
    case.assertEqual(loaded, EXPECT_MODULE, f"{{MODULE}} in the registry")
    case.assertEqual(bool(overrides), EXPECT_MODULE, f"stock.move overridden by {{MODULE}}")
    case.assertFalse(missing, "every target is loaded")
    case.assertTrue(lots_group, "stock's demo data gives internal users Lots & Serial Numbers")


class TestLstRegistryAtInstall(TransactionCase):
    def test_registry(self):
        check(self, "at_install")


@tagged("post_install", "-at_install")
class TestLstRegistryPostInstall(TransactionCase):
    def test_registry(self):
        check(self, "post_install")
'''


def module_depends(path):
    return list(ast.literal_eval(Path(path, "__manifest__.py").read_text()).get("depends", []))


def parse_suite_args(args, known=None):
    """ARGS of make test-odoo -> {module: None (all its tests) or {class: None or [methods]}}.

    `stock mrp` picks targets; `mrp:TestTraceability` one class; `mrp:TestTraceability.test_x` one test."""
    targets = {}
    for arg in args:
        match = re.fullmatch(r"(\w+)(?::(\w+)(?:\.(\w+))?)?", arg)
        if not match:
            raise Stop(f"bad test-odoo argument {arg!r}: give MODULE, MODULE:Class or MODULE:Class.test_method")
        module, klass, method = match.groups()
        if known is not None and module not in known:
            raise Stop(f"{module} is not an Odoo module in {ODOO_SRC / 'odoo' / 'addons'}")
        if klass is None:
            targets[module] = None
        elif module not in targets or targets[module] is not None:
            classes = targets.setdefault(module, {})
            if method is None:
                classes[klass] = None
            elif klass not in classes or classes[klass] is not None:
                classes.setdefault(klass, []).append(method)
    return targets


def suite_module_files(targets, with_module):
    """The throwaway module, {relative path: text}: it depends on the targets (and this module) and re-exposes
    their test classes (see SUITE_REEXPOSE)."""
    depends = sorted(targets) + ([MODULE] if with_module else [])
    manifest = {
        "name": "Odoo's own tests of " + ", ".join(sorted(targets)) + (f" with {MODULE}" if with_module else ""),
        "summary": "Generated by lot_serial_tracking's tools/devenv.py for make test-odoo; never committed.",
        "version": "18.0.1.0.0",
        "depends": depends,
        "license": "LGPL-3",
        "installable": True,
    }
    header = "# Generated by lot_serial_tracking's tools/devenv.py (make test-odoo); never committed.\n"
    return {
        "__init__.py": header,
        "__manifest__.py": header + repr(manifest) + "\n",
        "tests/__init__.py": header
        + "from . import test_lst_registry\nfrom .reexpose import reexpose\n\n"
        + f"reexpose(__name__, {targets!r})\n",
        "tests/reexpose.py": SUITE_REEXPOSE.format(suite=SUITE_MODULE),
        "tests/test_lst_registry.py": SUITE_REGISTRY_CHECK.format(
            module=MODULE, with_module=bool(with_module), targets=sorted(targets)
        ),
    }


LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) \S+ (\S+): (.*)$")
SUITE_TEST_MODULE = re.compile(rf"^odoo\.addons\.{SUITE_MODULE}\.tests\.test_(\w+?)__(\w+)$")


def suite_test_id(module_path, klass, method):
    """odoo.addons.lst_odoo_suites.tests.test_stock__test_move, StockMove, test_in -> stock/tests/test_move.py::..."""
    match = SUITE_TEST_MODULE.match(module_path)
    where = f"{match.group(1)}/tests/{match.group(2)}.py" if match else module_path
    return f"{where}::{klass}::{method}"


def parse_suite_log(text):
    """Odoo's test log -> {"run": tests run or None, "failed": {test id: traceback}, "started": {target: count},
    "checks": [lst-registry-check lines]}. A failure is a FAIL:/ERROR: record (unittest's subtests count as
    their test, setUpClass/tearDownClass errors as a test named so)."""
    records, current = [], None
    for line in text.splitlines():
        match = LOG_RECORD.match(line)
        if match:
            current = [match.group(1), match.group(2), [match.group(3)]]
            records.append(current)
        elif current:
            current[2].append(line)
    failed, started, checks, run_count = {}, {}, [], None
    for level, logger, lines in records:
        message = lines[0]
        if message.startswith("Starting ") and SUITE_TEST_MODULE.match(logger):
            target = SUITE_TEST_MODULE.match(logger).group(1)
            started[target] = started.get(target, 0) + 1
        elif message.startswith("lst-registry-check "):
            checks.append(message)
        summary = re.search(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database", message)
        if summary:
            run_count = int(summary.group(3))
        match = re.match(r"(?:FAIL|ERROR): (.*)$", message)
        if level not in ("ERROR", "CRITICAL") or not match:
            continue
        desc = match.group(1).strip()
        holder = re.fullmatch(r"(\w+) \((\S+)\.(\w+)\)", desc)  # setUpClass (odoo.addons.x.tests.y.Class)
        plain = re.match(r"(?:Subtest )?(\S+)\.(\w+)(?: |$)", desc)  # Class.test_x / Subtest Class.test_x (..)
        if holder:
            test = suite_test_id(holder.group(2), holder.group(3), holder.group(1))
        elif plain:
            test = suite_test_id(logger, plain.group(1), plain.group(2))
        else:
            test = f"{logger}::{desc}"
        failed.setdefault(test, "\n".join(lines).strip())
    return {"run": run_count, "failed": failed, "started": started, "checks": checks}


def failure_summary(traceback_text):
    """The assertion/exception line of a failure record (the last line that is not a traceback frame)."""
    lines = [line.rstrip() for line in traceback_text.splitlines() if line.strip()]
    for index in range(len(lines) - 1, -1, -1):
        if re.match(r"^[\w.]+(Error|Exception|Failure|Warning|Interrupt|Exit)\b", lines[index].strip()):
            return " ".join(line.strip() for line in lines[index:])[:300]
    return (lines[-1].strip() if lines else "")[:300]


def suite_addons_path(extra=None):
    return ",".join(str(p) for p in (ODOO_SRC / "odoo" / "addons", ADDONS, extra) if p)


def installed_modules(db):
    res = psql("SELECT name FROM ir_module_module WHERE state = 'installed' ORDER BY name", db)
    return set(res.stdout.split())


def install_suite_db(variant, apps, root):
    """Fresh demo database with the apps (and this module for "with"): nothing runs Odoo's tests here."""
    db = SUITE_DBS[variant]
    modules = apps + ([MODULE] if variant == "with" else [])
    log = root / f"{variant}-install.log"
    drop_db(db)
    t0 = time.time()
    say(f"{variant}: installing {len(modules)} apps with demo data in {db} (log {log}) ...")
    with open(log, "w") as fh:
        res = odoo_bin(
            "-d", db, "-i", ",".join(modules), "--stop-after-init", "--no-http", "--log-level=warn",
            f"--addons-path={suite_addons_path()}", check=False, stdout=fh, stderr=subprocess.STDOUT,
        )  # fmt: skip
    if res.returncode:
        raise Stop(f"installing {','.join(modules)} in {db} failed; see {log}")
    return round(time.time() - t0)


def run_suite_db(variant, targets, root, rerun=False):
    """Install the throwaway module in the variant's database (update it for a re-run): Odoo runs the
    re-exposed tests."""
    db = SUITE_DBS[variant]
    folder = root / f"addons-{variant}"
    shutil.rmtree(folder, ignore_errors=True)
    for rel, text in suite_module_files(targets, variant == "with").items():
        path = folder / SUITE_MODULE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    log = root / f"{variant}-{'rerun' if rerun else 'tests'}.log"
    t0 = time.time()
    say(f"{variant}: {'re-running' if rerun else 'running'} the tests in {db} (log {log}) ...")
    with open(log, "w") as fh:
        odoo_bin(
            "-d", db, "-u" if rerun else "-i", SUITE_MODULE, "--test-tags", f"/{SUITE_MODULE}", "--stop-after-init",
            f"--http-port={HTTP_PORT}", "--log-level=info", "--log-handler=werkzeug:WARNING",
            f"--addons-path={suite_addons_path(folder)}", check=False, stdout=fh, stderr=subprocess.STDOUT,
        )  # fmt: skip
    result = parse_suite_log(log.read_text(errors="replace"))
    result["seconds"] = round(time.time() - t0)
    if result["run"] is None:
        raise Stop(f"{variant}: Odoo's test run did not finish (no summary line); see {log}")
    phases = {line.split()[1].rstrip(":") for line in result["checks"]}
    check_failed = [t for t in result["failed"] if "test_lst_registry" in t]
    if check_failed or phases != {"at_install", "post_install"}:
        raise Stop(
            f"{variant}: the registry check failed (expected {MODULE} {'loaded' if variant == 'with' else 'absent'}"
            f" and every target loaded), so the results say nothing; see {log}"
        )
    return result


def suite_targets_of(tests):
    """Test ids of parse_suite_log -> the targets argument that runs just them (a class for setUpClass)."""
    targets = {}
    for test in tests:
        match = re.fullmatch(r"(\w+)/tests/\w+\.py::(\w+)::(\w+)", test)
        if not match:
            continue
        target, klass, method = match.groups()
        classes = targets.setdefault(target, {})
        if method in ("setUpClass", "tearDownClass"):
            classes[klass] = None
        elif classes.get(klass, []) is not None:
            classes.setdefault(klass, []).append(method)
    return targets


def write_suite_report(path, results, again):
    without, with_ = results["without"]["failed"], results["with"]["failed"]
    sections = [
        ("failing only with the module", sorted(set(with_) - set(without)), with_),
        ("failing only without the module", sorted(set(without) - set(with_)), without),
        ("failing in both", sorted(set(with_) & set(without)), with_),
    ]
    with open(path, "w") as fh:
        fh.write(f"tests run: {results['with']['run']} (without: {results['without']['run']})\n")
        fh.write(f"tests started per target (with): {results['with']['started']}\n")
        fh.write(f"failing without: {len(without)}\nfailing with: {len(with_)}\nnew: {len(sections[0][1])}\n")
        if again:
            fh.write(
                "new failures re-run alone: failing again with the module: "
                f"{sorted(again['with'])}; failing alone without it: {sorted(again['without'])}\n"
            )
        for title, tests, source in sections:
            fh.write(f"\n==== {title}: {len(tests)}\n")
            for test in tests:
                fh.write(f"\n---- {test}\n{source[test]}\n")


def cmd_test_odoo(args):
    """`make test-odoo [ARGS="stock mrp:TestTraceability"]`: Odoo's own tests of the targets, run after everything
    is loaded, in two fresh demo databases with the same apps, without and with this module."""
    known = {p.name for p in (ODOO_SRC / "odoo" / "addons").iterdir()} if (ODOO_SRC / "odoo").exists() else None
    targets = parse_suite_args(args, known) or dict.fromkeys(ODOO_TARGETS)
    if not port_free(HTTP_PORT):
        raise Stop(f"port {HTTP_PORT} is in use (tours need it): stop what uses it or set LST_HTTP_PORT")
    bootstrap(system_required=True)
    root = STATE / "test-odoo"
    root.mkdir(parents=True, exist_ok=True)
    apps = sorted(set(targets) | set(module_depends(REPO)))
    t0 = time.time()
    say(f"Odoo's own tests of {', '.join(targets)}, without and with {MODULE} (all targets: several hours)")
    results, again = {}, {}
    try:
        installs = {variant: install_suite_db(variant, apps, root) for variant in ("without", "with")}
        extra = installed_modules(SUITE_DBS["with"]) ^ installed_modules(SUITE_DBS["without"])
        if extra - {MODULE}:
            raise Stop(f"the two databases do not have the same apps: {', '.join(sorted(extra - {MODULE}))}")
        for variant in ("without", "with"):
            results[variant] = run_suite_db(variant, targets, root)
        new = sorted(set(results["with"]["failed"]) - set(results["without"]["failed"]))
        retry = suite_targets_of(new)
        if retry:
            # a test failing once (a tour timing out on a loaded machine) is not a difference: run the new failures
            # again, alone, in both databases
            say(f"re-running the {len(new)} test(s) failing only with the module, alone, in both databases ...")
            again = {v: run_suite_db(v, retry, root, rerun=True)["failed"] for v in ("without", "with")}
    finally:
        if not os.environ.get("LST_KEEP_DBS"):
            for db in SUITE_DBS.values():
                drop_db(db)
    without, with_ = results["without"]["failed"], results["with"]["failed"]
    confirmed = [t for t in new if not suite_targets_of([t]) or (t in again["with"] and t not in again["without"])]
    flaky = [t for t in new if t not in confirmed]
    for variant, res in results.items():
        say(
            f"{variant}: {res['run']} tests, {len(res['failed'])} failing "
            f"(install {installs[variant]} s, tests {res['seconds']} s)"
        )
    say(f"registry check: {results['with']['checks'][0].split(': ', 1)[-1]}")
    report = root / "report.txt"
    write_suite_report(report, results, again)
    say(
        f"tests run: {results['with']['run']}, failing without: {len(without)}, failing with: {len(with_)}, "
        f"new: {len(confirmed)} ({round(time.time() - t0)} s; tracebacks in {report})"
    )
    for test in confirmed:
        say(f"  {test}: {failure_summary(with_[test])}")
    if flaky:
        say(f"failing only with the module in the full run, not confirmed when re-run alone: {len(flaky)}")
        for test in flaky:
            why = "fails alone without the module too" if test in again["without"] else "passes alone"
            say(f"  {test} ({why}): {failure_summary(with_[test])}")
    return 1 if confirmed else 0


def cmd_bench(args):
    """Run every bench/bench_*.py (or the ones named) with the venv's Python; each is standalone."""
    bootstrap()
    scripts = [REPO / "bench" / a for a in args] or sorted((REPO / "bench").glob("bench_*.py"))
    if not scripts:
        raise Stop("no bench/bench_*.py scripts")
    rc = 0
    for script in scripts:
        say(f"bench: {script.name}")
        rc |= run([VPY, script], check=False, env=test_env(), cwd=REPO).returncode
    return rc


def cmd_shell_env():
    """Print shell exports to use the dev cluster by hand."""
    bootstrap()
    pe = pg_env()
    for key in ("PGHOST", "PGPORT", "PGUSER"):
        print(f"export {key}={pe[key]}")
    print(f"export LST_CONF={CONF} LST_ODOO_SRC={ODOO_SRC} LST_VPY={VPY} LST_REPO={REPO} LST_ADDONS={ADDONS}")
    return 0


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    try:
        if command == "run":
            return cmd_run()
        if command == "test":
            return cmd_test(rest)
        if command == "pytest":
            return cmd_pytest(rest)
        if command == "upgrade":
            return cmd_upgrade(rest[0] if rest else env("LST_DEV_DB", "lst_dev"))
        if command == "bench":
            return cmd_bench(rest)
        if command == "test-odoo":
            return cmd_test_odoo(rest)
        if command == "bootstrap":
            bootstrap(system_required=True)
            return 0
        if command == "env":
            return cmd_shell_env()
        if command == "stop":
            stop_pg()
            return 0
        if command == "createdb":
            bootstrap()
            create_db(rest[0] if rest else TEST_DB, log=STATE / "createdb.log")
            return 0
        if command == "lint":
            bootstrap()
            lint()
            return 0
        print(f"unknown command {command}\n{__doc__}")
        return 2
    except Stop as exc:
        print(f"[lst] error: {exc}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
