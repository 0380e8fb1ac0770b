# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged


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
