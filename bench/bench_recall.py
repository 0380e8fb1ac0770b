#!/usr/bin/env python3
# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Recall benchmark: `make bench` (or `python3 tools/devenv.py bench bench_recall.py`).

Runs with the virtualenv's Python and the variables tools/devenv.py sets (LST_CONF, LST_ODOO_SRC,
LST_VPY, LST_REPO, PGHOST...). It creates once, then reuses, a database ``lst_bench_recall`` with the
module (no demo) and a history written set-based (bulk INSERTs): 10,000 done deliveries and a
3-level BoM (cabinet <- panel <- resin). Resin lot BENCH-RESIN-BIG went through one panel MO into
500 cabinet MOs, and the 500 cabinet serials went to 500 customers; BENCH-RESIN-SMALL did the same
for 50. A copy of it, ``lst_bench_recall_big``, is grown once by INSERT ... SELECT FROM generate_series
to LST_BENCH_RECALL_LINES done move lines (default 1,000,000; 0 skips it): deliveries, receipts,
internal transfers, returns and manufacturing orders over 300 lot-tracked and 100 untracked products,
45,000 lots, 10,000 customers and 3 years (see grow()), then ANALYZEd.

On both databases, as a stock user, it times and counts the SQL queries of the recall list of both
lots (get_recall_lines, the Recall button), of opening a recall case for them (action_open(): trace,
block every affected lot, customer lines) and a mock recall, and of the open case's figures, next to
standard Odoo's lot -> deliveries computation (stock.lot.delivery_ids, which follows MOs the same way).
Every run is rolled back. Set LST_BENCH_RESET=1 to rebuild the databases.
"""

import os
import random
import statistics
import subprocess
import sys
import time

from common import CONF, bulk, ensure_db, stamp_of

DB = os.environ.get("LST_BENCH_RECALL_DB", "lst_bench_recall")
# the grown history: a copy of DB with done move lines added in bulk SQL up to this many (0: skip it)
LINES = int(os.environ.get("LST_BENCH_RECALL_LINES", "1000000"))
BIG_DB = f"{DB}_big"
N_DELIVERIES = 10_000
BIG, SMALL, DIRECT, RETURNS = 500, 50, 20, 10
N_PARTNERS = 2_000
N_FILLER_LOTS = 100
RUNS = 5


def say(msg):
    print(f"[bench_recall] {msg}", flush=True)


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
            ["name", "product_id", "company_id", "lot_status", *bcols],
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


# the grown history (bulk SQL): kinds of done transfers and their share of the added move lines
GROW_SHARES = {"out": 0.45, "in": 0.25, "int": 0.10, "ret": 0.02, "mo": 0.18}
LINES_PER_PICKING = {"out": 3, "in": 5, "int": 4, "ret": 1}
N_ITEMS, N_MATERIALS, N_UNTRACKED = 240, 60, 100
N_ITEM_LOTS, N_MATERIAL_LOTS = 40_000, 5_000
N_MORE_PARTNERS = 8_000
N_SHELVES = 4
UNTRACKED_SHARE = 0.3  # of the lines of transfers: products without lots (lot_id NULL)
HISTORY_DAYS = 3 * 365


def grow(env, target):
    """Add done move lines (one per move) written by INSERT ... SELECT FROM generate_series until
    stock_move_line has ``target`` rows: deliveries (3 lines each, to 10,000 customers), receipts from
    vendors (5 lines), internal transfers to 4 shelves (4 lines), returns of random deliveries (Odoo's
    return: origin_returned_move_id) and manufacturing orders (one component line consumed by one
    finished line, stock_move_line_consume_rel), over 300 lot-tracked products and 45,000 lots plus 100
    untracked products, dates spread over 3 years. None of it touches the BENCH-RESIN lots, so the recall
    of those finds the same customers as in the small history, among 100 times more rows."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM stock_move_line")
    extra = target - cr.fetchone()[0]
    if extra <= 0:
        return 0
    company = env.company
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    stock = warehouse.lot_stock_id
    shelves = env["stock.location"].create(
        [{"name": f"Bench Shelf {i}", "location_id": stock.id, "usage": "internal"} for i in range(N_SHELVES)]
    )
    product = env["product.product"]
    categ = env.ref("product.product_category_all").id

    def products(prefix, n, tracking):
        return product.create(
            [{"name": f"{prefix} {i:03d}", "is_storable": True, "tracking": tracking, "categ_id": categ}
             for i in range(n)]
        ).ids  # fmt: skip

    items = products("Bench Item", N_ITEMS, "lot")
    materials = products("Bench Material", N_MATERIALS, "lot")
    untracked = products("Bench Untracked", N_UNTRACKED, "none")
    env.flush_all()
    uid, now = env.uid, "2026-01-01 08:00:00"
    params = {
        "uid": uid,
        "now": now,
        "company": company.id,
        "unit": env.ref("uom.product_uom_unit").id,
        "stock": stock.id,
        "shelves": shelves.ids,
        "customers": env.ref("stock.stock_location_customers").id,
        "suppliers": env.ref("stock.stock_location_suppliers").id,
        "production": env["stock.location"]
        .search([("usage", "=", "production"), ("company_id", "=", company.id)], limit=1)
        .id,
        "out_type": warehouse.out_type_id.id,
        "in_type": warehouse.in_type_id.id,
        "int_type": warehouse.int_type_id.id,
        "mo_type": warehouse.manu_type_id.id,
        "days": HISTORY_DAYS,
    }
    cr.execute("SELECT setseed(0.42)")
    # partners, lots: set-based
    cr.execute(
        """INSERT INTO res_partner (name, complete_name, active, type, is_company, lang,
                                    create_uid, write_uid, create_date, write_date)
           SELECT 'Bench Client ' || lpad(g::text, 5, '0'), 'Bench Client ' || lpad(g::text, 5, '0'), true,
                  'contact', true, 'en_US', %(uid)s, %(uid)s, %(now)s, %(now)s
             FROM generate_series(1, %(n)s) g""",
        {**params, "n": N_MORE_PARTNERS},
    )
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL")
    for prefix, prods, n in (("BENCH-L-", items, N_ITEM_LOTS), ("BENCH-M-", materials, N_MATERIAL_LOTS)):
        cr.execute(
            """INSERT INTO stock_lot (name, product_id, company_id, lot_status,
                                      create_uid, write_uid, create_date, write_date)
               SELECT %(prefix)s || lpad(g::text, 6, '0'), (%(prods)s::int4[])[1 + g %% %(np)s], %(company)s,
                      'released', %(uid)s, %(uid)s, %(now)s, %(now)s
                 FROM generate_series(1, %(n)s) g""",
            {**params, "prefix": prefix, "prods": prods, "np": len(prods), "n": n},
        )
    # what a line may carry: (idx, lot, product); tracked lots and untracked products in UNTRACKED_SHARE
    n_untracked_rows = round(N_ITEM_LOTS * UNTRACKED_SHARE / (1 - UNTRACKED_SHARE))
    cr.execute(
        """CREATE TEMP TABLE bench_goods ON COMMIT DROP AS
           SELECT (row_number() OVER (ORDER BY lot_id NULLS LAST, g) - 1)::int4 AS idx, lot_id, product_id
             FROM (SELECT id AS lot_id, product_id, 0 AS g FROM stock_lot WHERE name LIKE 'BENCH-L-%%'
                   UNION ALL
                   SELECT NULL, (%(untracked)s::int4[])[1 + g %% %(nu)s], g FROM generate_series(1, %(n)s) g) t""",
        {"untracked": untracked, "nu": len(untracked), "n": n_untracked_rows},
    )
    cr.execute(
        """CREATE TEMP TABLE bench_materials ON COMMIT DROP AS
           SELECT (row_number() OVER (ORDER BY id) - 1)::int4 AS idx, id AS lot_id, product_id
             FROM stock_lot WHERE name LIKE 'BENCH-M-%%'"""
    )
    cr.execute(
        """CREATE TEMP TABLE bench_partners ON COMMIT DROP AS
           SELECT (row_number() OVER (ORDER BY id) - 1)::int4 AS idx, id AS partner_id
             FROM res_partner WHERE name LIKE 'Bench C%%'"""
    )
    cr.execute("SELECT count(*) FROM bench_goods")
    n_goods = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM bench_partners")
    n_partners = cr.fetchone()[0]
    cr.execute(
        """CREATE TEMP TABLE bench_pick (kind text, g int4, id int4, partner_id int4, src int4, dst int4,
                                         type_id int4, date timestamp) ON COMMIT DROP;
           CREATE TEMP TABLE bench_line (kind text, g int4, move_id int4, line_id int4, picking_id int4,
                                         lot_id int4, product_id int4, qty numeric, src int4, dst int4,
                                         type_id int4, date timestamp, partner_id int4, origin_move_id int4,
                                         raw_mo int4, fin_mo int4) ON COMMIT DROP"""
    )
    counts = {kind: int(extra * share) for kind, share in GROW_SHARES.items()}
    counts["mo"] -= counts["mo"] % 2
    counts["out"] += extra - sum(counts.values())
    shelf = "(%(shelves)s::int4[])[1 + floor(random() * array_length(%(shelves)s::int4[], 1))::int4]"
    ends = {  # (source, destination, operation type, with a customer)
        "out": (shelf, "%(customers)s", "%(out_type)s", True),
        "in": ("%(suppliers)s", shelf, "%(in_type)s", False),
        "int": ("%(stock)s", shelf, "%(int_type)s", False),
    }
    date = "timestamp '2023-01-01' + make_interval(mins => floor(random() * %(days)s * 1440)::int4)"
    for kind, (src, dst, ptype, customer) in ends.items():
        per = LINES_PER_PICKING[kind]
        n_pick = -(-counts[kind] // per)
        partner = "bp.partner_id" if customer else "NULL"
        cr.execute(
            f"""INSERT INTO bench_pick
                SELECT %(kind)s, s.g, nextval('stock_picking_id_seq'), {partner}, {src}, {dst}, {ptype}, {date}
                  FROM (SELECT g, floor(random() * %(np)s)::int4 AS pi FROM generate_series(1, %(n)s) g) s
                  JOIN bench_partners bp ON bp.idx = s.pi""",
            {**params, "kind": kind, "np": n_partners, "n": n_pick},
        )
        cr.execute(
            """INSERT INTO bench_line
               SELECT %(kind)s, s.g, nextval('stock_move_id_seq'), nextval('stock_move_line_id_seq'), p.id,
                      bg.lot_id, bg.product_id, s.qty, p.src, p.dst, p.type_id, p.date, p.partner_id,
                      NULL, NULL, NULL
                 FROM (SELECT g, floor(random() * %(ng)s)::int4 AS gi, 1 + floor(random() * 20) AS qty
                         FROM generate_series(1, %(n)s) g) s
                 JOIN bench_goods bg ON bg.idx = s.gi
                 JOIN bench_pick p ON p.kind = %(kind)s AND p.g = (s.g - 1) / %(per)s + 1""",
            {**params, "kind": kind, "ng": n_goods, "n": counts[kind], "per": per},
        )
    # returns of random deliveries, one transfer each, all or part of what was delivered
    cr.execute(
        """CREATE TEMP TABLE bench_ret ON COMMIT DROP AS
           SELECT row_number() OVER ()::int4 AS g, d.move_id, d.lot_id, d.product_id, d.qty, d.partner_id, d.date
             FROM (SELECT * FROM bench_line WHERE kind = 'out' ORDER BY random() LIMIT %(n)s) d;
           INSERT INTO bench_pick
           SELECT 'ret', r.g, nextval('stock_picking_id_seq'), r.partner_id, %(customers)s, %(stock)s,
                  %(in_type)s, r.date + interval '20 days'
             FROM bench_ret r;
           INSERT INTO bench_line
           SELECT 'ret', r.g, nextval('stock_move_id_seq'), nextval('stock_move_line_id_seq'), p.id, r.lot_id,
                  r.product_id, greatest(1, floor(r.qty * random())), p.src, p.dst, p.type_id, p.date,
                  r.partner_id, r.move_id, NULL, NULL
             FROM bench_ret r JOIN bench_pick p ON p.kind = 'ret' AND p.g = r.g""",
        {**params, "n": counts["ret"]},
    )
    # manufacturing orders: one material lot consumed into one item lot
    n_mo = counts["mo"] // 2
    cr.execute(
        """CREATE TEMP TABLE bench_mo ON COMMIT DROP AS
           SELECT s.g, nextval('mrp_production_id_seq')::int4 AS id, bg.lot_id AS fin_lot,
                  bg.product_id AS fin_product, bm.lot_id AS raw_lot, bm.product_id AS raw_product,
                  s.qty, s.date
             FROM (SELECT g, floor(random() * %(ni)s)::int4 AS gi, floor(random() * %(nm)s)::int4 AS mi,
                          1 + floor(random() * 50) AS qty, {date} AS date
                     FROM generate_series(1, %(n)s) g) s
             JOIN bench_goods bg ON bg.idx = s.gi
             JOIN bench_materials bm ON bm.idx = s.mi;
           INSERT INTO mrp_production (id, name, product_id, product_qty, product_uom_id, state, company_id,
                                       consumption, date_start, date_finished, location_src_id,
                                       location_dest_id, picking_type_id, lot_producing_id,
                                       create_uid, write_uid, create_date, write_date)
           SELECT id, 'BENCH/MO/H' || lpad(g::text, 7, '0'), fin_product, qty, %(unit)s, 'done', %(company)s,
                  'flexible', date, date, %(stock)s, %(stock)s, %(mo_type)s, fin_lot,
                  %(uid)s, %(uid)s, %(now)s, %(now)s
             FROM bench_mo;
           INSERT INTO bench_line
           SELECT 'raw', g, nextval('stock_move_id_seq'), nextval('stock_move_line_id_seq'), NULL, raw_lot,
                  raw_product, 2 * qty, %(stock)s, %(production)s, %(mo_type)s, date, NULL, NULL, id, NULL
             FROM bench_mo;
           INSERT INTO bench_line
           SELECT 'fin', g, nextval('stock_move_id_seq'), nextval('stock_move_line_id_seq'), NULL, fin_lot,
                  fin_product, qty, %(production)s, %(stock)s, %(mo_type)s, date, NULL, NULL, NULL, id
             FROM bench_mo""".replace("{date}", date),
        {**params, "n": n_mo, "ni": N_ITEM_LOTS, "nm": N_MATERIAL_LOTS},
    )
    cr.execute(
        """INSERT INTO stock_picking (id, name, partner_id, picking_type_id, location_id, location_dest_id,
                                      move_type, state, company_id, date, date_done, scheduled_date,
                                      create_uid, write_uid, create_date, write_date)
           SELECT id, 'BENCH/H/' || upper(kind) || '/' || lpad(g::text, 7, '0'), partner_id, type_id, src, dst,
                  'direct', 'done', %(company)s, date, date, date, %(uid)s, %(uid)s, %(now)s, %(now)s
             FROM bench_pick;
           INSERT INTO stock_move (id, name, product_id, product_uom, product_uom_qty, quantity, location_id,
                                   location_dest_id, state, company_id, date, procure_method,
                                   raw_material_production_id, production_id, picking_id, partner_id,
                                   origin_returned_move_id, picking_type_id, picked,
                                   create_uid, write_uid, create_date, write_date)
           SELECT l.move_id, pt.name->>'en_US', l.product_id, %(unit)s, l.qty, l.qty, l.src, l.dst, 'done',
                  %(company)s, l.date, 'make_to_stock', l.raw_mo, l.fin_mo, l.picking_id, l.partner_id,
                  l.origin_move_id, l.type_id, true, %(uid)s, %(uid)s, %(now)s, %(now)s
             FROM bench_line l
             JOIN product_product pp ON pp.id = l.product_id
             JOIN product_template pt ON pt.id = pp.product_tmpl_id
            ORDER BY l.move_id;
           INSERT INTO stock_move_line (id, move_id, product_id, lot_id, quantity, quantity_product_uom,
                                        product_uom_id, location_id, location_dest_id, state, company_id, date,
                                        picking_id, picked, create_uid, write_uid, create_date, write_date)
           SELECT line_id, move_id, product_id, lot_id, qty, qty, %(unit)s, src, dst, 'done', %(company)s, date,
                  picking_id, true, %(uid)s, %(uid)s, %(now)s, %(now)s
             FROM bench_line ORDER BY line_id;
           INSERT INTO stock_move_line_consume_rel (consume_line_id, produce_line_id)
           SELECT fin.line_id, raw.line_id
             FROM bench_line fin JOIN bench_line raw ON raw.kind = 'raw' AND raw.g = fin.g
            WHERE fin.kind = 'fin'""",
        params,
    )
    cr.execute("SELECT count(*) FROM bench_line")
    return cr.fetchone()[0]


def measure(env, fn, setup=None, describe=None):
    """(best seconds, median seconds, queries per run, result) over RUNS runs after one warm-up run
    (server-wide caches such as record rules filled, as on a running server), each on a cold record cache
    and rolled back. ``setup()`` runs before the clock starts and gives fn its arguments; the clock and the
    query count stop after env.flush_all(); ``describe(result)`` runs after them, before the rollback."""
    times, queries, result = [], set(), None
    for i in range(RUNS + 1):
        args = setup() if setup else ()
        env.flush_all()
        env.invalidate_all()
        start_q = env.cr.sql_log_count
        start = time.perf_counter()
        result = fn(*args)
        env.flush_all()
        elapsed = time.perf_counter() - start
        if i:
            times.append(elapsed)
            queries.add(env.cr.sql_log_count - start_q)
        if describe:
            result = describe(result)
        env.cr.rollback()
    return min(times), statistics.median(times), "/".join(str(q) for q in sorted(queries)), result


def bench_user(env):
    """A stock user, not the superuser: access checks and record rules are part of the cost."""
    user = env["res.users"].search([("login", "=", "bench_recall_user")])
    if not user:
        user = env["res.users"].create(
            {
                "name": "Bench Recall User",
                "login": "bench_recall_user",
                "groups_id": [(6, 0, [env.ref("stock.group_stock_user").id, env.ref("stock.group_production_lot").id])],
            }
        )
        env.cr.commit()
    return user


def measure_db(env):
    """The measures on one database: [(label, best, median, queries, result)]."""
    from odoo import Command

    user = bench_user(env)
    lot = env["stock.lot"]
    results = []
    for label, lots in (
        ("500 customers", lot.search([("name", "=", "BENCH-RESIN-BIG")])),
        ("50 customers", lot.search([("name", "=", "BENCH-RESIN-SMALL")])),
    ):
        ulots = lots.with_user(user)

        def describe_rows(rows):
            customers = len({r["partner_id"] for r in rows})
            via = sum(1 for r in rows if r["via_lot_name"])
            return f"{len(rows)} rows, {customers} customers, {via} via"

        results.append(
            (f"recall list: get_recall_lines, {label}", *measure(env, ulots.get_recall_lines, None, describe_rows))
        )
        results.append(
            (
                f"recall list: Recall button (lines inserted), {label}",
                *measure(env, ulots.action_lst_recall, None, lambda a: f"{len(a['domain'][0][2])} lines"),
            )
        )
        for mock in (False, True):

            def setup(lots=lots, mock=mock):
                recall = (
                    env["stock.recall"]
                    .with_user(user)
                    .create({"lot_ids": [Command.set(lots.ids)], "reason": "Bench recall", "is_mock": mock})
                )
                return (recall,)

            def describe_case(recall):
                blocked = sum(1 for s in recall.affected_lot_ids.mapped("lot_status") if s == "blocked")
                return f"{len(recall.affected_lot_ids)} lots, {blocked} blocked, {recall.partner_count} customers"

            kind = "mock recall" if mock else "recall case"
            results.append(
                (
                    f"{kind}: action_open(), {label}",
                    *measure(env, lambda r: r.action_open() and r, setup, describe_case),
                )
            )
        # the figures of an open case (its form): customers, at customer, returned, in stock, open moves

        def open_case(lots=lots):
            recall = (
                env["stock.recall"]
                .with_user(user)
                .create({"lot_ids": [Command.set(lots.ids)], "reason": "Bench recall"})
            )
            recall.action_open()
            return (recall,)

        def figures(recall):
            return recall.read(["partner_count", "qty_at_customer", "qty_returned", "qty_in_stock", "open_move_count"])

        results.append(
            (
                f"recall case: figures of the open case (form), {label}",
                *measure(
                    env,
                    figures,
                    open_case,
                    lambda r: f"{r[0]['partner_count']} customers, {r[0]['qty_at_customer']:g} at customers",
                ),
            )
        )
        results.append(
            (
                f"standard Odoo stock.lot.delivery_ids, {label}",
                *measure(
                    env,
                    lambda lots=lots: lots.with_user(user).delivery_ids.ids,
                    None,
                    lambda ids: f"{len(ids)} deliveries",
                ),
            )
        )
    return results


def history_size(cr):
    cr.execute("SELECT count(*) FROM stock_picking WHERE picking_type_id IN "
               "(SELECT id FROM stock_picking_type WHERE code = 'outgoing') AND state = 'done'")  # fmt: skip
    n_out = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM stock_move_line")
    return n_out, cr.fetchone()[0]


def prepare():
    """The databases, built once: DB (10,000 deliveries) and BIG_DB (DB's copy grown to LINES move lines)."""
    import odoo
    from odoo import SUPERUSER_ID, api

    ensure_db(DB, say)
    odoo.tools.config.parse_config(["-c", CONF, "-d", DB, "--no-http", "--log-level=warn"])
    with odoo.modules.registry.Registry(DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if not env["ir.config_parameter"].get_param("lst_bench_recall.filled"):
            say("filling the history (once) ...")
            start = time.perf_counter()
            n = fill(env)
            cr.commit()
            say(f"{n} deliveries written in {time.perf_counter() - start:.1f}s")
        bench_user(env)
        base_lines = history_size(cr)[1]
    if LINES <= base_lines:
        return [DB]
    if ensure_db(BIG_DB, say, create=False):
        with odoo.modules.registry.Registry(BIG_DB).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            if env["ir.config_parameter"].get_param("lst_bench_recall.lines") == str(LINES):
                return [DB, BIG_DB]
        odoo.sql_db.close_db(BIG_DB)
        subprocess.run(["dropdb", "--force", BIG_DB], check=True)
    say(f"growing a copy of {DB} to {LINES:,} move lines in {BIG_DB} (once) ...")
    odoo.sql_db.close_db(DB)
    start = time.perf_counter()
    subprocess.run(["createdb", "-T", DB, BIG_DB], check=True)
    stamp_of(BIG_DB).write_text(stamp_of(DB).read_text())
    with odoo.modules.registry.Registry(BIG_DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        added = grow(env, LINES)
        env["ir.config_parameter"].set_param("lst_bench_recall.lines", str(LINES))
        cr.commit()
        written = time.perf_counter() - start
        cr.execute("ANALYZE")
        cr.commit()
        say(f"{added:,} move lines added in {written:.1f}s (copy and INSERTs), ANALYZE "
            f"{time.perf_counter() - start - written:.1f}s")  # fmt: skip
    return [DB, BIG_DB]


def main():
    import odoo
    from odoo import SUPERUSER_ID, api

    dbs = prepare()
    tables = []
    for db in dbs:
        with odoo.modules.registry.Registry(db).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            n_out, n_lines = history_size(cr)
            say(f"measuring on {db}: {n_out:,} done deliveries, {n_lines:,} move lines ...")
            tables.append((db, n_out, n_lines, measure_db(env)))
    print()
    print(f"Recall benchmark: 3-level BoM, best and median of {RUNS} runs (cold record cache, after a warm-up "
          f"run, rolled back), as a stock user")  # fmt: skip
    print(f"| {'history':<36} | {'measure':<60} | {'best s':>6} | {'median s':>8} | {'queries':>7} | {'result':<40} |")
    print(f"|{'-' * 38}|{'-' * 62}|{'-' * 7}:|{'-' * 9}:|{'-' * 8}:|{'-' * 42}|")
    for _db, n_out, n_lines, results in tables:
        history = f"{n_out:,} deliveries, {n_lines:,} lines"
        for label, best, median, q, info in results:
            print(f"| {history:<36} | {label:<60} | {best:>6.3f} | {median:>8.3f} | {q:>7} | {info:<40} |")
    last = tables[-1][3]
    list_s = max(m for label, _b, m, _q, _i in last if label.startswith("recall list"))
    case_s = max(m for label, _b, m, _q, _i in last if "action_open" in label)
    by_size = {}  # (measure, customers) -> query counts at each size
    by_customers = {}  # measure -> query counts for 50 and 500 customers, at every size
    for _db, _o, _n, results in tables:
        for label, _b, _m, q, _i in results:
            measure_name, customers = label.rsplit(", ", 1)
            by_size.setdefault((measure_name, customers), set()).add(q)
            by_customers.setdefault(measure_name, {}).setdefault(customers, set()).add(q)
    same_sizes = all(len(qs) == 1 for qs in by_size.values())
    list_constant = all(
        len(set().union(*counts.values())) == 1
        for name, counts in by_customers.items()
        if name.startswith("recall list")
    )
    ok = list_s < 1.0 and case_s < 2.0 and same_sizes and list_constant
    print(f"\nlargest history: recall list {list_s:.3f} s (goal < 1 s), case open {case_s:.3f} s (goal < 2 s); "
          f"same query counts at every size: {'yes' if same_sizes else 'NO'}; "
          f"recall list: same query count for 50 and 500 customers: {'yes' if list_constant else 'NO'}")  # fmt: skip
    for name, counts in by_customers.items():
        print(f"  {name}: " + ", ".join(f"{'/'.join(sorted(qs))} queries for {c}" for c, qs in counts.items()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
