# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The bootstrap behind `make run` / `make test` stops with one clear line on bad input.

Plain pytest functions: they run tools/devenv.py as a subprocess, as a user would."""

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
