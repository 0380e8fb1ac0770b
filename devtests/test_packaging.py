# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Installable the way administrators install OCA add-ons: a wheel built from a clean clone installs into a
fresh virtualenv beside the Odoo source, and Odoo installs the module from there (not from an addons_path).

A plain pytest function, run by `make test` (it needs the PostgreSQL cluster and the Odoo source that
`make test` sets up, and the package index for the `whool` build backend)."""

import configparser
import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

MODULE = "lot_serial_tracking"
REPO = Path(os.environ.get("LST_REPO") or Path(__file__).resolve().parent.parent)


def _run(cmd, **kw):
    res = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=900, check=False, **kw)
    assert res.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}"
    return res


@pytest.mark.skipif(not os.environ.get("LST_CONF"), reason="needs the make test environment")
def test_wheel_installs_into_a_fresh_venv(tmp_path):
    # 1. a clean clone, in a folder named after the module (whool names the package after it)
    checkout = tmp_path / MODULE
    _run(["git", "clone", "-q", REPO, checkout])
    # 2. the wheel, with the build backend the pyproject names (fetched by pip into an isolated build env)
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", dist, checkout])
    (wheel,) = dist.glob("*.whl")
    manifest = (REPO / "__manifest__.py").read_text()
    version = re.search(r'"version": "([^"]+)"', manifest).group(1)
    assert wheel.name.startswith(f"odoo_addon_{MODULE}-{version}"), wheel.name
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        metadata = zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert f"odoo/addons/{MODULE}/__manifest__.py" in names
    assert f"odoo/addons/{MODULE}/views/stock_tracking_rule_views.xml" in names
    assert "Requires-Dist: odoo==18.0.*" in metadata
    # 3. a fresh venv that sees Odoo's requirements (the dev venv's site-packages) and the Odoo source,
    # but not this repository: the module can only come from the wheel
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv])
    vpy = venv / "bin" / "python"
    site = _run([vpy, "-c", "import sysconfig;print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    odoo_src = Path(os.environ["LST_ODOO_SRC"])
    Path(site, "odoo-env.pth").write_text(f"{odoo_src}\n{sysconfig.get_paths()['purelib']}\n")
    _run([vpy, "-m", "pip", "install", "-q", "--no-deps", wheel])
    installed = Path(site, "odoo", "addons", MODULE, "__manifest__.py")
    assert installed.exists() and not installed.is_symlink()
    # 4. Odoo finds it there: addons_path holds only Odoo's own addons
    conf = configparser.ConfigParser()
    conf.read(os.environ["LST_CONF"])
    conf["options"]["addons_path"] = str(odoo_src / "odoo" / "addons")
    conf["options"]["data_dir"] = str(tmp_path / "data")
    conf_path = tmp_path / "odoo.conf"
    with open(conf_path, "w") as fh:
        conf.write(fh)
    db = "lst_wheel_test"
    env = dict(os.environ)
    subprocess.run(["dropdb", "--if-exists", "--force", db], env=env, capture_output=True, check=False)
    try:
        _run(
            [
                vpy,
                odoo_src / "odoo-bin",
                "-c",
                conf_path,
                "-d",
                db,
                "-i",
                MODULE,
                "--without-demo=all",
                "--stop-after-init",
                "--no-http",
                "--log-level=warn",
            ],
            env=env,
        )
        state = _run(
            ["psql", "-X", "-tA", "-d", db, "-c", f"SELECT state FROM ir_module_module WHERE name = '{MODULE}'"],
            env=env,
        ).stdout.strip()
        path = _run(
            [vpy, "-c", f"import odoo.addons.{MODULE} as m; print(m.__file__)"], env=env, cwd=tmp_path
        ).stdout.strip()
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", db], env=env, capture_output=True, check=False)
    assert state == "installed"
    assert path.startswith(site), path
