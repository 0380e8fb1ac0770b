# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bounds and clean errors (issue 12, section 4), in-process; the XML-RPC side is in test_rpc_guards.py."""

import time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from ..models.lst_text import MAX_LOT_NAME


@tagged("post_install", "-at_install")
class TestBounds(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.env.ref("stock.stock_location_stock")
        cls.supplier = cls.env.ref("stock.stock_location_suppliers")
        cls.rule = cls.env["stock.tracking.rule"].create(
            {"name": "BD serial", "tracking": "serial", "lot_prefix": "BD-", "lot_padding": 3}
        )
        cls.plain_serial = cls.env["product.product"].create(
            {"name": "BD plain serial", "is_storable": True, "tracking": "serial"}
        )
        cls.ruled = cls.env["product.product"].create(
            {"name": "BD ruled", "is_storable": True, "tracking_rule_id": cls.rule.id}
        )
        kg = cls.env.ref("uom.product_uom_kgm")
        cls.lot_product = cls.env["product.product"].create(
            {"name": "BD paint", "is_storable": True, "tracking": "lot", "uom_id": kg.id, "uom_po_id": kg.id}
        )

    def _receipt_move(self, product, qty):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.env.ref("stock.picking_type_in").id,
                "location_id": self.supplier.id,
                "location_dest_id": self.stock.id,
                "move_ids": [
                    (0, 0, {"name": "bd", "product_id": product.id, "product_uom_qty": qty,
                            "location_id": self.supplier.id, "location_dest_id": self.stock.id}),
                ],
            }
        )  # fmt: skip
        picking.action_confirm()
        return picking.move_ids

    # ------------------------------------------------------------ 128 characters, every lot
    def test_lot_name_cap_with_and_without_rule(self):
        Lot = self.env["stock.lot"]
        for product in (self.plain_serial, self.ruled, self.lot_product):
            lot = Lot.create({"name": "N" * MAX_LOT_NAME, "product_id": product.id})  # exactly the cap: fine
            with self.assertRaisesRegex(ValidationError, "129 characters long; at most 128"):
                Lot.create({"name": "L" * (MAX_LOT_NAME + 1), "product_id": product.id})
            with self.assertRaisesRegex(ValidationError, "100000 characters long; at most 128"):
                lot.name = "W" * 100000
            self.assertEqual(lot.name, "N" * MAX_LOT_NAME)
        self.assertFalse(Lot.search_count([("name", "like", "LLLL")]))

    def test_set_lot_names_long_name(self):
        move = self._receipt_move(self.plain_serial, 2)
        with self.assertRaisesRegex(UserError, r"Name #2 \(xxxxxxxxxxxxxxxxxxxx\.\.\.\) is 129 characters long"):
            move.set_lot_names(["OK-1", "x" * 129])
        self.assertFalse(move.move_line_ids.lot_id)

    # ------------------------------------------------------------ never more names than units
    def test_set_lot_names_lots_bounded_by_demand(self):
        move = self._receipt_move(self.lot_product, 10)
        lots_before = self.env["stock.lot"].search_count([])
        t0 = time.time()
        with self.assertRaisesRegex(UserError, "100000 lot numbers for a demand of 10 BD paint: give at most one"):
            move.set_lot_names([f"P-{i}" for i in range(100000)])
        self.assertLess(time.time() - t0, 20, "refused before any lot is made (81 s before the bound)")
        with self.assertRaisesRegex(UserError, "11 lot numbers for a demand of 10"):
            move.set_lot_names([f"P-{i}" for i in range(11)])
        self.assertEqual(self.env["stock.lot"].search_count([]), lots_before)
        self.assertEqual(len(move.set_lot_names([f"P-{i}" for i in range(10)])), 10, "one lot per unit is fine")
        self.assertEqual(move.move_line_ids.mapped("quantity"), [1.0] * 10)
        # less than one unit: one lot is always allowed
        small = self._receipt_move(self.lot_product, 0.5)
        self.assertEqual(len(small.set_lot_names(["P-HALF"])), 1)
        with self.assertRaisesRegex(UserError, "2 lot numbers for a demand of 0.5"):
            small.set_lot_names(["P-HALF", "P-HALF-2"])

    def test_set_lot_names_lists_few_problems(self):
        move = self._receipt_move(self.plain_serial, 3)
        with self.assertRaises(UserError) as cm:
            move.set_lot_names([""] * 50000)
        message = str(cm.exception)
        self.assertIn("... and 49980 more invalid names.", message)
        self.assertLess(len(message), 3000)

    # ------------------------------------------------------------ prefix placeholders
    def test_prefix_only_sequence_date_placeholders(self):
        Rule = self.env["stock.tracking.rule"]
        for prefix in ("%s", "%(year)10000000s", "%(year)-5s", "%d", "SN-%", "%(nope)s", "%(year)d", "%%%"):
            with self.assertRaisesRegex(UserError, "has an unknown placeholder", msg=prefix):
                Rule.create({"name": f"BD {prefix}", "tracking": "serial", "lot_prefix": prefix})
        with self.assertRaises(UserError) as cm:  # Odoo's assertRaises: in a savepoint, rolled back
            self.rule.lot_prefix = "%(year)10000000s"
        self.assertIn("unknown placeholder", str(cm.exception))
        self.assertEqual(self.rule.lot_prefix, "BD-")
        year = time.strftime("%Y")
        for prefix, start in (
            ("%(year)s-%(month)s/", f"{year}-"),
            ("100%%-", "100%-"),
            ("%%(year)s", "%(year)s"),
            ("R%(range_y)s%(current_day)s-", "R"),
        ):
            rule = Rule.create({"name": f"BD ok {prefix}", "tracking": "serial", "lot_prefix": prefix})
            self.assertTrue(rule.lot_name_preview.startswith(start), (prefix, rule.lot_name_preview))

    def test_stored_bad_prefix_proposes_nothing_huge(self):
        """A prefix stored before the check (or by SQL) is refused when used, not expanded to 10 MB."""
        self.env.cr.execute(
            "UPDATE stock_tracking_rule SET lot_prefix = %s WHERE id = %s", ["%(year)10000000s", self.rule.id]
        )
        self.rule.invalidate_recordset(["lot_prefix"])
        with self.assertRaisesRegex(UserError, "unknown placeholder"):
            self.env["stock.lot"].lst_propose_first_name(self.ruled.id)

    # ------------------------------------------------------------ Change Tracking text
    def _change_wizard(self, product, qty, text, rule=None):
        self.env["stock.quant"]._update_available_quantity(product, self.stock, qty)
        wizard = self.env["stock.tracking.change"].create(
            {"product_tmpl_id": product.product_tmpl_id.id, "tracking_rule_id": (rule or self.rule).id}
        )
        wizard.line_ids.lot_text = text
        return wizard

    def test_change_tracking_nan_inf_quantities(self):
        product = self.env["product.product"].create({"name": "BD bolts", "is_storable": True})
        lot_rule = self.env["stock.tracking.rule"].create({"name": "BD lots", "tracking": "lot"})
        wizard = self._change_wizard(product, 5, "X;1", rule=lot_rule)
        for text in ("nan", "inf", "-inf", "1e309", "NaN", "Infinity", "1e13"):
            wizard.line_ids.lot_text = f"X;{text}"
            self.assertTrue(wizard.line_ids.lot_summary)  # the live summary is computed, no crash
            with self.assertRaisesRegex(UserError, f"'{text}' is not a quantity; write a number such as 12"):
                wizard.action_confirm()
        self.assertEqual(product.tracking, "none")
        wizard.line_ids.lot_text = "X;2\nY;3"
        wizard.action_confirm()
        self.assertEqual(product.tracking, "lot")

    def test_change_tracking_duplicates_linear(self):
        product = self.env["product.product"].create({"name": "BD screws", "is_storable": True})
        names = [f"S-{i}" for i in range(100000)]
        wizard = self._change_wizard(product, 3, "\n".join(names + names[:30]))
        t0 = time.time()
        with self.assertRaises(UserError) as cm:
            wizard.action_confirm()
        self.assertLess(time.time() - t0, 20, "linear (83 s for 100,000 serials before)")
        self.assertIn("duplicate names S-0, S-1, S-10, S-11", str(cm.exception))
        self.assertIn(", ...", str(cm.exception), "the first 20 duplicates are listed")
        self.assertEqual(product.tracking, "none")
