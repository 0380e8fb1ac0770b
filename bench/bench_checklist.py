#!/usr/bin/env python3
# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Traceability checklist benchmark: `make bench` (or `python3 tools/devenv.py bench bench_checklist.py`).

Runs with the virtualenv's Python and the variables tools/devenv.py sets (LST_CONF, LST_ODOO_SRC,
LST_VPY, LST_REPO, PGHOST...). It creates once, then reuses, a database ``lst_bench_checklist`` with the
module (no demo) and, written set-based (bulk INSERTs), 10,000 products under three tracking rules (lots with
and without expiration dates, serials, delivery-only serials), by hand and untracked, 100,000 quants in 11
internal locations, their lots, and the receipts (and a few deliveries) that created the serials. Some of it
fails each check. It then times stock.tracking.rule.get_checklist() for an Inventory Administrator (median of
5 runs after a warm-up run) and counts its SQL queries. Set LST_BENCH_RESET=1 to rebuild the database.
"""

import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta

from common import CONF, bulk, ensure_db

DB = os.environ.get("LST_BENCH_CHECKLIST_DB", "lst_bench_checklist")
N_PRODUCTS = 10_000
N_QUANTS = 100_000
N_SHELVES = 10
RUNS = 5
GOAL_SECONDS = 2.0


def say(msg):
    print(f"[bench_checklist] {msg}", flush=True)


def fill(env):
    """Products, lots, quants and move lines, written set-based. Per 10 products (by i % 10): 0-3 lots (1, 3
    with expiration dates), 4-5 serials, 6 delivery-only serials, 7 lots by hand (no rule), 8-9 untracked."""
    from psycopg2.extras import Json

    cr = env.cr
    rnd = random.Random(42)
    today = datetime.now()
    company = env.company.id
    uid = env.uid
    warehouse = env["stock.warehouse"].search([("company_id", "=", company)], limit=1)
    stock = warehouse.lot_stock_id
    supplier = env.ref("stock.stock_location_suppliers").id
    customer = env.ref("stock.stock_location_customers").id
    unit = env.ref("uom.product_uom_unit").id
    fefo = env.ref("product_expiry.removal_fefo")
    env["res.config.settings"].create({"group_stock_production_lot": True}).execute()
    Rule = env["stock.tracking.rule"]
    lot_rule = Rule.create({"name": "Bench lots", "tracking": "lot", "lot_prefix": "BL-"})
    serial_rule = Rule.create({"name": "Bench serials", "tracking": "serial", "lot_prefix": "BS-"})
    dlo_rule = Rule.create({"name": "Bench delivery only", "tracking": "serial", "capture": "delivery_only"})
    categ_fefo = env["product.category"].create({"name": "Bench FEFO", "removal_strategy_id": fefo.id})
    categ = env["product.category"].create({"name": "Bench"})
    shelves = [
        stock.id,
        *env["stock.location"]
        .create([{"name": f"Bench Shelf {i:02d}", "location_id": stock.id} for i in range(N_SHELVES)])
        .ids,
    ]
    env.flush_all()

    now = "2026-01-01 08:00:00"
    base = {"create_uid": uid, "write_uid": uid, "create_date": now, "write_date": now}
    bcols, bvals = list(base), list(base.values())
    kinds = {  # i % 10 -> (rule, tracking, capture, use_expiration_date)
        0: (lot_rule, "lot", "every_operation", False),
        1: (lot_rule, "lot", "every_operation", True),
        2: (lot_rule, "lot", "every_operation", False),
        3: (lot_rule, "lot", "every_operation", True),
        4: (serial_rule, "serial", "every_operation", False),
        5: (serial_rule, "serial", "every_operation", False),
        6: (dlo_rule, "serial", "delivery_only", False),
        7: (None, "lot", "every_operation", False),
        8: (None, "none", "every_operation", False),
        9: (None, "none", "every_operation", False),
    }
    tmpl_rows = []
    for i in range(N_PRODUCTS):
        rule, tracking, capture, expiry = kinds[i % 10]
        # 1 in 50 products with expiration dates sits in a category without FEFO (expiry_without_fefo)
        category = categ_fefo.id if expiry and i % 500 != 1 else categ.id
        tmpl_rows.append(
            (
                Json({"en_US": f"Bench Product {i:05d}"}),
                "consu",
                True,
                True,
                True,
                True,
                "no",
                category,
                unit,
                unit,
                tracking,
                rule.id if rule else None,
                rule.id if rule else None,
                capture,
                expiry,
                10,
                *bvals,
            )  # fmt: skip
        )
    tmpl_ids = bulk(
        cr,
        "product_template",
        [
            "name",
            "type",
            "is_storable",
            "active",
            "sale_ok",
            "purchase_ok",
            "service_tracking",
            "categ_id",
            "uom_id",
            "uom_po_id",
            "tracking",
            "tracking_rule_id",
            "effective_tracking_rule_id",
            "tracking_capture",
            "use_expiration_date",
            "expiration_time",
            *bcols,
        ],  # fmt: skip
        tmpl_rows,
    )
    product_ids = bulk(
        cr, "product_product", ["product_tmpl_id", "active", *bcols], [(t, True, *bvals) for t in tmpl_ids]
    )
    # quants: 10 per product, serials 1 unit each; a few offenders of every kind
    quants_per_product = N_QUANTS // N_PRODUCTS
    lot_rows, quant_specs = [], []  # quant spec: (product, location, qty, lot index or None)
    for i, product in enumerate(product_ids):
        kind = i % 10
        _rule, tracking, _capture, expiry = kinds[kind]
        for n in range(quants_per_product):
            location = shelves[(i + n) % len(shelves)]
            if tracking == "none" or kinds[kind][2] == "delivery_only":
                quant_specs.append((product, location, rnd.randint(1, 50), None))
                continue
            if tracking == "lot" and n == 0 and i % 200 == 0:  # plain stock of a lot product
                quant_specs.append((product, location, 5, None))
                continue
            expiration = None
            if expiry and not (n == 2 and i % 100 == 3):  # 1 in 100: an undated lot
                days = -3 if n == 1 and i % 100 == 1 else rnd.randint(10, 400)  # 1 in 100: an expired lot
                expiration = today + timedelta(days=days)
            name = f"B{i:05d}-{n:02d}" if not (n == 0 and i % 1000 == 2) else "BENCH-SHARED"  # shared names
            lot_rows.append((name, product, company, expiration, "released", *bvals))
            qty = 1 if tracking == "serial" else rnd.randint(1, 100)
            if tracking == "serial" and n == 1 and i % 300 == 4:
                qty = 2  # a serial quant of 2 units
            quant_specs.append((product, location, qty, len(lot_rows) - 1))
    lot_ids = bulk(
        cr,
        "stock_lot",
        ["name", "product_id", "company_id", "expiration_date", "lot_status", *bcols],
        lot_rows,
    )
    bulk(
        cr,
        "stock_quant",
        ["product_id", "location_id", "quantity", "reserved_quantity", "lot_id", "company_id", "in_date", *bcols],
        [
            (p, loc, q, 0, lot_ids[lot] if lot is not None else None, company, now, *bvals)
            for p, loc, q, lot in quant_specs
        ],
    )
    # the receipts that brought the serials in; 1 serial product in 100 had its serials created on deliveries
    line_rows = []
    for spec_index, (product, location, qty, lot) in enumerate(quant_specs):
        if lot is None:
            continue
        i = spec_index // quants_per_product  # the product's index: quants_per_product specs each
        at_shipping = kinds[i % 10][1] == "serial" and i % 100 == 4
        src, dst = (location, customer) if at_shipping else (supplier, location)
        line_rows.append((product, lot_ids[lot], qty, qty, unit, src, dst, "done", company, now, True, *bvals))
    bulk(
        cr,
        "stock_move_line",
        [
            "product_id",
            "lot_id",
            "quantity",
            "quantity_product_uom",
            "product_uom_id",
            "location_id",
            "location_dest_id",
            "state",
            "company_id",
            "date",
            "picked",
            *bcols,
        ],  # fmt: skip
        line_rows,
    )
    env["ir.config_parameter"].set_param("lst_bench_checklist.filled", "1")
    cr.execute("ANALYZE")
    return len(tmpl_ids), len(quant_specs), len(lot_ids), len(line_rows)


def measure(env, fn):
    """(median seconds, queries per run, result) over RUNS runs after one warm-up run (server-wide caches
    filled, as on a running server), each on a cold record cache."""
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
    ensure_db(DB, say)
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", CONF, "-d", DB, "--no-http", "--log-level=warn"])
    registry = odoo.modules.registry.Registry(DB)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if not env["ir.config_parameter"].get_param("lst_bench_checklist.filled"):
            say("filling products, lots, quants and move lines (once) ...")
            start = time.perf_counter()
            counts = fill(env)
            cr.commit()
            say(
                "%s products, %s quants, %s lots, %s move lines written in %.1fs"
                % (*counts, time.perf_counter() - start)
            )
        sizes = {}
        for table in ("product_template", "stock_quant", "stock_lot", "stock_move_line"):
            cr.execute(f"SELECT count(*) FROM {table}")
            sizes[table] = cr.fetchone()[0]
        # an Inventory Administrator, not the superuser: the access check is part of the cost
        user = env["res.users"].search([("login", "=", "bench_checklist_manager")])
        if not user:
            user = env["res.users"].create(
                {
                    "name": "Bench Checklist Manager",
                    "login": "bench_checklist_manager",
                    "groups_id": [(6, 0, [env.ref("stock.group_stock_manager").id])],
                }
            )
            cr.commit()
        rules = env["stock.tracking.rule"].with_user(user)
        sec, queries, checks = measure(env, rules.get_checklist)
    print()
    print(
        f"Checklist benchmark on {DB}: {sizes['product_template']} products, {sizes['stock_quant']} quants, "
        f"{sizes['stock_lot']} lots, {sizes['stock_move_line']} move lines; median of {RUNS} runs "
        "(cold record cache, after a warm-up run)"
    )
    print(f"| {'check':<28} | {'count':>6} |")
    print(f"|{'-' * 30}|{'-' * 7}:|")
    for check in checks:
        print(f"| {check['code']:<28} | {check['count']:>6} |")
    print(f"\nget_checklist(): {sec:.3f} s, {queries} queries")
    met = sec < GOAL_SECONDS
    print(f"goal under {GOAL_SECONDS:.0f} s: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
