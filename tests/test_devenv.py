# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The bootstrap behind `make run` / `make test` stops with one clear line on bad input.

Plain pytest functions: they run tools/devenv.py as a subprocess, as a user would."""

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(os.environ.get("LST_REPO") or Path(__file__).resolve().parent.parent)
DEVENV = REPO / "tools" / "devenv.py"


def _devenv(tmp_path, *args, **env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("LST_", "PG"))}
    full_env.update({"LST_STATE": str(tmp_path / "state"), "LST_ADDONS": str(tmp_path / "addons")}, **env)
    res = subprocess.run(
        [sys.executable, str(DEVENV), *args], env=full_env, capture_output=True, text=True, timeout=600, check=False
    )
    return res.returncode, res.stdout + res.stderr


def _error_lines(output):
    return [line for line in output.splitlines() if line.startswith("[lst] error:")]


def test_incomplete_odoo_source(tmp_path):
    src = tmp_path / "odoo"
    src.mkdir()
    (src / "odoo-bin").write_text("")
    rc, out = _devenv(tmp_path, "bootstrap", ODOO_SRC=str(src))
    assert rc == 1
    (line,) = _error_lines(out)
    assert str(src) in line and "ODOO_SRC" in line


def test_missing_postgresql_binaries(tmp_path):
    rc, out = _devenv(
        tmp_path, "bootstrap", LST_PG_BIN=str(tmp_path / "no-pg"), LST_VENV=os.environ.get("LST_VENV", "")
    )
    assert rc == 1
    (line,) = _error_lines(out)
    assert "initdb" in line and "LST_PG_BIN" in line


def test_port_in_use(tmp_path):
    with socket.socket() as sock:
        sock.bind(("0.0.0.0", 0))
        sock.listen()
        port = sock.getsockname()[1]
        rc, out = _devenv(tmp_path, "run", LST_HTTP_PORT=str(port))
    assert rc == 1
    (line,) = _error_lines(out)
    assert f"port {port} is in use" in line and "LST_HTTP_PORT" in line
    assert not (tmp_path / "state" / "pg").exists(), "nothing is started before the port check"


@pytest.mark.skipif(not os.environ.get("LST_CONF"), reason="needs the make test environment")
def test_failed_pip_install_leaves_nothing_that_breaks_the_next_run(tmp_path):
    venv = tmp_path / "venv"
    rc, out = _devenv(
        tmp_path,
        "bootstrap",
        LST_VENV=str(venv),
        PIP_INDEX_URL="http://127.0.0.1:9/simple",
        PIP_NO_CACHE_DIR="1",
        PIP_FIND_LINKS="",
        PIP_CONFIG_FILE=os.devnull,
    )
    assert rc == 1
    (line,) = _error_lines(out)
    assert "pip install failed" in line and "pip.log" in line
    assert not (venv / ".lst-stamp").exists(), "an unfinished venv is never marked ready: the next run retries"


def _load_devenv():
    spec = importlib.util.spec_from_file_location("lst_devenv_under_test", DEVENV)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_install_progress_says_what_odoo_installs():
    """`make run` creating its database prints a progress line every few seconds (not 50 s of silence):
    the module Odoo is installing, its rank, demo data, and the time so far."""
    devenv = _load_devenv()
    said, now = [], [100.0]
    progress = devenv.InstallProgress(out=said.append, interval=5, clock=lambda: now[0])
    log = [
        (0, "2026-03-01 10:00:00,001 7 INFO lst_demo odoo.modules.loading: init db"),
        (1, "2026-03-01 10:00:01,001 7 INFO lst_demo odoo.modules.loading: loading 1 modules..."),
        (1, "2026-03-01 10:00:01,101 7 INFO lst_demo odoo.modules.loading: Loading module base (1/1)"),
        (3, "2026-03-01 10:00:03,001 7 INFO lst_demo odoo.modules.loading: loading base/data/res_bank.xml"),
        (9, "2026-03-01 10:00:09,001 7 INFO lst_demo odoo.modules.loading: loading 48 modules..."),
        (9, "2026-03-01 10:00:09,101 7 INFO lst_demo odoo.modules.loading: Loading module web (2/48)"),
        (12, "2026-03-01 10:00:12,001 7 INFO lst_demo odoo.modules.loading: Loading module stock (30/48)"),
        (20, "2026-03-01 10:00:20,001 7 INFO lst_demo odoo.modules.loading: Module stock: loading demo"),
        (21, "2026-03-01 10:00:21,001 7 INFO lst_demo odoo.modules.loading: loading stock/data/stock_demo.xml"),
        (40, "2026-03-01 10:00:40,001 7 ERROR lst_demo odoo.sql_db: bad query: SELECT 1/0"),
        (41, "2026-03-01 10:00:41,001 7 INFO lst_demo odoo.modules.loading: Loading module mrp (47/48)"),
    ]
    for seconds, line in log:
        now[0] = 100.0 + seconds
        progress.feed(line + "\n")
    assert said == [
        "  preparing the database (0 s)",
        "  installing base (1/1 modules, 9 s)",
        "  installing demo data of stock (30/48 modules, 20 s)",
        "  installing demo data of stock (30/48 modules, 40 s)",
    ]
    assert progress.total == 48 and progress.module == "mrp"
    assert progress.error.endswith("bad query: SELECT 1/0")


FAKE_ODOO = """
import sys
assert "--log-level=info" in sys.argv, sys.argv
for i, name in enumerate(["base", "web", "stock", "mrp"], 1):
    print(f"2026-03-01 10:00:0{i},000 7 INFO db odoo.modules.loading: Loading module {name} ({i}/4)", flush=True)
    print(f"2026-03-01 10:00:0{i},500 7 INFO db odoo.modules.loading: loading {name}/data/x.xml", flush=True)
if "fail" in sys.argv[sys.argv.index("-d") + 1]:
    print("2026-03-01 10:00:09,000 7 ERROR db odoo.modules.registry: Failed to load registry", flush=True)
    sys.exit(1)
"""


def test_create_db_streams_progress(tmp_path, monkeypatch, capsys):
    """create_db runs Odoo at INFO level, keeps the whole log in its file and prints progress lines;
    a failure names Odoo's error line."""
    devenv = _load_devenv()
    (tmp_path / "odoo-bin").write_text(FAKE_ODOO)
    monkeypatch.setattr(devenv, "VPY", Path(sys.executable))
    monkeypatch.setattr(devenv, "ODOO_SRC", tmp_path)
    monkeypatch.setattr(devenv, "drop_db", lambda name: None)
    monkeypatch.setenv("LST_PROGRESS_SECONDS", "0")
    log = tmp_path / "install.log"
    devenv.create_db("lst_progress", log=log)
    out = capsys.readouterr().out
    assert "[lst]   installing stock (3/4 modules, " in out
    assert "[lst]   installed 4 modules in " in out
    assert log.read_text().count("Loading module") == 4
    with pytest.raises(devenv.Stop, match="failed .*Failed to load registry.*install.log"):
        devenv.create_db("lst_progress_fail", log=log)
