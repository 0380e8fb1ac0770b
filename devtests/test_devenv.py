# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The bootstrap behind `make run` / `make test` stops with one clear line on bad input.

Plain pytest functions: they run tools/devenv.py as a subprocess, as a user would."""

import ast
import importlib.util
import os
import socket
import subprocess
import sys
import types
from pathlib import Path

import pytest

from odoo.tests import loader
from odoo.tests.tag_selector import TagsSelector

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


def _devenv_module():
    spec = importlib.util.spec_from_file_location("lst_devenv", DEVENV)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_install_progress_says_what_odoo_installs():
    """`make run` creating its database prints a progress line every few seconds (not 50 s of silence):
    the module Odoo is installing, its rank, demo data, and the time so far."""
    devenv = _devenv_module()
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
    devenv = _devenv_module()
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


def test_test_odoo_generated_module():
    """make test-odoo's throwaway module depends on the targets, and on this module only for the "with" run."""
    devenv = _devenv_module()
    targets = devenv.parse_suite_args(["stock", "mrp:TestTraceability.test_a", "mrp:TestTraceability.test_b"])
    assert targets == {"stock": None, "mrp": {"TestTraceability": ["test_a", "test_b"]}}
    for with_module in (False, True):
        files = devenv.suite_module_files(targets, with_module)
        for rel, text in files.items():
            compile(text, rel, "exec")
        manifest = ast.literal_eval(files["__manifest__.py"].split("\n", 1)[1])
        assert manifest["depends"] == ["mrp", "stock"] + (["lot_serial_tracking"] if with_module else [])
        assert f"reexpose(__name__, {targets!r})" in files["tests/__init__.py"]
        assert f"EXPECT_MODULE = {with_module}" in files["tests/test_lst_registry.py"]


def _load_reexpose(tmp_path):
    """The reexpose.py that make test-odoo writes into its throwaway module, loaded as a module."""
    source = tmp_path / "reexpose.py"
    source.write_text(_devenv_module().suite_module_files({"stock": None}, True)["tests/reexpose.py"])
    spec = importlib.util.spec_from_file_location("lst_reexpose", source)
    reexpose = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reexpose)
    return reexpose


def test_test_odoo_reexposed_classes_match_odoo_loader(tmp_path):
    """The re-exposed classes give Odoo's loader exactly the tests (class, method, tags) of the originals, are
    selected by --test-tags /lst_odoo_suites, and the originals are not (so nothing runs twice)."""
    reexpose = _load_reexpose(tmp_path)
    name = "odoo.addons.lst_odoo_suites.tests"
    package = types.ModuleType(name)
    sys.modules[name] = package
    try:
        reexpose.reexpose(name, {"stock": None, "mrp": None})
        suite_tags = TagsSelector("/lst_odoo_suites")
        for target in ("stock", "mrp"):
            originals = [t for m in loader.get_test_modules(target) for t in loader.get_module_test_cases(m)]
            copies = [
                t
                for attr, m in vars(package).items()
                if attr.startswith(f"test_{target}__")
                for t in loader.get_module_test_cases(m)
            ]
            assert len(originals) > 300
            assert sorted(map(_test_key, copies)) == sorted(map(_test_key, originals))
            assert all(suite_tags.check(t) for t in copies if TagsSelector(f"/{target}").check(t))
            assert not any(suite_tags.check(t) for t in originals)
            assert {t.test_module for t in copies} == {"lst_odoo_suites"}
    finally:
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module]


def test_test_odoo_rerun_of_a_class_name_defined_twice(tmp_path):
    """Re-running single tests of a class whose name two files of a module define (stock_picking_batch's
    TestBatchPicking): each file's class takes the wanted methods it has, and a test that exists nowhere is
    an error."""
    wanted = ["test_validatation_of_partially_empty_picking", "test_validate_wave_with_zero_qty_picking"]
    reexpose = _load_reexpose(tmp_path)
    name = "odoo.addons.lst_odoo_suites.tests"
    package = types.ModuleType(name)
    sys.modules[name] = package
    try:
        reexpose.reexpose(name, {"stock_picking_batch": {"TestBatchPicking": wanted}})
        copies = sorted(
            (attr, t._testMethodName)
            for attr, m in vars(package).items()
            if attr.startswith("test_stock_picking_batch__")
            for t in loader.get_module_test_cases(m)
        )
        assert copies == [("test_stock_picking_batch__test_wave_picking", method) for method in sorted(wanted)]
        with pytest.raises(ValueError, match="TestBatchPicking.test_nowhere"):
            reexpose.reexpose(name, {"stock_picking_batch": {"TestBatchPicking": ["test_nowhere"]}})
    finally:
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module]


def _test_key(test):
    return type(test).__name__, test._testMethodName, frozenset(test.test_tags)


def test_test_odoo_log_parser():
    devenv = _devenv_module()
    head = "2026-11-25 17:31:35,320 23686 {} lst_odoo_with {}: {}"
    mod = "odoo.addons.lst_odoo_suites.tests.test_mrp__test_smp"
    log = "\n".join(
        [
            head.format("INFO", mod, "Starting TestMrpSerialMassProduce.test_smp_produce_all_but_one ..."),
            head.format("ERROR", mod, "FAIL: TestMrpSerialMassProduce.test_smp_produce_all_but_one"),
            "Traceback (most recent call last):",
            '  File "/odoo/addons/mrp/tests/test_smp.py", line 9, in test_smp_produce_all_but_one',
            "odoo.exceptions.UserError: the lines give 4 Units",
            "but the MO is for 5",
            head.format("ERROR", mod, "FAIL: Subtest TestMrpSerialMassProduce.test_sub (login='admin')"),
            "AssertionError: 1 != 2",
            head.format("ERROR", "unittest.suite", f"ERROR: setUpClass ({mod}.TestBroken)"),
            "Traceback (most recent call last):",
            "KeyError: 'x'",
            head.format("ERROR", "odoo.modules.loading", "Module lst_odoo_suites: 2 failures, 1 errors of 3 tests"),
            head.format("INFO", mod.rsplit(".", 1)[0] + ".test_lst_registry", "lst-registry-check at_install: x"),
            head.format("ERROR", "odoo.tests.result", "2 failed, 1 error(s) of 3 tests when loading database 'x'"),
        ]
    )
    res = devenv.parse_suite_log(log)
    assert res["run"] == 3
    assert res["started"] == {"mrp": 1}
    assert res["checks"] == ["lst-registry-check at_install: x"]
    smp = "mrp/tests/test_smp.py::TestMrpSerialMassProduce::"
    assert list(res["failed"]) == [
        smp + "test_smp_produce_all_but_one",
        smp + "test_sub",
        "mrp/tests/test_smp.py::TestBroken::setUpClass",
    ]
    assert devenv.suite_targets_of(res["failed"]) == {
        "mrp": {"TestMrpSerialMassProduce": ["test_smp_produce_all_but_one", "test_sub"], "TestBroken": None}
    }
    assert devenv.failure_summary(res["failed"][smp + "test_smp_produce_all_but_one"]) == (
        "odoo.exceptions.UserError: the lines give 4 Units but the MO is for 5"
    )
