#!/usr/bin/env python3
# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Recall benchmark: `make bench` (or `python3 tools/devenv.py bench bench_recall.py`).

Runs with the virtualenv's Python and the variables tools/devenv.py sets (LST_CONF, LST_ODOO_SRC,
LST_VPY, LST_REPO, PGHOST...). It creates once, then reuses, a database ``lst_bench_recall`` with the
module (no demo) and a history written set-based (bulk INSERTs): 10,000 done deliveries and a
3-level BoM (cabinet <- panel <- resin). Resin lot BENCH-RESIN-BIG went through one panel MO into
500 cabinet MOs, and the 500 cabinet serials went to 500 customers; BENCH-RESIN-SMALL did the same
for 50. It then times the recall of both lots and counts their SQL queries, next to standard
Odoo's lot -> deliveries computation (stock.lot.delivery_ids, which follows MOs the same way).
Set LST_BENCH_RESET=1 to rebuild the database.
"""

import hashlib
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

DB = os.environ.get("LST_BENCH_RECALL_DB", "lst_bench_recall")
CONF = os.environ["LST_CONF"]
ODOO_SRC = os.environ["LST_ODOO_SRC"]
VPY = os.environ.get("LST_VPY", sys.executable)
REPO = Path(os.environ.get("LST_REPO", Path(__file__).resolve().parent.parent))
MODULE = "lot_serial_tracking"
N_DELIVERIES = 10_000
BIG, SMALL, DIRECT, RETURNS = 500, 50, 20, 10
N_PARTNERS = 2_000
N_FILLER_LOTS = 100
RUNS = 5

sys.path.insert(0, ODOO_SRC)


def say(msg):
    print(f"[bench_recall] {msg}", flush=True)


def db_exists():
    res = subprocess.run(
        ["psql", "-X", "-tA", "-d", "postgres", "-c", f"SELECT 1 FROM pg_database WHERE datname = '{DB}'"],
        capture_output=True,
        text=True,
        check=False,
    )
    return res.stdout.strip() == "1"


def module_hash():
    digest = hashlib.sha256()
    for path in sorted(REPO.glob("**/*")):
        if path.suffix in (".py", ".xml", ".csv") and not {".venv", ".state", "bench", "tests"} & set(path.parts):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def odoo_bin(*args):
    cmd = [VPY, str(Path(ODOO_SRC) / "odoo-bin"), "-c", CONF, "-d", DB, "--no-http", "--log-level=warn", *args]
    if subprocess.run(cmd, check=False).returncode:
        sys.exit(f"odoo-bin {' '.join(args)} failed on {DB}")


def ensure_db():
    if os.environ.get("LST_BENCH_RESET") and db_exists():
        subprocess.run(["dropdb", "--force", DB], check=True)
    stamp = Path(CONF).parent / f"{DB}.module-hash"
    if not db_exists():
        say(f"creating database {DB} with {MODULE} (no demo data) ...")
        odoo_bin("-i", MODULE, "--without-demo=all", "--stop-after-init")
        stamp.write_text(module_hash())
    elif not stamp.exists() or stamp.read_text() != module_hash():
        say(f"module changed since the last bench: upgrading {MODULE} in {DB} ...")
        odoo_bin("-u", MODULE, "--stop-after-init")
        stamp.write_text(module_hash())


def bulk(cr, table, columns, rows):
    """One INSERT per 5,000 rows; returns the new ids in order."""
    from psycopg2.extras import execute_values

    if not rows:
        return []
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES %s RETURNING id"
    return [r[0] for r in execute_values(cr._obj, sql, rows, page_size=5000, fetch=True)]


def fill(env):
    """The history, written set-based. Done moves without quants: the recall only reads moves."""
    from odoo import Command

    cr = env.cr
    rnd = random.Random(42)
    company = env.company
    uid = env.uid
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    stock = warehouse.lot_stock_id.id
    customers = env.ref("stock.stock_location_customers").id
    production = (
        env["stock.location"].search([("usage", "=", "production"), ("company_id", "=", company.id)], limit=1).id
    )
    unit = env.ref("uom.product_uom_unit").id
    env["res.config.settings"].create({"group_stock_production_lot": True}).execute()

    product = env["product.product"]
    resin = product.create({"name": "Bench Resin", "is_storable": True, "tracking": "lot"})
    panel = product.create({"name": "Bench Panel", "is_storable": True, "tracking": "lot"})
    cabinet = product.create({"name": "Bench Cabinet", "is_storable": True, "tracking": "serial"})
    filler = product.create({"name": "Bench Filler", "is_storable": True, "tracking": "lot"})
    bom_panel = env["mrp.bom"].create(
        {
            "product_tmpl_id": panel.product_tmpl_id.id,
            "bom_line_ids": [Command.create({"product_id": resin.id, "product_qty": 2})],
        }
    )
    bom_cabinet = env["mrp.bom"].create(
        {
            "product_tmpl_id": cabinet.product_tmpl_id.id,
            "bom_line_ids": [Command.create({"product_id": panel.id, "product_qty": 1})],
        }
    )
    partners = env["res.partner"].create([{"name": f"Bench Customer {i:04d}"} for i in range(N_PARTNERS)]).ids
    env.flush_all()

    now = "2026-01-01 08:00:00"
    base = {"create_uid": uid, "write_uid": uid, "create_date": now, "write_date": now}
    bcols = list(base)
    bvals = list(base.values())

    def lots(prod, names):
        return bulk(
            cr,
            "stock_lot",
            ["name", "product_id", "company_id", "lot_status", *bcols],  # lot_status: NOT NULL since 18.0.1.3.0
            [(n, prod.id, company.id, "released", *bvals) for n in names],
        )

    resin_big, resin_small = lots(resin, ["BENCH-RESIN-BIG", "BENCH-RESIN-SMALL"])
    panel_big, panel_small = lots(panel, ["BENCH-PANEL-BIG", "BENCH-PANEL-SMALL"])
    cabinets = lots(cabinet, [f"BENCH-CAB-{i:05d}" for i in range(BIG + SMALL)])
    fillers = lots(filler, [f"BENCH-FILL-{i:04d}" for i in range(N_FILLER_LOTS)])

    # manufacturing orders: (finished product, bom, qty, finished lot, component product, component lot, qty)
    mos = [(panel, bom_panel, BIG, panel_big, resin, resin_big, 2 * BIG)]
    mos.append((panel, bom_panel, SMALL, panel_small, resin, resin_small, 2 * SMALL))
    for i, lot in enumerate(cabinets):
        mos.append((cabinet, bom_cabinet, 1, lot, panel, panel_big if i < BIG else panel_small, 1))
    mo_cols = [
        "name", "product_id", "bom_id", "product_qty", "product_uom_id", "state", "company_id", "consumption",
        "date_start", "date_finished", "location_src_id", "location_dest_id", "picking_type_id", "lot_producing_id",
    ]  # fmt: skip
    mo_ids = bulk(
        cr,
        "mrp_production",
        mo_cols + bcols,
        [
            (
                f"BENCH/MO/{i:05d}",
                fp.id,
                bom.id,
                qty,
                unit,
                "done",
                company.id,
                "flexible",
                now,
                now,
                stock,
                stock,
                warehouse.manu_type_id.id,
                flot,
                *bvals,
            )  # fmt: skip
            for i, (fp, bom, qty, flot, _cp, _clot, _cqty) in enumerate(mos)
        ],
    )
    move_cols = [
        "name", "product_id", "product_uom", "product_uom_qty", "quantity", "location_id", "location_dest_id",
        "state", "company_id", "date", "procure_method", "raw_material_production_id", "production_id",
        "picking_id", "partner_id", "origin_returned_move_id", "picking_type_id", "picked",
    ]  # fmt: skip
    line_cols = [
        "move_id", "product_id", "lot_id", "quantity", "quantity_product_uom", "product_uom_id", "location_id",
        "location_dest_id", "state", "company_id", "date", "picking_id", "picked",
    ]  # fmt: skip

    def moves_and_lines(specs):
        """specs: (product, qty, lot, src, dst, raw_mo, fin_mo, picking, partner, origin move, type)."""
        move_ids = bulk(
            cr,
            "stock_move",
            move_cols + bcols,
            [
                (
                    p.name,
                    p.id,
                    unit,
                    q,
                    q,
                    src,
                    dst,
                    "done",
                    company.id,
                    now,
                    "make_to_stock",
                    raw,
                    fin,
                    pick,
                    partner,
                    origin,
                    ptype,
                    True,
                    *bvals,
                )  # fmt: skip
                for p, q, _lot, src, dst, raw, fin, pick, partner, origin, ptype in specs
            ],
        )
        line_ids = bulk(
            cr,
            "stock_move_line",
            line_cols + bcols,
            [
                (mid, p.id, lot, q, q, unit, src, dst, "done", company.id, now, pick, True, *bvals)
                for mid, (p, q, lot, src, dst, _r, _f, pick, _pa, _o, _t) in zip(move_ids, specs, strict=True)
            ],
        )
        return move_ids, line_ids

    mt = warehouse.manu_type_id.id
    raw_specs, fin_specs = [], []
    for mo, (fp, _bom, qty, flot, cp, clot, cqty) in zip(mo_ids, mos, strict=True):
        raw_specs.append((cp, cqty, clot, stock, production, mo, None, None, None, None, mt))
        fin_specs.append((fp, qty, flot, production, stock, None, mo, None, None, None, mt))
    _raw_moves, raw_lines = moves_and_lines(raw_specs)
    _fin_moves, fin_lines = moves_and_lines(fin_specs)
    cr.execute(
        "INSERT INTO stock_move_line_consume_rel (consume_line_id, produce_line_id) "
        "SELECT * FROM unnest(%s::int4[], %s::int4[])",
        (fin_lines, raw_lines),
    )

    # deliveries: cabinets to 500 + 50 distinct customers, resin straight to a few, filler lots to anyone
    big_customers = rnd.sample(partners, BIG)
    small_customers = rnd.sample(partners, SMALL)
    out = []  # (partner, product, lot)
    out += [(big_customers[i], cabinet, cabinets[i]) for i in range(BIG)]
    out += [(small_customers[i], cabinet, cabinets[BIG + i]) for i in range(SMALL)]
    out += [(rnd.choice(partners), resin, resin_big) for _i in range(DIRECT)]
    out += [(rnd.choice(partners), filler, rnd.choice(fillers)) for _i in range(N_DELIVERIES - len(out))]
    ot = warehouse.out_type_id.id
    pick_cols = ["name", "partner_id", "picking_type_id", "location_id", "location_dest_id", "move_type", "state",
                 "company_id", "date", "date_done", "scheduled_date"]  # fmt: skip
    pickings = bulk(
        cr,
        "stock_picking",
        pick_cols + bcols,
        [
            (f"BENCH/OUT/{i:05d}", pa, ot, stock, customers, "direct", "done", company.id, now, now, now, *bvals)
            for i, (pa, _p, _l) in enumerate(out)
        ],  # fmt: skip
    )
    out_moves, _out_lines = moves_and_lines(
        [
            (p, 1, lot, stock, customers, None, None, pk, pa, None, ot)
            for pk, (pa, p, lot) in zip(pickings, out, strict=True)
        ]  # fmt: skip
    )
    # a few cabinets came back (return wizard style: origin_returned_move_id)
    it = warehouse.in_type_id.id
    ret = list(range(RETURNS))
    ret_pickings = bulk(
        cr,
        "stock_picking",
        pick_cols + bcols,
        [
            (f"BENCH/RET/{i:05d}", out[i][0], it, customers, stock, "direct", "done", company.id, now, now, now, *bvals)
            for i in ret
        ],  # fmt: skip
    )
    moves_and_lines(
        [
            (out[i][1], 1, out[i][2], customers, stock, None, None, ret_pickings[n], out[i][0], out_moves[i], it)
            for n, i in enumerate(ret)
        ]  # fmt: skip
    )
    env["ir.config_parameter"].set_param("lst_bench_recall.filled", "1")
    cr.execute("ANALYZE")
    return len(pickings)


def measure(env, fn):
    """(median seconds, queries per run, result) over RUNS runs after one warm-up run (server-wide
    caches such as record rules filled, as on a running server), each on a cold record cache."""
    times, queries, result = [], set(), None
    for i in range(RUNS + 1):
        env.invalidate_all()
        start_q = env.cr.sql_log_count
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        if i:
            times.append(elapsed)
            queries.add(env.cr.sql_log_count - start_q)
        env.cr.rollback()
    return statistics.median(times), "/".join(str(q) for q in sorted(queries)), result


def main():
    ensure_db()
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", CONF, "-d", DB, "--no-http", "--log-level=warn"])
    registry = odoo.modules.registry.Registry(DB)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if not env["ir.config_parameter"].get_param("lst_bench_recall.filled"):
            say("filling the history (once) ...")
            start = time.perf_counter()
            n = fill(env)
            cr.commit()
            say(f"{n} deliveries written in {time.perf_counter() - start:.1f}s")
        cr.execute("SELECT count(*) FROM stock_picking WHERE picking_type_id IN "
                   "(SELECT id FROM stock_picking_type WHERE code = 'outgoing') AND state = 'done'")  # fmt: skip
        n_out = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM stock_move_line")
        n_lines = cr.fetchone()[0]
        lot = env["stock.lot"]
        big = lot.search([("name", "=", "BENCH-RESIN-BIG")])
        small = lot.search([("name", "=", "BENCH-RESIN-SMALL")])
        # a stock user, not the superuser: access checks and record rules are part of the cost
        user = env["res.users"].search([("login", "=", "bench_recall_user")])
        if not user:
            user = env["res.users"].create(
                {
                    "name": "Bench Recall User",
                    "login": "bench_recall_user",
                    "groups_id": [
                        (6, 0, [env.ref("stock.group_stock_user").id, env.ref("stock.group_production_lot").id])
                    ],
                }
            )
            cr.commit()
        results = []
        for label, lots in (("500 customers", big), ("50 customers", small)):
            ulots = lots.with_user(user)
            sec, q, rows = measure(env, ulots.get_recall_lines)
            customers = len({r["partner_id"] for r in rows})
            via = sum(1 for r in rows if r["via_lot_name"])
            results.append(
                (f"get_recall_lines, {label}", sec, q, f"{len(rows)} rows, {customers} customers, {via} via")
            )
            sec, q, action = measure(env, ulots.action_lst_recall)
            results.append((f"Recall button (lines inserted), {label}", sec, q, f"{len(action['domain'][0][2])} lines"))
            sec, q, _res = measure(env, lambda lots=lots: lots.with_user(user).delivery_ids.ids)
            results.append((f"standard Odoo stock.lot.delivery_ids, {label}", sec, q, "for comparison"))
        # the case's spreadsheet for the authorities (stock_recall_export.py), as the same stock user
        fillers = lot.search([("name", "like", "BENCH-FILL-%")])
        for label, lots in (("500 customers via 2 MO levels", big), ("every delivered lot", big | small | fillers)):
            case = env["stock.recall"].with_user(user).create({"lot_ids": [(6, 0, lots.ids)], "reason": "Bench"})
            cr.commit()
            sec, q, res = measure(env, case.with_user(user).get_recall_export_file)
            size = len(res["file_content"]) * 3 // 4
            results.append((f"case .xlsx export, {label}", sec, q, f"{res['row_count']} rows, {size:,} bytes"))
            case.sudo().unlink()
            cr.commit()
    print()
    print(f"Recall benchmark on {DB}: {n_out} done deliveries, {n_lines} move lines, 3-level BoM, "
          f"median of {RUNS} runs (cold record cache, after a warm-up run)")  # fmt: skip
    print(f"| {'measure':<52} | {'seconds':>8} | {'queries':>7} | {'result':<36} |")
    print(f"|{'-' * 54}|{'-' * 9}:|{'-' * 8}:|{'-' * 38}|")
    for label, sec, q, info in results:
        print(f"| {label:<52} | {sec:>8.3f} | {q:>7} | {info:<36} |")
    recall_ok = all(sec < 1.0 for label, sec, _q, _i in results if "standard" not in label and "xlsx" not in label)
    same_q = results[0][2] == results[3][2] and results[1][2] == results[4][2]
    print(f"\ngoal under 1 s: {'met' if recall_ok else 'NOT met'}; "
          f"same number of queries for 50 and 500 customers: {'yes' if same_q else 'NO'}")  # fmt: skip
    return 0 if recall_ok and same_q else 1


if __name__ == "__main__":
    sys.exit(main())
