# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Batch Production: standard Odoo 18 vs lot_serial_tracking, side by side.

Run with ``make bench`` (or ``python3 tools/devenv.py bench bench_batch_produce.py``), which runs
this script with the virtualenv's Python and LST_CONF / LST_ODOO_SRC / PG* set.

Two databases are created once and reused: one with only ``mrp`` and one with
``lot_serial_tracking`` (both without demo data; the module database is upgraded when the module's
files changed). In each, for N units: a 2-component BoM with untracked components in stock, a
serial-tracked product without tracking rule, an MO of N units, then the Batch Production wizard:
Generate + Produce. SQL queries and seconds are measured around the wizard (Generate + Produce,
flush included); everything is rolled back after each run. The resulting stock (quants, move
lines, lots, MOs) is compared between the two databases.

Environment: BENCH_SIZES="100,300,1000" (default), BENCH_REPEAT=3 (the fastest run of each counts).
"""

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

CONF = os.environ["LST_CONF"]
ODOO_SRC = Path(os.environ["LST_ODOO_SRC"])
REPO = Path(os.environ.get("LST_REPO", Path(__file__).resolve().parent.parent))
VPY = os.environ.get("LST_VPY", sys.executable)
MODULE = "lot_serial_tracking"
DB_STD = "lst_bench_std"
DB_MOD = "lst_bench_mod"
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "100,300,1000").split(",") if s.strip()]

sys.path.insert(0, str(ODOO_SRC))
import odoo  # noqa: E402
from odoo import SUPERUSER_ID, api  # noqa: E402


def module_hash():
    digest = hashlib.sha1()
    for path in sorted(REPO.rglob("*")):
        if path.suffix in (".py", ".xml", ".csv") and ".state" not in path.parts and "bench" not in path.parts:
            digest.update(str(path.relative_to(REPO)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def odoo_bin(db, *args):
    cmd = [VPY, str(ODOO_SRC / "odoo-bin"), "-c", CONF, "-d", db, "--stop-after-init", "--no-http"]
    cmd += ["--log-level=warn", *args]
    print(f"[bench] {db}: odoo-bin {' '.join(args)}", flush=True)
    subprocess.run(cmd, check=True)


def db_state(db):
    """The module hash stored in an existing database (or '')."""
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        cr.execute("SELECT value FROM ir_config_parameter WHERE key = 'lst_bench.hash'")
        row = cr.fetchone()
        return row[0] if row else ""


def set_state(db, value):
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param("lst_bench.hash", value)


def db_exists(db):
    import psycopg2

    conn = psycopg2.connect(dbname="postgres")
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,))
            return bool(cur.fetchone())
    finally:
        conn.close()


def vacuum(db):
    """VACUUM the database (bench_batch_scale.py, before each run). Each run is rolled back, and the dead rows it
    leaves behind until autovacuum passes (tens of thousands of moves and move lines, and their index entries)
    cost the next run PostgreSQL time: 10,000 serials spent 57.7 s in PostgreSQL after a rolled-back run, 20.8 s
    after a VACUUM, with the same code and queries.

    Not used for the comparison with standard Odoo (main()): a VACUUM empties the tables of the bench databases
    (they have no history), and standard Odoo then keeps, for the whole transaction, foreign-key plans made on
    empty tables (see lst_replan in models/mrp_batch_caches.py): 268.7 s for 1,000 units instead of about 39 s."""
    import psycopg2

    conn = psycopg2.connect(dbname=db)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("VACUUM")
    finally:
        conn.close()


def ensure_databases():
    if not db_exists(DB_STD):
        odoo_bin(DB_STD, "-i", "mrp", "--without-demo=all")
    wanted = module_hash()
    if not db_exists(DB_MOD):
        odoo_bin(DB_MOD, "-i", MODULE, "--without-demo=all")
        set_state(DB_MOD, wanted)
    elif db_state(DB_MOD) != wanted:
        odoo_bin(DB_MOD, "-u", MODULE)
        odoo.modules.registry.Registry.delete(DB_MOD)
        set_state(DB_MOD, wanted)


def scenario(env, n):
    """Build the MO, then time Generate + Produce. Returns (queries, seconds, signature)."""
    stock = env.ref("stock.stock_location_stock")
    Product = env["product.product"]
    comp_a = Product.create({"name": "Bench part A", "is_storable": True})
    comp_b = Product.create({"name": "Bench part B", "is_storable": True})
    for comp in (comp_a, comp_b):
        env["stock.quant"]._update_available_quantity(comp, stock, 3 * n)
    product = Product.create({"name": "Bench chair", "is_storable": True, "tracking": "serial"})
    bom = env["mrp.bom"].create(
        {
            "product_tmpl_id": product.product_tmpl_id.id,
            "product_qty": 1,
            "bom_line_ids": [
                (0, 0, {"product_id": comp_a.id, "product_qty": 1}),
                (0, 0, {"product_id": comp_b.id, "product_qty": 2}),
            ],
        }
    )
    # measured in the request: the wizard would hand 1,000 lines and more to a background job (bench_batch_scale.py)
    env["ir.config_parameter"].set_param("lot_serial_tracking.batch_background_from", 10**9)
    mo = env["mrp.production"].create({"product_id": product.id, "product_qty": n, "bom_id": bom.id})
    mo.action_confirm()
    action = mo.button_mark_done()
    assert action["res_model"] == "mrp.batch.produce", action
    env.flush_all()
    cr = env.cr
    q0, t0 = cr.sql_log_count, time.perf_counter()
    wizard = env["mrp.batch.produce"].with_context(**action["context"]).create({"lot_name": "BSN-00001"})
    wizard.lot_qty = n
    wizard.action_generate_production_text()
    wizard.action_done()
    env.flush_all()
    seconds = time.perf_counter() - t0
    queries = cr.sql_log_count - q0
    mos = env["mrp.production"].search([("product_id", "=", product.id)])
    assert len(mos) == n and set(mos.mapped("state")) == {"done"}, (len(mos), set(mos.mapped("state")))
    return queries, seconds, signature(env, mo, product, comp_a, comp_b, mos)


def signature(env, mo, product, comp_a, comp_b, mos):
    """Stock and traceability, independent of ids and of the MO number."""
    roles = {product.id: "P", comp_a.id: "A", comp_b.id: "B"}
    prefix = mo.name.rsplit("-", 1)[0]
    quants = sorted(
        (roles[q.product_id.id], q.lot_id.name or "", q.location_id.usage, q.quantity)
        for q in env["stock.quant"].search([("product_id", "in", list(roles))])
        if q.quantity
    )
    lines = sorted(
        (
            roles[ml.product_id.id],
            ml.lot_id.name or "",
            ml.quantity,
            ml.location_id.usage,
            ml.location_dest_id.usage,
            ml.state,
            (ml.production_id or ml.move_id.raw_material_production_id).name.replace(prefix, "MO"),
        )
        for ml in env["stock.move.line"].search([("product_id", "in", list(roles)), ("state", "=", "done")])
        if ml.production_id or ml.move_id.raw_material_production_id
    )
    consumed = sorted((ml.lot_id.name, len(ml.consume_line_ids)) for ml in mos.move_finished_ids.move_line_ids)
    lots = sorted(
        (lot.name, lot.company_id.id or 0) for lot in env["stock.lot"].search([("product_id", "=", product.id)])
    )
    productions = sorted((m.name.replace(prefix, "MO"), m.state, m.lot_producing_id.name) for m in mos)
    messages = sorted(len(m.message_ids) > 0 for m in mos)
    return {"quants": quants, "lines": lines, "consumed": consumed, "lots": lots, "mos": productions, "msg": messages}


def run(db, n, clean=False):
    if clean:
        vacuum(db)
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        env = env(user=admin.id, context=dict(admin.context_get(), tz="UTC"))
        try:
            return scenario(env, n)
        finally:
            cr.rollback()


def main():
    odoo.tools.config.parse_config(["-c", CONF])
    odoo.tools.config["log_level"] = "warn"
    odoo.netsvc.init_logger()
    ensure_databases()
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    rows = []
    identical = True
    for n in SIZES:
        std = min((run(DB_STD, n) for _i in range(repeat)), key=lambda r: r[1])
        mod = min((run(DB_MOD, n) for _i in range(repeat)), key=lambda r: r[1])
        same = std[2] == mod[2]
        if not same:
            identical = False
            for key in std[2]:
                if std[2][key] != mod[2][key]:
                    print(f"[bench] N={n}: '{key}' differs: std {std[2][key][:3]} ... mod {mod[2][key][:3]}")
        rows.append((n, std[0], std[1], mod[0], mod[1], same))
        print(f"[bench] N={n} done: std {std[0]} q {std[1]:.2f} s, module {mod[0]} q {mod[1]:.2f} s", flush=True)
    print()
    print("Batch Production (Generate + Produce), standard Odoo 18 vs lot_serial_tracking")
    print(
        "| N | std queries | std q/unit | std s | module queries | module q/unit | module s "
        "| q/unit ratio | time ratio | same stock |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for n, sq, ss, mq, ms, same in rows:
        print(
            f"| {n} | {sq} | {sq / n:.1f} | {ss:.2f} | {mq} | {mq / n:.1f} | {ms:.2f} "
            f"| {mq / sq:.2f} | {ms / ss:.2f} | {'yes' if same else 'NO'} |"
        )
    by_n = {r[0]: r for r in rows}
    if 100 in by_n and 1000 in by_n:
        print(
            f"\ntime(1000)/time(100): standard {by_n[1000][2] / by_n[100][2]:.1f}, "
            f"module {by_n[1000][4] / by_n[100][4]:.1f} (goal <= 11)"
        )
    big = [r for r in rows if r[0] >= 300]
    if big:
        goal = all(mq / n <= 0.5 * sq / n and ms <= 0.6 * ss for n, sq, ss, mq, ms, _s in big)
        print(f"goal (n >= 300: <= 0.5x queries/unit and <= 0.6x time): {'met' if goal else 'NOT met'}")
    print(f"stock and traceability identical to standard: {'yes' if identical else 'NO'}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
