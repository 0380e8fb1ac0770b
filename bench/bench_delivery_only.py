# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Delivery-only capture vs Odoo's standard serial receipt and delivery, side by side.

Run with ``make bench`` (or ``python3 tools/devenv.py bench bench_delivery_only.py``). Uses the two databases
of bench_batch_produce.py (standard Odoo with ``mrp``; the same with ``lot_serial_tracking``).

For N serials, each case builds its picking (not measured), then measures two phases, flush included:
- capture: how the serials are given. ``set_lot_names`` (the module's XML-RPC method), or what the web
  client does for Detailed Operations > Import Serials / Generate Serials: ``action_generate_lot_line_vals``,
  then the save of the picking with one line per serial (the dialog replaces the existing lines);
- validate: ``button_validate`` of the picking.
Cases: a standard serial product received from a vendor (Import Serials in both databases, set_lot_names
in the module's); the same product delivered from stock (serials reserved beforehand: validation only);
a delivery-only serial product (plain stock) delivered to a customer, its serials given by set_lot_names,
Import Serials or Generate Serials. Everything is rolled back after each run.

Environment: BENCH_DO_SIZES="100,1000" (default), BENCH_REPEAT=3 (the fastest run of each case counts).
"""

import os
import sys
import time

import bench_batch_produce as common

import odoo
from odoo import SUPERUSER_ID, Command, api

SIZES = [int(s) for s in os.environ.get("BENCH_DO_SIZES", "100,1000").split(",") if s.strip()]

# (case, database, how the serials are given); the ratios compare against REFERENCE
CASES = [
    ("receipt", common.DB_STD, "import"),
    ("receipt", common.DB_MOD, "import"),
    ("receipt", common.DB_MOD, "set_lot_names"),
    ("delivery", common.DB_STD, "reserved"),
    ("delivery", common.DB_MOD, "reserved"),
    ("delivery-only delivery", common.DB_MOD, "set_lot_names"),
    ("delivery-only delivery", common.DB_MOD, "import"),
    ("delivery-only delivery", common.DB_MOD, "generate"),
]
REFERENCE = ("receipt", common.DB_STD, "import")


def reference(how):
    """The standard receipt a case compares with: the same way of giving serials (set_lot_names exists only
    with the module; Import and Generate Serials compare with standard Odoo's Import Serials)."""
    return ("receipt", common.DB_MOD, "set_lot_names") if how == "set_lot_names" else REFERENCE


def measure(env, func):
    env.flush_all()
    cr = env.cr
    q0, t0 = cr.sql_log_count, time.perf_counter()
    func()
    env.flush_all()
    return cr.sql_log_count - q0, time.perf_counter() - t0


def picking_of(env, picking_type, product, n, src, dest):
    picking = env["stock.picking"].create(
        {
            "picking_type_id": picking_type.id,
            "location_id": src.id,
            "location_dest_id": dest.id,
            "partner_id": env["res.partner"].create({"name": "Bench partner"}).id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": n,
                        "product_uom": product.uom_id.id,
                        "location_id": src.id,
                        "location_dest_id": dest.id,
                    }
                )
            ],
        }
    )
    picking.action_confirm()
    picking.action_assign()
    return picking


def dialog_lines(env, picking, mode, names):
    """Detailed Operations > Import / Generate Serials, then Save: what the web client sends."""
    move = picking.move_ids
    context = {
        "default_product_id": move.product_id.id,
        "default_location_id": move.location_id.id,
        "default_location_dest_id": move.location_dest_id.id,
        "default_picking_type_id": move.picking_type_id.id,
        "default_picking_id": picking.id,
        "default_company_id": move.company_id.id,
        "default_tracking": move.has_tracking,
        "default_quantity": move.product_qty,
        "picking_type_code": picking.picking_type_id.code,
    }
    if mode == "import":
        vals_list = env["stock.move"].action_generate_lot_line_vals(context, "import", "", 0, "\n".join(names))
    else:
        vals_list = env["stock.move"].action_generate_lot_line_vals(context, "generate", names[0], len(names), False)
    fields = env["stock.move.line"]._fields
    commands = [Command.delete(ml.id) for ml in move.move_line_ids]
    for vals in vals_list:
        commands.append(
            Command.create(
                {
                    key: value["id"] if isinstance(value, dict) else value
                    for key, value in vals.items()
                    if key in fields and fields[key].store and key != "move_id"
                }
            )
        )
    picking.write({"move_ids_without_package": [Command.update(move.id, {"move_line_ids": commands})]})


def scenario(env, case, how, n):
    """{phase: (queries, seconds)} for one case; checks the result."""
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    stock = warehouse.lot_stock_id
    customers = env.ref("stock.stock_location_customers")
    suppliers = env.ref("stock.stock_location_suppliers")
    Product = env["product.product"]
    if case == "delivery-only delivery":
        rule = env["stock.tracking.rule"].create(
            {
                "name": "Bench delivery-only",
                "tracking": "serial",
                "capture": "delivery_only",
                "lot_prefix": "BDO-",
                "lot_padding": 5,
            }
        )
        template = env["product.template"].create(
            {"name": "Bench lamp", "is_storable": True, "tracking_rule_id": rule.id}
        )
        product = template.product_variant_id
        assert product.tracking == "serial" and product._lst_is_delivery_only()
    else:
        product = Product.create({"name": "Bench serial", "is_storable": True, "tracking": "serial"})
    names = [f"BDO-{i:05d}" for i in range(1, n + 1)]
    if case == "receipt":
        picking = picking_of(env, warehouse.in_type_id, product, n, suppliers, stock)
    elif case == "delivery":
        lots = env["stock.lot"].create([{"product_id": product.id, "name": name} for name in names])
        for lot in lots:
            env["stock.quant"]._update_available_quantity(product, stock, 1, lot_id=lot)
        picking = picking_of(env, warehouse.out_type_id, product, n, stock, customers)
        assert len(picking.move_line_ids.lot_id) == n
    else:
        env["stock.quant"]._update_available_quantity(product, stock, n)
        picking = picking_of(env, warehouse.out_type_id, product, n, stock, customers)
    phases = {}
    if how == "set_lot_names":
        phases["capture"] = measure(env, lambda: picking.move_ids.set_lot_names(names))
    elif how in ("import", "generate"):
        phases["capture"] = measure(env, lambda: dialog_lines(env, picking, how, names))
    else:
        phases["capture"] = (0, 0.0)
    res = {}
    phases["validate"] = measure(env, lambda: res.update(result=picking.button_validate()))
    assert res["result"] is True, res
    assert picking.state == "done", picking.state
    done = picking.move_line_ids
    assert len(done) == n and len(done.lot_id) == n, (len(done), len(done.lot_id))
    assert sorted(done.lot_id.mapped("name")) == names
    return phases


def run(db, case, how, n):
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        env = env(user=admin.id, context=dict(admin.context_get(), tz="UTC"))
        try:
            return scenario(env, case, how, n)
        finally:
            cr.rollback()


def total(phases):
    return sum(q for q, _s in phases.values()), sum(s for _q, s in phases.values())


def main():
    odoo.tools.config.parse_config(["-c", common.CONF])
    odoo.tools.config["log_level"] = "warn"
    odoo.netsvc.init_logger()
    common.ensure_databases()
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    only = [c for c in os.environ.get("BENCH_DO_CASES", "").split(",") if c]
    results = {}
    for n in SIZES:
        for case, db, how in CASES:
            if only and f"{case}/{how}" not in only and (case, db, how) not in (REFERENCE, reference(how)):
                continue
            best = min((run(db, case, how, n) for _i in range(repeat)), key=lambda p: total(p)[1])
            results[n, case, db, how] = best
            q, s = total(best)
            print(f"[bench] N={n} {case} ({how}) in {db}: {q} q {s:.2f} s", flush=True)
    print()
    print("Serial capture: standard Odoo 18 receipt and delivery vs delivery-only delivery (best of %s)" % repeat)
    print(
        "| N | case | database | serials given by | capture q | capture s | validate q | validate s "
        "| total q | q/serial | total s | time vs standard receipt |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    goal_met = True
    for (n, case, db, how), phases in results.items():
        q, s = total(phases)
        ref_s = total(results.get((n, *reference(how)), results[(n, *REFERENCE)]))[1]
        label = "standard Odoo" if db == common.DB_STD else "with module"
        print(
            f"| {n} | {case} | {label} | {how} | {phases['capture'][0]} | {phases['capture'][1]:.2f} "
            f"| {phases['validate'][0]} | {phases['validate'][1]:.2f} | {q} | {q / n:.1f} | {s:.2f} | {s / ref_s:.2f} |"
        )
        if case == "delivery-only delivery" and s > 1.2 * ref_s:
            goal_met = False
    print(
        "\ntime vs standard receipt: set_lot_names compares with set_lot_names on a standard receipt (module), "
        "Import/Generate Serials with Import Serials on a standard receipt (standard Odoo)"
    )
    if 100 in SIZES and 1000 in SIZES:
        for case, db, how in CASES:
            if (100, case, db, how) in results and (1000, case, db, how) in results:
                ratio = total(results[1000, case, db, how])[1] / total(results[100, case, db, how])[1]
                label = "standard Odoo" if db == common.DB_STD else "with module"
                print(f"time(1000)/time(100): {case} ({how}, {label}): {ratio:.1f}")
    print(f"goal (delivery-only delivery <= 1.2x the standard receipt's time): {'met' if goal_met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
