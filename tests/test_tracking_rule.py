# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from ..models.lst_guards import ServerState


@tagged("post_install", "-at_install")
class TestTrackingRule(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["stock.tracking.rule"]
        cls.serial_rule = cls.Rule.create(
            {"name": "Serial test", "tracking": "serial", "lot_prefix": "TST-", "lot_padding": 4}
        )
        cls.lot_rule = cls.Rule.create({"name": "Lot test", "tracking": "lot", "lot_prefix": "L", "lot_padding": 3})
        cls.parent = cls.env["product.category"].create({"name": "Parent", "tracking_rule_id": cls.lot_rule.id})
        cls.child = cls.env["product.category"].create({"name": "Child", "parent_id": cls.parent.id})
        cls.product = cls.env["product.product"].create(
            {"name": "Widget", "is_storable": True, "categ_id": cls.child.id}
        )
        cls.stock = cls.env.ref("stock.stock_location_stock")

    def test_effective_rule_resolution(self):
        tmpl = self.product.product_tmpl_id
        self.assertEqual(tmpl.effective_tracking_rule_id, self.lot_rule, "parent category's rule")
        self.assertEqual(self.product.tracking, "lot")
        self.child.tracking_rule_id = self.serial_rule
        self.assertEqual(tmpl.effective_tracking_rule_id, self.serial_rule, "nearest category wins")
        self.assertEqual(self.product.tracking, "serial")
        tmpl.tracking_rule_id = self.lot_rule
        self.assertEqual(tmpl.effective_tracking_rule_id, self.lot_rule, "product's own rule wins")
        self.assertEqual(self.product.tracking, "lot")

    def test_variant_created_with_a_rule_is_tracked_at_once(self):
        rule = self.Rule.create({"name": "Delivery", "tracking": "serial", "capture": "delivery_only"})
        product = self.env["product.product"].create({"name": "V", "is_storable": True, "tracking_rule_id": rule.id})
        self.assertEqual(product.tracking, "serial")
        self.assertEqual(product.tracking_capture, "delivery_only")

    def test_no_rule_is_standard(self):
        plain = self.env["product.product"].create({"name": "Plain", "is_storable": True})
        self.assertFalse(plain.effective_tracking_rule_id)
        self.assertEqual(plain.tracking, "none")
        plain.tracking = "lot"
        self.assertEqual(plain.tracking, "lot")
        self.assertEqual(plain.tracking_capture, "every_operation")

    def test_numbering_skips_used_names_and_follows_created_lots(self):
        self.child.tracking_rule_id = self.serial_rule
        self.assertEqual(self.env["stock.lot"]._get_next_serial(self.env.company, self.product), "TST-0001")
        self.env["stock.lot"].create({"name": "TST-0001", "product_id": self.product.id})
        self.assertEqual(self.serial_rule.lot_number_next, 2, "creating the lot moves the sequence on")
        self.assertEqual(self.product._lst_next_lot_names(3), ["TST-0002", "TST-0003", "TST-0004"])
        self.serial_rule.lot_number_next = 1
        self.assertEqual(self.product._lst_next_lot_names(1), ["TST-0002"], "used names are skipped")

    def test_bad_prefix(self):
        with self.assertRaises(ValidationError):
            self.Rule.create({"name": "Bad", "tracking": "lot", "lot_prefix": "A\nB"})
        with self.assertRaises(UserError):
            self.Rule.create({"name": "Bad", "tracking": "lot", "lot_prefix": "%(nope)s-"})

    def test_unique_across_products(self):
        self.lot_rule.unique_across_products = True
        other = self.env["product.product"].create({"name": "Other", "is_storable": True, "categ_id": self.child.id})
        self.env["stock.lot"].create({"name": "SHARED", "product_id": self.product.id})
        with self.assertRaises(ValidationError):
            self.env["stock.lot"].create({"name": "SHARED", "product_id": other.id})
        self.lot_rule.unique_across_products = False
        self.env["stock.lot"].create({"name": "SHARED", "product_id": other.id})

    def test_guard_blocks_tracking_change_with_stock(self):
        plain = self.env["product.product"].create({"name": "Stocked", "is_storable": True})
        self.env["stock.quant"]._update_available_quantity(plain, self.stock, 7)
        with self.assertRaises(UserError) as err:
            plain.product_tmpl_id.write({"tracking_rule_id": self.serial_rule.id})
        self.assertRegex(str(err.exception), r"Stocked .*7.* WH/Stock")
        self.assertEqual(plain.tracking, "none")
        with self.assertRaises(UserError):
            plain.write({"tracking": "lot"})
        categ = self.env["product.category"].create({"name": "Stocked categ"})
        plain.categ_id = categ
        with self.assertRaises(UserError):
            categ.tracking_rule_id = self.serial_rule
        self.assertFalse(categ.tracking_rule_id)

    def test_onchange_points_to_change_tracking(self):
        """Choosing another tracking (or rule) on the form of a product with stock: Odoo's warning says
        "do an inventory adjustment", but Save is refused here; the warning points to Change Tracking."""
        plain = self.env["product.product"].create({"name": "Stocked form", "is_storable": True})
        self.env["stock.quant"]._update_available_quantity(plain, self.stock, 4)
        for model, record in (("product.template", plain.product_tmpl_id), ("product.product", plain)):
            with self.subTest(model=model):
                form = Form(record)
                with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
                    form.tracking = "lot"
                message = "\n".join(logs.output)
                self.assertIn('Click "Change Tracking"', message)
                self.assertIn("4 Units in WH/Stock", message)
                self.assertNotIn("inventory adjustment", message)
                form.tracking = "none"
                with self.assertRaises(UserError):
                    form.tracking = "serial"
                    form.save()
        form = Form(plain.product_tmpl_id)
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            form.tracking_rule_id = self.serial_rule
        self.assertIn('Click "Change Tracking"', "\n".join(logs.output))
        # no stock: Odoo's own behaviour (no warning at all)
        fresh = self.env["product.product"].create({"name": "Empty form", "is_storable": True})
        with self.assertNoLogs("odoo.tests.form.onchange", "WARNING"):
            Form(fresh.product_tmpl_id).tracking = "lot"


@tagged("post_install", "-at_install")
class TestTrackingRuleGuardAndAccess(TransactionCase):
    """The guard through XML-RPC-style calls (`browse(ids).write(vals)`) by real non-admin users,
    access rights, multi-company and the menu."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["stock.tracking.rule"]
        cls.serial_rule = cls.Rule.create({"name": "G serial", "tracking": "serial", "lot_prefix": "GS-"})
        cls.lot_rule = cls.Rule.create({"name": "G lot", "tracking": "lot", "lot_prefix": "GL-"})
        cls.root = cls.env["product.category"].create({"name": "G root", "tracking_rule_id": cls.lot_rule.id})
        cls.other_root = cls.env["product.category"].create({"name": "G other root"})
        cls.serial_root = cls.env["product.category"].create(
            {"name": "G serial root", "tracking_rule_id": cls.serial_rule.id}
        )
        cls.categ = cls.env["product.category"].create({"name": "G categ", "parent_id": cls.root.id})
        cls.product = cls.env["product.product"].create(
            {"name": "G stocked", "is_storable": True, "categ_id": cls.categ.id}
        )
        cls.stock = cls.env.ref("stock.stock_location_stock")
        lot = cls.env["stock.lot"].create({"name": "GL-LOT", "product_id": cls.product.id})
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.stock, 4, lot_id=lot)
        cls.manager = new_test_user(
            cls.env, login="g_manager", groups="stock.group_stock_manager,stock.group_production_lot"
        )
        cls.stock_user = new_test_user(
            cls.env, login="g_user", groups="stock.group_stock_user,stock.group_production_lot"
        )
        cls.portal = new_test_user(cls.env, login="g_portal", groups="base.group_portal")

    def _rpc_write(self, user, model, record, vals):
        """What an XML-RPC `execute_kw(db, uid, pwd, model, 'write', [ids], vals)` does."""
        return self.env(user=user)[model].browse(record.ids).write(vals)

    def _state(self):
        tmpl = self.product.product_tmpl_id
        return (
            tmpl.tracking,
            tmpl.tracking_capture,
            tmpl.tracking_rule_id,
            self.categ.tracking_rule_id,
            self.categ.parent_id,
            self.lot_rule.tracking,
            self.lot_rule.capture,
            self.env["stock.quant"].search_count([]),
            self.env["stock.move"].search_count([]),
        )

    def test_guard_via_rpc_writes(self):
        self.assertEqual(self.product.tracking, "lot", "the parent category's rule applies")
        before = self._state()
        tmpl = self.product.product_tmpl_id
        cases = [
            ("product.template", tmpl, {"tracking_rule_id": self.serial_rule.id}),
            ("product.category", self.categ, {"tracking_rule_id": self.serial_rule.id}),
            ("product.category", self.categ, {"parent_id": self.serial_root.id}),
            ("product.category", self.root, {"tracking_rule_id": self.serial_rule.id}),
            ("stock.tracking.rule", self.lot_rule, {"tracking": "serial"}),
            ("stock.tracking.rule", self.lot_rule, {"capture": "delivery_only"}),
        ]
        for model, record, vals in cases:
            with self.subTest(model=model, vals=vals):
                with self.assertRaises(UserError) as cm:
                    self._rpc_write(self.manager, model, record, vals)
                self.assertIn("G stocked", str(cm.exception))
                self.assertIn("4 Units in WH/Stock", str(cm.exception))
                self.assertIn('"Change Tracking"', str(cm.exception))
                self.assertEqual(self._state(), before)
        # changes that keep tracking and capture pass
        self._rpc_write(self.manager, "stock.tracking.rule", self.lot_rule, {"lot_prefix": "NEW-"})
        self._rpc_write(self.manager, "product.category", self.categ, {"tracking_rule_id": self.lot_rule.id})
        self.assertEqual(self.lot_rule.lot_name_preview, "NEW-00001")
        # leaving every rule keeps the product's tracking as it is (it becomes a manual setting)
        self._rpc_write(self.manager, "product.category", self.categ, {"tracking_rule_id": False})
        self._rpc_write(self.manager, "product.category", self.categ, {"parent_id": self.other_root.id})
        self.assertFalse(self.product.effective_tracking_rule_id)
        self.assertEqual((self.product.tracking, self.product.tracking_capture), ("lot", "every_operation"))

    def test_guard_category_parent_change_without_stock(self):
        plain = self.env["product.product"].create({"name": "G empty", "is_storable": True, "categ_id": self.categ.id})
        self.assertEqual(plain.tracking, "lot")
        self.env["stock.quant"].search([("product_id", "=", self.product.id)]).sudo().unlink()
        self._rpc_write(self.manager, "product.category", self.categ, {"parent_id": self.other_root.id})
        self.assertFalse(plain.effective_tracking_rule_id)
        self.other_root.tracking_rule_id = self.serial_rule
        self.assertEqual(plain.effective_tracking_rule_id, self.serial_rule, "new parent's rule")
        self.assertEqual(plain.tracking, "serial")

    def test_access_rights(self):
        # stock user: read yes, create/write/unlink no
        rules = self.env(user=self.stock_user)["stock.tracking.rule"]
        self.assertIn(self.serial_rule, rules.search([]))
        self.assertEqual(rules.browse(self.serial_rule.ids).read(["name"])[0]["name"], "G serial")
        with self.assertRaises(AccessError):
            rules.create({"name": "nope", "tracking": "lot"})
        with self.assertRaises(AccessError):
            rules.browse(self.serial_rule.ids).write({"name": "nope"})
        with self.assertRaises(AccessError):
            rules.browse(self.serial_rule.ids).unlink()
        # stock manager: everything
        rules = self.env(user=self.manager)["stock.tracking.rule"]
        rule = rules.create({"name": "M rule", "tracking": "lot", "lot_prefix": "M-"})
        rule.write({"lot_padding": 3})
        self.assertEqual(rule.lot_name_preview, "M-001")
        rule.unlink()
        self.assertFalse(rule.exists())
        # portal: nothing, not even the wizard
        with self.assertRaises(AccessError):
            self.env(user=self.portal)["stock.tracking.rule"].browse(self.serial_rule.ids).read(["name"])
        with self.assertRaises(AccessError):
            self.env(user=self.portal)["stock.tracking.change"].create(
                {"product_tmpl_id": self.product.product_tmpl_id.id}
            )

    def test_multi_company_rule(self):
        company_b = self.env["res.company"].create({"name": "G company B"})
        rule_b = self.Rule.create({"name": "G rule B", "tracking": "lot", "company_id": company_b.id})
        shared = self.serial_rule
        user_a = new_test_user(
            self.env,
            login="g_user_a",
            groups="stock.group_stock_user",
            company_id=self.env.company.id,
            company_ids=[(6, 0, self.env.company.ids)],
        )
        user_b = new_test_user(
            self.env,
            login="g_user_b",
            groups="stock.group_stock_user",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        visible_a = self.env(user=user_a)["stock.tracking.rule"].search([])
        self.assertIn(shared, visible_a)
        self.assertNotIn(rule_b, visible_a)
        with self.assertRaises(AccessError):
            self.env(user=user_a)["stock.tracking.rule"].browse(rule_b.ids).read(["name"])
        visible_b = self.env(user=user_b)["stock.tracking.rule"].search([])
        self.assertIn(rule_b, visible_b)
        self.assertIn(shared, visible_b)

    def test_menu_needs_manager_and_lots(self):
        menu = self.env.ref("lot_serial_tracking.stock_tracking_rule_menu")
        lots = self.env.ref("stock.group_production_lot")
        # the demo data enables lots for every internal user: undo that for the users made here
        self.env.ref("base.group_user").write({"implied_ids": [(3, lots.id)]})
        manager_no_lots = new_test_user(self.env, login="g_manager_nolots", groups="stock.group_stock_manager")
        manager_no_lots.write({"groups_id": [(3, lots.id)]})
        self.assertFalse(manager_no_lots.has_group("stock.group_production_lot"))
        cases = [
            (self.manager, True),
            (self.stock_user, False),
            (manager_no_lots, False),
        ]
        self.assertEqual(menu.groups_id, lots, "no OR-ed manager group left (also after an upgrade)")
        for user, visible in cases:
            with self.subTest(user=user.login):
                self.assertEqual(menu.id in self._reachable_menu_ids(user), visible, user.login)

    def _reachable_menu_ids(self, user):
        """Menus the web client shows to `user`: the tree of load_menus walked from the root (a menu
        whose parent is hidden is in the answer but in no parent's children, so not reachable)."""
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
        seen, todo = set(), ["root"]
        while todo:
            for child in menus[todo.pop()]["children"]:
                if child in menus and child not in seen:
                    seen.add(child)
                    todo.append(child)
        return seen


@tagged("post_install", "-at_install")
class TestRuleNumbering(TransactionCase):
    """Proposed names come from the rule: MO "+" button, receipts' Generate Serials/Lots."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["stock.tracking.rule"].create(
            {"name": "N serial", "tracking": "serial", "lot_prefix": "NS-", "lot_padding": 3}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "N product", "is_storable": True, "tracking_rule_id": cls.rule.id}
        )
        cls.plain_serial = cls.env["product.product"].create(
            {"name": "N plain", "is_storable": True, "tracking": "serial"}
        )
        cls.receipt_type = cls.env.ref("stock.picking_type_in")

    def _receipt_move(self, product, qty):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.receipt_type.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.env.ref("stock.stock_location_stock").id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "location_id": self.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": self.env.ref("stock.stock_location_stock").id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking.move_ids

    def _generate(self, move, first, count):
        context = {
            "default_product_id": move.product_id.id,
            "default_location_dest_id": move.location_dest_id.id,
            "default_location_id": move.location_id.id,
            "default_tracking": move.has_tracking,
            "default_quantity": move.product_uom_qty,
            "default_picking_type_id": move.picking_type_id.id,
            "default_company_id": move.company_id.id,
        }
        vals = self.env["stock.move"].action_generate_lot_line_vals(context, "generate", first, count, "")
        return [v.get("lot_name") or (v.get("lot_id") and v["lot_id"]["display_name"]) for v in vals]

    def test_mo_plus_button_uses_rule(self):
        bom = self.env["mrp.bom"].create(
            {"product_tmpl_id": self.product.product_tmpl_id.id, "product_qty": 1, "type": "normal"}
        )
        mo = self.env["mrp.production"].create({"product_id": self.product.id, "product_qty": 1, "bom_id": bom.id})
        mo.action_confirm()
        mo.action_generate_serial()
        self.assertEqual(mo.lot_producing_id.name, "NS-001")
        self.assertEqual(self.rule.lot_number_next, 2)
        mo2 = self.env["mrp.production"].create({"product_id": self.product.id, "product_qty": 1, "bom_id": bom.id})
        mo2.action_confirm()
        mo2.action_generate_serial()
        self.assertEqual(mo2.lot_producing_id.name, "NS-002")

    def test_receipt_generate_uses_rule(self):
        self.env["stock.lot"].create({"name": "NS-002", "product_id": self.product.id})  # a used name
        self.rule.lot_number_next = 1
        move = self._receipt_move(self.product, 3)
        self.assertEqual(self.env["stock.lot"].lst_propose_first_name(self.product.id), "NS-001")
        # empty "First Serial Number" (Odoo would give 0, 1, 2) or the pre-filled proposal: the rule's free names
        self.assertEqual(self._generate(move, "", 3), ["NS-001", "NS-003", "NS-004"])
        self.assertEqual(self._generate(move, "NS-001", 3), ["NS-001", "NS-003", "NS-004"])
        # a name typed by the user is Odoo's business
        self.assertEqual(self._generate(move, "MY-7", 2), ["MY-7", "MY-8"])
        # _generate_serial_numbers (server side API) without a first name
        move._generate_serial_numbers("", 3)
        self.assertEqual(sorted(move.move_line_ids.mapped("lot_name")), ["NS-001", "NS-003", "NS-004"])

    def test_new_rule_form_starts_at_one(self):
        """The form of a new rule shows Next Number 1 beside Next Name ...001 (not 0)."""
        spec = {"name": {}, "lot_prefix": {}, "lot_padding": {}, "lot_number_next": {}, "lot_name_preview": {}}
        values = self.env["stock.tracking.rule"].onchange({}, [], spec)["value"]
        self.assertEqual((values["lot_number_next"], values["lot_name_preview"]), (1, "00001"))
        form = Form(self.env["stock.tracking.rule"])
        form.name = "Pump rule"
        form.lot_prefix = "PMP-"
        form.lot_padding = 4
        self.assertEqual((form.lot_number_next, form.lot_name_preview), (1, "PMP-0001"))
        rule = form.save()
        self.assertEqual((rule.lot_number_next, rule.lot_name_preview), (1, "PMP-0001"))
        # a rule created with a sequence of its own keeps that sequence's number
        sequence = self.env["ir.sequence"].create({"name": "Given", "number_next": 40, "padding": 3})
        given = self.env["stock.tracking.rule"].create({"name": "Given seq", "sequence_id": sequence.id})
        self.assertEqual(given.lot_number_next, 40)

    def test_mo_plus_button_without_rule_is_odoo_sequence(self):
        """README, Batch production > Single unit: without a rule "+" gives Odoo's next serial from its
        Lots/Serial Numbers sequence (e.g. 0000006), as standard Odoo does."""
        sequence = self.env["ir.sequence"].search([("code", "=", "stock.lot.serial")], limit=1)
        expected = sequence.get_next_char(sequence.number_next_actual)
        mo = self.env["mrp.production"].create({"product_id": self.plain_serial.id, "product_qty": 1})
        mo.action_confirm()
        mo.action_generate_serial()
        self.assertEqual(mo.lot_producing_id.name, expected)
        self.assertTrue(expected.isdigit(), expected)

    def test_typed_name_ahead_does_not_move_the_numbering(self):
        """A serial typed by hand far ahead of the rule's next number (NS-100 while the next is
        NS-001) must not move the counter: NS-001..NS-099 stay available. Names the rule proposed
        move it on once used, past any name already taken."""
        self.assertEqual(self.rule.lot_number_next, 1)
        move = self._receipt_move(self.product, 2)
        move.picking_id.action_assign()
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [
                {
                    "move_id": move.id,
                    "picking_id": move.picking_id.id,
                    "product_id": self.product.id,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                    "lot_name": name,
                    "quantity": 1,
                }
                for name in ("NS-100", "NS-003")
            ]
        )
        move.picking_id.button_validate()
        self.assertEqual(move.picking_id.state, "done")
        self.assertEqual(sorted(move.move_line_ids.lot_id.mapped("name")), ["NS-003", "NS-100"])
        self.assertEqual(self.rule.lot_number_next, 1, "typed names ahead of the counter leave it alone")
        self.assertEqual(self.product._lst_next_lot_names(3), ["NS-001", "NS-002", "NS-004"])
        # the rule's next names used (here by the MO "+" button and a typed proposal): the counter moves
        # on, past NS-003 which is taken
        self.env["stock.lot"].create({"name": "NS-001", "product_id": self.product.id})
        self.assertEqual(self.rule.lot_number_next, 2)
        self.env["stock.lot"].create({"name": "NS-002", "product_id": self.product.id})
        self.assertEqual(self.rule.lot_number_next, 4)
        self.rule.lot_number_next = 99
        self.assertEqual(self.product._lst_next_lot_names(2), ["NS-099", "NS-101"], "NS-100 is skipped")

    def test_without_rule_odoo_numbering(self):
        move = self._receipt_move(self.plain_serial, 2)
        self.assertEqual(self.env["stock.lot"].lst_propose_first_name(self.plain_serial.id), "")
        self.assertEqual(self._generate(move, "SN-01", 2), ["SN-01", "SN-02"])
        self.assertEqual(self._generate(move, "", 2), ["0", "1"], "standard Odoo behaviour is unchanged")


@tagged("post_install", "-at_install")
class TestVariantCreate(TransactionCase):
    def test_variant_tracking_right_after_create(self):
        """Creating a product.product in a ruled category: its tracking is the rule's at once (the
        variant used to keep the 'none' default in cache until the next invalidation)."""
        rule = self.env["stock.tracking.rule"].create({"name": "V lot", "tracking": "lot"})
        root = self.env["product.category"].create({"name": "V root", "tracking_rule_id": rule.id})
        categ = self.env["product.category"].create({"name": "V categ", "parent_id": root.id})
        product = self.env["product.product"].create({"name": "V", "is_storable": True, "categ_id": categ.id})
        self.assertEqual(product.tracking, "lot")
        self.assertEqual(product.product_tmpl_id.tracking, "lot")


@tagged("post_install", "-at_install")
class TestGuardOtherCompany(TransactionCase):
    def test_guard_sees_products_of_other_companies(self):
        """A shared category or rule changed by a user of company A: the stocked product of company B
        (invisible to that user) is guarded too."""
        company_a = self.env.company
        company_b = self.env["res.company"].create({"name": "OC company B"})
        rule = self.env["stock.tracking.rule"].create({"name": "OC lot", "tracking": "lot"})
        categ = self.env["product.category"].create({"name": "OC categ"})
        product_b = self.env["product.product"].create(
            {"name": "OC product B", "is_storable": True, "categ_id": categ.id, "company_id": company_b.id}
        )
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)], limit=1)
        self.env["stock.quant"].with_company(company_b)._update_available_quantity(
            product_b, warehouse_b.lot_stock_id, 2
        )
        manager_a = new_test_user(
            self.env,
            login="oc_manager_a",
            groups="stock.group_stock_manager,stock.group_production_lot",
            company_id=company_a.id,
            company_ids=[(6, 0, company_a.ids)],
        )
        self.assertFalse(self.env(user=manager_a)["product.product"].search([("id", "=", product_b.id)]))
        with self.assertRaises(UserError) as cm:
            self.env(user=manager_a)["product.category"].browse(categ.ids).write({"tracking_rule_id": rule.id})
        # guarded, but company B's product is counted, never named, to company A's user
        self.assertIn("1 product(s) of other companies", str(cm.exception))
        self.assertNotIn("OC product B", str(cm.exception))
        self.assertFalse(categ.tracking_rule_id)
        self.assertEqual(product_b.tracking, "none")
        # the Change Tracking wizard's own write (a plain context value would not pass the guard)
        product_b.product_tmpl_id.with_context(lst_tracking_change_wizard=ServerState(True)).tracking_rule_id = rule
        with self.assertRaises(UserError):
            self.env(user=manager_a)["stock.tracking.rule"].browse(rule.ids).write({"tracking": "serial"})
        self.assertEqual(rule.tracking, "lot")
