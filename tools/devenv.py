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
"""

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
    if not paths:
        args.append(str(ADDONS / MODULE / "tests"))
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


ODOO_SUITE_TAGS = "/stock,/mrp"


def odoo_suite(with_module):
    """Odoo's canonical run: fresh DB with demo data, tests run while installing. Returns the summary."""
    name = "lst_odoo_with" if with_module else "lst_odoo_std"
    modules = f"mrp,{MODULE}" if with_module else "mrp"
    log = STATE / f"test-odoo-{'with' if with_module else 'without'}-module.log"
    drop_db(name)
    t0 = time.time()
    say(f"Odoo's {ODOO_SUITE_TAGS} suites, -i {modules}, log in {log} ...")
    with open(log, "w") as fh:
        odoo_bin(
            "-d", name, "-i", modules, "--test-tags", ODOO_SUITE_TAGS, "--stop-after-init", "--no-http",
            "--log-level=test", check=False, stdout=fh, stderr=subprocess.STDOUT,
        )  # fmt: skip
    text = log.read_text()
    summary = [line for line in text.splitlines() if " tests " in line and "odoo.tests.stats" not in line]
    failed = sorted(set(re.findall(r" ERROR \S+ \S+: (?:FAIL|ERROR): (\S+)", text)))
    drop_db(name)
    return {"seconds": round(time.time() - t0), "summary": summary[-1:] or ["no summary line"], "failed": failed}


def cmd_test_odoo(args):
    """`make test-odoo`: the standard stock and mrp suites without and with this module, side by side."""
    bootstrap()
    which = args or ["without", "with"]
    results = {w: odoo_suite(w == "with") for w in which}
    for w, res in results.items():
        say(f"{w} module: {res['summary'][0].split('odoo.tests.result: ')[-1]} ({res['seconds']} s)")
        for test in res["failed"]:
            say(f"  failed: {test}")
    if "with" in results and "without" in results:
        only_with = sorted(set(results["with"]["failed"]) - set(results["without"]["failed"]))
        say(f"failures only with the module: {len(only_with)}")
        for test in only_with:
            say(f"  {test}")
        return 1 if only_with else 0
    return 1 if any(res["failed"] for res in results.values()) else 0


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
