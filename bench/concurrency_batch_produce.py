# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two users produce the same serials at the same time (manual check, real cursors, real commits).

Run like the bench (it needs the bench's module database, created by ``make bench``):
``python3 tools/devenv.py bench concurrency_batch_produce.py``. It works on a throwaway copy
(lst_bench_conc, dropped at the end). User A's batch commits; user B's batch on another MO with
the same serials fails with a serialization error, and B's retry (what Odoo's RPC/HTTP layer does
automatically) gets the UserError listing the serials as already existing. Exit code 0 when so.
"""

import os
import sys
import threading
import time

import psycopg2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_batch_produce as bench

import odoo
from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError

COPY = "lst_bench_conc"


def admin_sql(sql):
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


def setup(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        stock = env.ref("stock.stock_location_stock")
        comp = env["product.product"].create({"name": "Conc part", "is_storable": True})
        env["stock.quant"]._update_available_quantity(comp, stock, 100)
        product = env["product.product"].create({"name": "Conc chair", "is_storable": True, "tracking": "serial"})
        bom = env["mrp.bom"].create(
            {
                "product_tmpl_id": product.product_tmpl_id.id,
                "bom_line_ids": [(0, 0, {"product_id": comp.id, "product_qty": 1})],
            }
        )
        mo_ids = []
        for _i in range(2):
            mo = env["mrp.production"].create({"product_id": product.id, "product_qty": 2, "bom_id": bom.id})
            mo.action_confirm()
            mo_ids.append(mo.id)
        cr.commit()
        return mo_ids


def main():
    odoo.tools.config.parse_config(["-c", bench.CONF])
    bench.ensure_databases()
    odoo.modules.registry.Registry.delete(bench.DB_MOD)
    odoo.sql_db.close_db(bench.DB_MOD)
    admin_sql(f"DROP DATABASE IF EXISTS {COPY}")
    admin_sql(f"CREATE DATABASE {COPY} TEMPLATE {bench.DB_MOD}")
    results = {}
    try:
        registry = odoo.modules.registry.Registry(COPY)
        mo_ids = setup(registry)

        def user(name, mo_id, delay, hold):
            for _attempt in range(3):  # what odoo.service.model.retrying does on serialization errors
                try:
                    with registry.cursor() as cr:
                        env = api.Environment(cr, 2, {})
                        env["mrp.production"].search_count([])  # the transaction's snapshot starts here
                        time.sleep(delay)
                        ids = env["mrp.production"].browse(mo_id).batch_produce(["SAME-1", "SAME-2"])
                        time.sleep(hold)
                    results.setdefault(name, []).append(("ok", ids))
                    return
                except UserError as exc:
                    results.setdefault(name, []).append(("UserError", str(exc)))
                    return
                except psycopg2.errors.SerializationFailure as exc:
                    results.setdefault(name, []).append(("SerializationFailure", str(exc).strip()))

        threads = [
            threading.Thread(target=user, args=("A", mo_ids[0], 0, 1.0)),
            threading.Thread(target=user, args=("B", mo_ids[1], 0.3, 0)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with registry.cursor() as cr:
            cr.execute("SELECT name, count(*) FROM stock_lot WHERE name LIKE 'SAME-%%' GROUP BY name ORDER BY name")
            lots = cr.fetchall()
    finally:
        odoo.modules.registry.Registry.delete(COPY)
        odoo.sql_db.close_db(COPY)
        admin_sql(f"DROP DATABASE IF EXISTS {COPY}")
    for name, outcome in sorted(results.items()):
        print(f"user {name}: {outcome}")
    print(f"lots: {lots}")
    ok = (
        results["A"][-1][0] == "ok"
        and results["B"][-1][0] == "UserError"
        and "already exists" in results["B"][-1][1]
        and lots == [("SAME-1", 1), ("SAME-2", 1)]
    )
    print("one succeeds, the other gets a clear error, no duplicate:", "yes" if ok else "NO")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
