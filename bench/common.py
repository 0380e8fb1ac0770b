# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What bench_checklist.py and bench_recall.py share: the environment tools/devenv.py sets, and a bench
database created once (the module installed, no demo data), upgraded when the module changed since the last
run, rebuilt with LST_BENCH_RESET=1. Not a bench itself (tools/devenv.py runs bench/bench_*.py only).
bench_batch_produce.py keeps its own helpers (two databases, standard Odoo and the module, its state in
the database), which bench_delivery_only.py uses."""

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

CONF = os.environ["LST_CONF"]
ODOO_SRC = os.environ["LST_ODOO_SRC"]
VPY = os.environ.get("LST_VPY", sys.executable)
REPO = Path(os.environ.get("LST_REPO", Path(__file__).resolve().parent.parent))
MODULE = "lot_serial_tracking"

if ODOO_SRC not in sys.path:
    sys.path.insert(0, ODOO_SRC)


def db_exists(db):
    res = subprocess.run(
        ["psql", "-X", "-tA", "-d", "postgres", "-c", f"SELECT 1 FROM pg_database WHERE datname = '{db}'"],
        capture_output=True,
        text=True,
        check=False,
    )
    return res.stdout.strip() == "1"


def module_hash():
    """The module's code and data (not its benches and tests): a change means an upgrade before measuring."""
    digest = hashlib.sha256()
    for path in sorted(REPO.glob("**/*")):
        if path.suffix in (".py", ".xml", ".csv") and not {".venv", ".state", "bench", "tests"} & set(path.parts):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def odoo_bin(db, *args):
    cmd = [VPY, str(Path(ODOO_SRC) / "odoo-bin"), "-c", CONF, "-d", db, "--no-http", "--log-level=warn", *args]
    if subprocess.run(cmd, check=False).returncode:
        sys.exit(f"odoo-bin {' '.join(args)} failed on {db}")


def stamp_of(db):
    """The file holding the module hash ``db`` was installed or upgraded with."""
    return Path(CONF).parent / f"{db}.module-hash"


def ensure_db(db, say, create=True):
    """Create ``db`` with the module (no demo data) if it does not exist and ``create``, or upgrade the module
    in it when the module changed since; dropped first with LST_BENCH_RESET=1. False when it does not exist
    (and was not created)."""
    if os.environ.get("LST_BENCH_RESET") and db_exists(db):
        subprocess.run(["dropdb", "--force", db], check=True)
    stamp = stamp_of(db)
    if not db_exists(db):
        if not create:
            return False
        say(f"creating database {db} with {MODULE} (no demo data) ...")
        odoo_bin(db, "-i", MODULE, "--without-demo=all", "--stop-after-init")
        stamp.write_text(module_hash())
    elif not stamp.exists() or stamp.read_text() != module_hash():
        say(f"module changed since the last bench: upgrading {MODULE} in {db} ...")
        start = time.perf_counter()
        odoo_bin(db, "-u", MODULE, "--stop-after-init")
        stamp.write_text(module_hash())
        say(f"upgraded {db} in {time.perf_counter() - start:.1f}s")
    return True


def bulk(cr, table, columns, rows):
    """One INSERT per 5,000 rows; returns the new ids in order."""
    from psycopg2.extras import execute_values

    if not rows:
        return []
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES %s RETURNING id"
    return [r[0] for r in execute_values(cr._obj, sql, rows, page_size=5000, fetch=True)]
