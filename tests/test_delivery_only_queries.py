# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A delivery of a delivery-only product costs per serial no more SQL queries than Odoo's standard serial
receipt: the per-serial slope (queries at 40 serials minus queries at 10, over 30) of set_lot_names +
validation, and of Import Serials + validation, is compared with that of a standard serial receipt measured
in the same test."""

import logging

from odoo import Command
from odoo.tests import tagged

from .test_delivery_only import DeliveryOnlyCommon

_logger = logging.getLogger(__name__)

# queries per serial the delivery may cost above the standard receipt (the receipt costs about 5)
MARGIN = 1.0


@tagged("post_install", "-at_install")
class TestDeliveryOnlyQueries(DeliveryOnlyCommon):
    def _count(self, func):
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def _names(self, tag, n):
        return [f"{tag}-{i:04d}" for i in range(n)]

    def _receipt_queries(self, tag, n):
        """set_lot_names + validation of a standard serial receipt of n units."""
        receipt = self._picking(self.warehouse.in_type_id, n, product=self.normal, src=self.suppliers)
        names = self._names(tag, n)
        count = self._count(lambda: (receipt.move_ids.set_lot_names(names), self._validate(receipt)))
        self.assertEqual(receipt.state, "done")
        self.assertEqual(sorted(receipt.move_line_ids.lot_id.mapped("name")), names)
        return count

    def _delivery_queries(self, tag, n, how):
        """The serials of a delivery-only delivery of n units given by `how`, then validation."""
        self._add_stock(n)
        delivery = self._delivery(n)
        move = delivery.move_ids
        names = self._names(tag, n)

        def import_serials():
            context = {
                "default_product_id": self.product.id,
                "default_location_id": move.location_id.id,
                "default_location_dest_id": move.location_dest_id.id,
                "default_picking_type_id": move.picking_type_id.id,
                "default_picking_id": delivery.id,
                "default_company_id": move.company_id.id,
                "default_tracking": "serial",
                "default_quantity": n,
                "picking_type_code": "outgoing",
            }
            vals_list = self.env["stock.move"].action_generate_lot_line_vals(context, "import", "", 0, "\n".join(names))
            fields = self.env["stock.move.line"]._fields
            commands = [Command.delete(ml.id) for ml in move.move_line_ids]
            commands += [
                Command.create(
                    {
                        key: value["id"] if isinstance(value, dict) else value
                        for key, value in vals.items()
                        if key in fields and fields[key].store and key != "move_id"
                    }
                )
                for vals in vals_list
            ]
            # what the web client saves after the dialog: the picking, with the move's new lines
            delivery.write({"move_ids_without_package": [Command.update(move.id, {"move_line_ids": commands})]})

        def capture():
            if how == "set_lot_names":
                move.set_lot_names(names)
            else:
                import_serials()
            self._validate(delivery)

        count = self._count(capture)
        self.assertEqual(delivery.state, "done")
        self.assertEqual(sorted(delivery.move_line_ids.lot_id.mapped("name")), names)
        at_customer = self.Quant.search(
            [("lot_id", "in", delivery.move_line_ids.lot_id.ids), ("location_id", "=", self.customers.id)]
        )
        self.assertEqual(sum(at_customer.mapped("quantity")), n)
        self.assertFalse(self._negative_quants())
        return count

    def test_queries_per_serial_at_most_standard_receipt(self):
        self._receipt_queries("WARM-R", 2)  # caches (rules, defaults, sequences) filled once
        receipt = (self._receipt_queries("R40", 40) - self._receipt_queries("R10", 10)) / 30
        for how in ("set_lot_names", "import"):
            with self.subTest(how=how):
                self._delivery_queries(f"WARM-{how}", 2, how)
                delivery = (
                    self._delivery_queries(f"D40-{how}", 40, how) - self._delivery_queries(f"D10-{how}", 10, how)
                ) / 30
                _logger.info(
                    "queries per serial: standard receipt %.1f, delivery-only (%s) %.1f", receipt, how, delivery
                )
                self.assertLessEqual(
                    delivery,
                    receipt + MARGIN,
                    f"delivery-only delivery ({how}): {delivery:.1f} queries per serial, the standard serial "
                    f"receipt {receipt:.1f}",
                )
