# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The traceability checklist (issue 15): every check finds its offending records and is ok once they are
fixed, counts only the records of the user's companies, is for Inventory Administrators only, and runs in
the same number of queries whatever the number of products."""

from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from ..models.stock_tracking_rule_checklist import CHECK_CODES


def clear_baseline(env):
    """Make every check pass on the (demo) database, so that each test sees only what it creates: offending
    products are archived, offending quants deleted, offending lots renamed or dated (plain SQL: it is the
    starting point of the tests, not what they check)."""
    cr = env.cr
    group_user = env.ref("base.group_user")
    group_user.implied_ids |= env.ref("stock.group_production_lot")
    for check in env["stock.tracking.rule"].get_checklist():
        ids = tuple(check["res_ids"]) or (0,)
        if check["code"] == "lots_disabled":
            continue
        if check["res_model"] == "product.template":
            cr.execute("UPDATE product_template SET active = false WHERE id IN %s", [ids])
        elif check["res_model"] == "stock.quant":
            cr.execute("DELETE FROM stock_quant WHERE id IN %s", [ids])
        elif check["code"] == "lot_names_shared":
            cr.execute("UPDATE stock_lot SET name = name || '-' || id WHERE id IN %s", [ids])
        elif check["code"] == "lots_without_expiry":
            cr.execute("UPDATE stock_lot SET expiration_date = now() + interval '1 year' WHERE id IN %s", [ids])
        elif check["code"] == "expired_in_stock":
            cr.execute("UPDATE stock_lot SET expiration_date = now() + interval '1 year' WHERE id IN %s", [ids])
    env.invalidate_all()


class ChecklistCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        clear_baseline(env)
        cls.stock = env.ref("stock.stock_location_stock")
        cls.customers = env.ref("stock.stock_location_customers")
        cls.suppliers = env.ref("stock.stock_location_suppliers")
        cls.Quant = env["stock.quant"]
        cls.Rule = env["stock.tracking.rule"]
        cls.lot_rule = cls.Rule.create({"name": "CL lots", "tracking": "lot", "lot_prefix": "CLL-"})
        cls.serial_rule = cls.Rule.create({"name": "CL serials", "tracking": "serial", "lot_prefix": "CLS-"})
        cls.dlo_rule = cls.Rule.create(
            {"name": "CL delivery only", "tracking": "serial", "capture": "delivery_only", "lot_prefix": "CLD-"}
        )
        # with the shelf-life fields of the rule (issue 15, first half) the rule drives use_expiration_date
        shelf_life = {"use_expiration_date": True} if "use_expiration_date" in cls.Rule._fields else {}
        cls.expiry_rule = cls.Rule.create({"name": "CL perishable lots", "tracking": "lot", **shelf_life})
        cls.rule_strategy = "removal_strategy_id" in cls.Rule._fields
        cls.categ = env["product.category"].create({"name": "CL Category"})
        cls.manager = new_test_user(
            env, login="cl_manager", groups="stock.group_stock_manager,stock.group_production_lot"
        )

    def checks(self, user=None, companies=None):
        model = self.Rule.with_user(user) if user else self.Rule
        if companies:
            model = model.with_context(allowed_company_ids=companies.ids)
        self.env.invalidate_all()
        return {check["code"]: check for check in model.get_checklist()}

    def check(self, code, **kw):
        return self.checks(**kw)[code]

    def product(self, name, rule=None, **vals):
        return self.env["product.product"].create(
            {
                "name": name,
                "is_storable": True,
                "categ_id": self.categ.id,
                "tracking_rule_id": rule.id if rule else False,
                **vals,
            }
        )

    def lot(self, product, name, **vals):
        return self.env["stock.lot"].create({"name": name, "product_id": product.id, **vals})


@tagged("post_install", "-at_install")
class TestChecklist(ChecklistCase):
    def test_shape_and_all_ok_at_start(self):
        checks = self.Rule.get_checklist()
        self.assertEqual([c["code"] for c in checks], list(CHECK_CODES))
        for check in checks:
            self.assertTrue(check["ok"], check)
            self.assertEqual(check["count"], 0)
            self.assertEqual(check["res_ids"], [])
            for key in ("title", "how_to_fix", "res_model", "fix_label", "fix_model", "fix_ids", "fix_method"):
                self.assertIn(key, check)
            self.assertTrue(check["title"] and check["how_to_fix"])

    def test_lots_disabled(self):
        tracked = self.product("CL Tracked", self.lot_rule)
        self.assertTrue(self.check("lots_disabled")["ok"])
        self.env.ref("base.group_user").implied_ids -= self.env.ref("stock.group_production_lot")
        check = self.check("lots_disabled")
        self.assertFalse(check["ok"])
        self.assertGreaterEqual(check["count"], 4)  # three rules and at least the product
        self.assertEqual(check["res_model"], "product.template")
        self.assertIn(tracked.product_tmpl_id.id, check["res_ids"])
        self.assertEqual(check["fix_method"], "action_enable_lots")
        # the fix button: Odoo's own setting
        wizard = self.env["stock.traceability.checklist"].create({})
        line = wizard.line_ids.filtered(lambda line: line.code == "lots_disabled")
        self.assertFalse(line.ok)
        line.action_fix()
        self.assertIn(self.env.ref("stock.group_production_lot"), self.env.ref("base.group_user").implied_ids)
        self.assertTrue(self.check("lots_disabled")["ok"])
        self.assertTrue(wizard.line_ids.filtered(lambda line: line.code == "lots_disabled").ok, "refreshed")

    def test_tracked_without_rule(self):
        by_hand = self.product("CL By Hand", tracking="lot")
        ruled = self.product("CL Ruled", self.lot_rule)
        check = self.check("tracked_without_rule")
        self.assertEqual((check["count"], check["res_ids"]), (1, [by_hand.product_tmpl_id.id]))
        self.assertNotIn(ruled.product_tmpl_id.id, check["res_ids"])
        self.assertEqual(check["fix_model"], "stock.tracking.rule")
        # an archived rule tracks nothing: its products are tracked by hand
        self.lot_rule.active = False
        self.assertEqual(self.check("tracked_without_rule")["count"], 2)
        self.lot_rule.active = True
        by_hand.tracking_rule_id = self.lot_rule
        self.assertTrue(self.check("tracked_without_rule")["ok"])

    def test_stock_without_numbers(self):
        lot_product = self.product("CL Lot Product", self.lot_rule)
        serial_product = self.product("CL Serial Product", self.serial_rule)
        dlo_product = self.product("CL Delivery Only", self.dlo_rule)
        lot = self.lot(lot_product, "CL-LOT-1")
        serial = self.lot(serial_product, "CL-SN-1")
        self.Quant._update_available_quantity(lot_product, self.stock, -2, lot_id=lot)
        self.Quant._update_available_quantity(lot_product, self.stock, 5)
        self.Quant._update_available_quantity(serial_product, self.stock, 2, lot_id=serial)
        self.Quant._update_available_quantity(dlo_product, self.stock, 7)  # plain stock is its normal state
        self.Quant._update_available_quantity(lot_product, self.customers, 3)  # not an internal location
        quants = self.Quant.search(
            [("product_id", "in", (lot_product | serial_product).ids), ("location_id", "=", self.stock.id)]
        )
        check = self.check("stock_without_numbers")
        self.assertEqual(check["count"], 3)
        self.assertEqual(sorted(check["res_ids"]), sorted(quants.ids))
        self.assertEqual(check["res_model"], "stock.quant")
        # fixed by counting the stock (inventory adjustments): the lot has the 5 units, the serial one
        quants = quants.sorted(lambda q: (q.product_id.id, q.lot_id.id or 0))  # plain, lot, serial
        for quant, counted in zip(quants, (0, 5, 1), strict=True):
            quant.with_context(inventory_mode=True).inventory_quantity = counted
            quant.action_apply_inventory()
        self.assertEqual(quants.mapped("quantity"), [0, 5, 1])
        self.assertTrue(self.check("stock_without_numbers")["ok"])

    def test_expiry_without_fefo(self):
        fefo = self.env.ref("product_expiry.removal_fefo")
        fifo = self.env.ref("stock.removal_fifo")
        milk = self.product("CL Milk", self.expiry_rule, use_expiration_date=True)
        self.product("CL Nails", self.lot_rule)  # no expiration dates: any strategy
        check = self.check("expiry_without_fefo")
        self.assertEqual((check["count"], check["res_ids"]), (1, [milk.product_tmpl_id.id]))
        # the category's strategy decides wherever the stock is
        self.categ.removal_strategy_id = fefo
        self.assertTrue(self.check("expiry_without_fefo")["ok"])
        self.categ.removal_strategy_id = fifo
        self.assertFalse(self.check("expiry_without_fefo")["ok"])
        # no category strategy: the nearest location with one, from the warehouse's stock location up
        self.categ.removal_strategy_id = False
        warehouse = self.env["stock.warehouse"].search([("lot_stock_id", "=", self.stock.id)])
        warehouse.view_location_id.removal_strategy_id = fefo
        others = self.env["stock.warehouse"].search(
            [("company_id", "in", self.env.companies.ids), ("id", "!=", warehouse.id)]
        )
        others.view_location_id.removal_strategy_id = fefo
        self.assertTrue(self.check("expiry_without_fefo")["ok"])
        # stock on a shelf that forces FIFO
        shelf = self.env["stock.location"].create(
            {"name": "CL FIFO Shelf", "location_id": self.stock.id, "removal_strategy_id": fifo.id}
        )
        lot = self.lot(milk, "CL-MILK-1")
        self.Quant._update_available_quantity(milk, shelf, 3, lot_id=lot)
        check = self.check("expiry_without_fefo")
        self.assertEqual(check["res_ids"], [milk.product_tmpl_id.id])
        if self.rule_strategy:  # the rule's removal strategy is the one to set
            self.assertEqual((check["fix_model"], check["fix_ids"]), ("stock.tracking.rule", self.expiry_rule.ids))
        else:
            self.assertEqual((check["fix_model"], check["fix_ids"]), ("product.category", self.categ.ids))
        shelf.removal_strategy_id = fefo
        self.assertTrue(self.check("expiry_without_fefo")["ok"])

    def test_expiry_rule_strategy_wins(self):
        """With the rule's removal strategy (shelf-life half of issue 15), it wins over the category's."""
        if not self.rule_strategy:
            self.skipTest("stock.tracking.rule has no removal_strategy_id on this branch")
        fefo = self.env.ref("product_expiry.removal_fefo")
        fifo = self.env.ref("stock.removal_fifo")
        milk = self.product("CL Milk", self.expiry_rule, use_expiration_date=True)
        self.categ.removal_strategy_id = fifo
        self.expiry_rule.removal_strategy_id = fefo
        self.assertTrue(self.check("expiry_without_fefo")["ok"])
        self.categ.removal_strategy_id = fefo
        self.expiry_rule.removal_strategy_id = fifo
        self.assertEqual(self.check("expiry_without_fefo")["res_ids"], milk.product_tmpl_id.ids)

    def test_lots_without_expiry_and_expired_in_stock(self):
        self.categ.removal_strategy_id = self.env.ref("product_expiry.removal_fefo")
        milk = self.product("CL Milk", self.expiry_rule, use_expiration_date=True)
        undated = self.lot(milk, "CL-MILK-UNDATED")
        undated.expiration_date = False
        expired = self.lot(milk, "CL-MILK-OLD", expiration_date=fields.Datetime.now() - timedelta(days=2))
        fresh = self.lot(milk, "CL-MILK-NEW", expiration_date=fields.Datetime.now() + timedelta(days=20))
        gone = self.lot(milk, "CL-MILK-SOLD", expiration_date=fields.Datetime.now() - timedelta(days=5))
        for lot in (undated, expired, fresh):
            self.Quant._update_available_quantity(milk, self.stock, 4, lot_id=lot)
        self.Quant._update_available_quantity(milk, self.customers, 4, lot_id=gone)  # expired, not in stock
        checks = self.checks()
        self.assertEqual(
            (checks["lots_without_expiry"]["count"], checks["lots_without_expiry"]["res_ids"]), (1, undated.ids)
        )
        self.assertEqual((checks["expired_in_stock"]["count"], checks["expired_in_stock"]["res_ids"]), (1, expired.ids))
        self.assertEqual(checks["expired_in_stock"]["res_model"], "stock.lot")
        undated.expiration_date = fields.Datetime.now() + timedelta(days=30)
        self.Quant._update_available_quantity(milk, self.stock, -4, lot_id=expired)  # scrapped
        checks = self.checks()
        self.assertTrue(checks["lots_without_expiry"]["ok"])
        self.assertTrue(checks["expired_in_stock"]["ok"])

    def _deliver(self, product, names):
        """One delivery of `product`, one serial per name (created on the delivery when new), validated."""
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.env.ref("stock.picking_type_out").id,
                "location_id": self.stock.id,
                "location_dest_id": self.customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": len(names),
                            "location_id": self.stock.id,
                            "location_dest_id": self.customers.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.move_line_ids.unlink()
        # a serial not in stock is created from the delivery line (the Lot/Serial field's "Create")
        lots = self.env["stock.lot"].search([("product_id", "=", product.id), ("name", "in", names)])
        known = {lot.name: lot for lot in lots}
        picking.move_ids.move_line_ids = [
            Command.create(
                {
                    "product_id": product.id,
                    "lot_id": (known.get(name) or self.lot(product, name)).id,
                    "quantity": 1,
                    "location_id": self.stock.id,
                    "location_dest_id": self.customers.id,
                    "picking_id": picking.id,
                }
            )
            for name in names
        ]
        picking.move_ids.picked = True
        picking._action_done()
        self.assertEqual(picking.state, "done")
        return picking

    def _receive(self, product, names):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.env.ref("stock.picking_type_in").id,
                "location_id": self.suppliers.id,
                "location_dest_id": self.stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": len(names),
                            "location_id": self.suppliers.id,
                            "location_dest_id": self.stock.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.move_line_ids.unlink()
        picking.move_ids.move_line_ids = [
            Command.create(
                {
                    "product_id": product.id,
                    "lot_name": name,
                    "quantity": 1,
                    "location_id": self.suppliers.id,
                    "location_dest_id": self.stock.id,
                    "picking_id": picking.id,
                }
            )
            for name in names
        ]
        picking.move_ids.picked = True
        picking._action_done()
        self.assertEqual(picking.state, "done")
        return picking

    def test_serials_created_at_shipping(self):
        phone = self.product("CL Phone", self.serial_rule)
        self._receive(phone, ["CL-PH-R1"])
        self._deliver(phone, ["CL-PH-R1"])  # received first: a real trace
        self._deliver(phone, ["CL-PH-X1", "CL-PH-X2"])
        self.assertTrue(self.check("serials_created_at_shipping")["ok"], "2 of 3: under the minimum")
        self._deliver(phone, ["CL-PH-X3"])
        check = self.check("serials_created_at_shipping")
        self.assertEqual((check["count"], check["res_ids"]), (1, [phone.product_tmpl_id.id]))
        self.assertEqual((check["fix_model"], check["fix_ids"]), ("stock.tracking.rule", self.serial_rule.ids))
        # delivery-only serials are created at shipping by design
        lamp = self.product("CL Lamp", self.dlo_rule)
        self.Quant._update_available_quantity(lamp, self.stock, 3)
        self._deliver(lamp, ["CL-LA-1", "CL-LA-2", "CL-LA-3"])
        self.assertEqual(self.check("serials_created_at_shipping")["res_ids"], [phone.product_tmpl_id.id])
        # fixed: serials are received again, and the invented ones are now the minority
        self._receive(phone, ["CL-PH-R2", "CL-PH-R3", "CL-PH-R4"])
        self.assertTrue(self.check("serials_created_at_shipping")["ok"])

    def test_lot_names_shared(self):
        flour = self.product("CL Flour", self.lot_rule)
        sugar = self.product("CL Sugar", self.lot_rule)
        one = self.lot(flour, "CL-BATCH-7")
        two = self.lot(sugar, "CL-BATCH-7")
        self.lot(flour, "CL-BATCH-8")
        check = self.check("lot_names_shared")
        self.assertEqual((check["count"], check["res_ids"]), (2, (one | two).ids))
        self.assertEqual((check["fix_model"], check["fix_ids"]), ("stock.tracking.rule", self.lot_rule.ids))
        two.name = "CL-BATCH-7S"
        self.assertTrue(self.check("lot_names_shared")["ok"])
        # the same name in two companies is not shared
        company_b = self.env["res.company"].create({"name": "CL Company B"})
        self.lot(sugar, "CL-BATCH-7", company_id=company_b.id)
        self.assertTrue(self.check("lot_names_shared", companies=self.env.company | company_b)["ok"])

    def test_wizard_lines_open_and_fix(self):
        by_hand = self.product("CL By Hand", tracking="serial")
        action = self.env["stock.traceability.checklist"].with_user(self.manager).action_open_checklist()
        wizard = self.env["stock.traceability.checklist"].with_user(self.manager).browse(action["res_id"])
        self.assertEqual(wizard.line_ids.mapped("code"), list(CHECK_CODES))
        self.assertEqual(wizard.problem_count, 1)
        line = wizard.line_ids.filtered(lambda line: line.code == "tracked_without_rule")
        self.assertEqual((line.count, line.ok), (1, False))
        opened = line.action_open_records()
        self.assertEqual(opened["res_model"], "product.template")
        self.assertEqual(opened["domain"], [("id", "in", by_hand.product_tmpl_id.ids)])
        fix = line.action_fix()
        self.assertEqual(fix["res_model"], "stock.tracking.rule")
        # open runs the checks again: a line fixed meanwhile opens nothing
        by_hand.tracking_rule_id = self.serial_rule
        with self.assertRaisesRegex(Exception, "nothing to fix"):
            line.action_open_records()
        wizard.action_refresh()
        self.assertEqual(wizard.problem_count, 0)

    def test_open_is_bounded(self):
        """Open shows at most _lst_checklist_limit records (1,000), and its title says how many there are."""
        products = self.env["product.product"]
        for i in range(3):
            products |= self.product(f"CL By Hand {i}", tracking="lot")
        with patch.object(type(self.Rule), "_lst_checklist_limit", 2):
            check = self.check("tracked_without_rule")
            self.assertEqual((check["count"], check["res_ids"]), (3, products.product_tmpl_id.ids[:2]))
            wizard = self.env["stock.traceability.checklist"].create({})
            line = wizard.line_ids.filtered(lambda line: line.code == "tracked_without_rule")
            action = line.action_open_records()
        self.assertEqual(action["domain"], [("id", "in", products.product_tmpl_id.ids[:2])])
        self.assertIn("first 2 of 3", action["name"])

    def test_enable_lots_needs_an_administrator(self):
        self.product("CL Tracked", self.lot_rule)
        self.env.ref("base.group_user").implied_ids -= self.env.ref("stock.group_production_lot")
        wizard = self.env["stock.traceability.checklist"].with_user(self.manager).create({})
        line = wizard.line_ids.filtered(lambda line: line.code == "lots_disabled")
        with self.assertRaisesRegex(Exception, "administrator"):
            line.action_fix()


@tagged("post_install", "-at_install")
class TestChecklistRemovalLikeOdoo(ChecklistCase):
    """expiry_without_fefo reads the removal strategy in SQL: it must say what Odoo's own lookup
    (stock.quant._get_removal_strategy, with the module's overrides) says, at the warehouse stock locations and
    wherever the product has stock, for every combination of category, parent location and shelf strategy."""

    def test_same_verdict_as_odoo(self):
        fefo = self.env.ref("product_expiry.removal_fefo")
        fifo = self.env.ref("stock.removal_fifo")
        lifo = self.env.ref("stock.removal_lifo")
        milk = self.product("CL Milk", self.expiry_rule, use_expiration_date=True)
        shelf = self.env["stock.location"].create({"name": "CL Shelf", "location_id": self.stock.id})
        self.Quant._update_available_quantity(milk, shelf, 3, lot_id=self.lot(milk, "CL-MILK-1"))
        warehouses = self.env["stock.warehouse"].search([("company_id", "in", self.env.companies.ids)])
        where = warehouses.lot_stock_id | shelf
        seen = set()
        for categ_strategy in (False, fefo, fifo):
            for view_strategy in (False, fefo, lifo):
                for shelf_strategy in (False, fefo, fifo):
                    self.categ.removal_strategy_id = categ_strategy
                    warehouses.view_location_id.removal_strategy_id = view_strategy
                    shelf.removal_strategy_id = shelf_strategy
                    self.env.flush_all()
                    odoo_says = any(self.Quant._get_removal_strategy(milk, location) != "fefo" for location in where)
                    check = self.check("expiry_without_fefo")
                    self.assertEqual(
                        bool(check["count"]),
                        odoo_says,
                        "category %s, warehouse %s, shelf %s"
                        % tuple(s.name if s else "-" for s in (categ_strategy, view_strategy, shelf_strategy)),
                    )
                    seen.add(odoo_says)
        self.assertEqual(seen, {True, False})


@tagged("post_install", "-at_install")
class TestChecklistAccess(ChecklistCase):
    def test_stock_user_refused(self):
        user = new_test_user(self.env, login="cl_user", groups="stock.group_stock_user,stock.group_production_lot")
        with self.assertRaises(AccessError):
            self.Rule.with_user(user).get_checklist()
        with self.assertRaises(AccessError):
            self.env["stock.traceability.checklist"].with_user(user).action_open_checklist()
        self.assertTrue(self.Rule.with_user(self.manager).get_checklist())

    def test_companies_apart(self):
        company_a = self.env.company
        company_b = self.env["res.company"].create({"name": "CL Company B"})
        manager_b = new_test_user(
            self.env,
            login="cl_manager_b",
            groups="stock.group_stock_manager,stock.group_production_lot",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        secret = self.product("CL Secret of A", tracking="lot", company_id=company_a.id)
        shared = self.product("CL Shared", self.lot_rule)
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)], limit=1)
        lot_a = self.lot(shared, "CL-SH-A", company_id=company_a.id)
        self.Quant._update_available_quantity(shared, self.stock, 2)  # plain stock of a lot product in A
        self.Quant._update_available_quantity(shared, warehouse_b.lot_stock_id, 3)  # and in B
        self.lot(secret, "CL-SH-A", company_id=company_a.id)  # shared name in A
        checks_a = self.checks(user=self.manager)
        self.assertEqual(checks_a["tracked_without_rule"]["res_ids"], secret.product_tmpl_id.ids)
        self.assertEqual(checks_a["stock_without_numbers"]["count"], 1)
        self.assertIn(lot_a.id, checks_a["lot_names_shared"]["res_ids"])
        checks_b = self.checks(user=manager_b)
        self.assertTrue(checks_b["tracked_without_rule"]["ok"], "company A's product is not B's business")
        self.assertTrue(checks_b["lot_names_shared"]["ok"])
        quant_b = self.Quant.search([("product_id", "=", shared.id), ("location_id", "=", warehouse_b.lot_stock_id.id)])
        self.assertEqual(checks_b["stock_without_numbers"]["res_ids"], quant_b.ids)
        # a user of both companies sees what the companies selected show
        self.manager.company_ids = company_a | company_b
        self.assertEqual(self.checks(user=self.manager, companies=company_a)["stock_without_numbers"]["count"], 1)
        both = self.checks(user=self.manager, companies=company_a | company_b)
        self.assertEqual(both["stock_without_numbers"]["count"], 2)
        # and not a company the user is not in
        with self.assertRaises(AccessError):
            self.checks(user=manager_b, companies=company_a)


@tagged("post_install", "-at_install")
class TestChecklistQueries(ChecklistCase):
    def _offenders(self, start, count):
        """`count` products offending every product check: tracked by hand, plain stock, expiry without FEFO,
        undated lots, expired lots, shared lot names."""
        for i in range(start, start + count):
            product = self.product(f"CL Q{i}", tracking="lot", use_expiration_date=True)
            undated = self.lot(product, f"CL-Q-{i}")
            undated.expiration_date = False
            old = self.lot(product, "CL-Q-SHARED", expiration_date=fields.Datetime.now() - timedelta(days=1))
            self.Quant._update_available_quantity(product, self.stock, 1)
            self.Quant._update_available_quantity(product, self.stock, 2, lot_id=undated)
            self.Quant._update_available_quantity(product, self.stock, 2, lot_id=old)

    def _queries(self):
        self.Rule.get_checklist()  # warm-up: xmlid and group caches, as on a running server
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        checks = {c["code"]: c for c in self.Rule.get_checklist()}
        return self.env.cr.sql_log_count - before, checks

    def test_same_queries_for_5_and_50_products(self):
        self._offenders(0, 5)
        queries_5, checks = self._queries()
        self.assertEqual(checks["tracked_without_rule"]["count"], 5)
        self.assertEqual(checks["lots_without_expiry"]["count"], 5)
        self._offenders(5, 45)
        queries_50, checks = self._queries()
        for code in ("tracked_without_rule", "stock_without_numbers", "expiry_without_fefo"):
            self.assertEqual(checks[code]["count"], 50, code)
        for code in ("lots_without_expiry", "expired_in_stock"):
            self.assertEqual(checks[code]["count"], 50, code)
        self.assertEqual(checks["lot_names_shared"]["count"], 50)
        self.assertEqual(queries_5, queries_50)
        self.assertLessEqual(queries_50, 4)


@tagged("post_install", "-at_install")
class TestChecklistUi(HttpCase):
    def test_xmlrpc(self):
        """get_checklist() is callable over XML-RPC: plain lists and dicts."""
        result = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, self.env.ref("base.user_admin").id, "admin", "stock.tracking.rule", "get_checklist", []
        )
        self.assertEqual([check["code"] for check in result], list(CHECK_CODES))
        self.assertTrue(all(isinstance(check["count"], int) for check in result))

    def test_tour_checklist(self):
        clear_baseline(self.env)
        self.env["product.product"].create(
            {"name": "Tour Hand Tracked Lamp", "is_storable": True, "tracking": "serial"}
        )
        self.start_tour("/odoo", "lot_serial_tracking_checklist_tour", login="admin")
