# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The few places where the module mirrors an Odoo method body instead of calling super() (the README's
Architecture section lists them with the reason). Each is checked two ways: the Odoo method it mirrors
must still be the one it was written against (a changed Odoo fails here and names the copy to review),
and the copy must give what Odoo gives for the same input."""

import hashlib
import inspect

from odoo.tests import TransactionCase, tagged

from odoo.addons.mail.models.mail_message import Message
from odoo.addons.mail.models.mail_thread import MailThread
from odoo.addons.mrp.models.mrp_production import MrpProduction
from odoo.addons.mrp.wizard.mrp_batch_produce import MrpBatchProduct
from odoo.addons.stock.models.stock_move_line import StockMoveLine
from odoo.addons.stock.models.stock_quant import StockQuant

from .test_delivery_only import DeliveryOnlyCommon

# Odoo 18.0 (nightly of 2025-04-21) method -> (sha256 of its source, the module's copy)
MIRRORED = {
    # a recall case logs a note on hundreds of lots in one INSERT (tests/test_lot_status.py
    # test_status_note_is_odoos_log_note compares the notes with Odoo's)
    MailThread._message_log_batch: (
        "fa75395b48b0430ba413355c18ddeac7b8a5712017204e117123f9fe15224aeb",
        "models/lst_bulk.py lst_message_log_batch",
    ),
    Message.create: (
        "5d127aa32de0e7005797674ca41a103c0c53a5424aeda0d0c03eddf8df5ce7b0",
        "models/lst_bulk.py lst_message_log_batch (the values a log note gives create())",
    ),
    StockMoveLine._action_done: (
        "5a666a4a8f7ae2f60d351e032e26c555d44805d6e9750899a6e978152e99a236",
        "models/stock_move_line_delivery_capture.py StockMoveLine._lst_action_done_plain",
    ),
    StockQuant._update_available_quantity: (
        "508865341dfd2d18c1937047b85fd49bbbc8c0a07520f39bcb99c64c9dd86d24",
        "models/stock_quant_batch_buffer.py StockQuant._lst_buffered_update",
    ),
    # batch production creates the new serials' quants in one call of its parent create
    StockQuant.create: (
        "f95427c70e7211784ac7a6dc828798c642913ff74030293b9cf17dbea8e13efa",
        "models/stock_quant_batch_buffer.py StockQuant._lst_create_quants (its non-inventory branch)",
    ),
    StockQuant._get_removal_strategy: (
        "bf56f572d9803e416f2a306d26fc40befc42702acdaba2ed55908d1ee9b279ea",
        "models/stock_tracking_rule_checklist.py, the removal strategy of expiry_without_fefo in SQL "
        "(tests/test_checklist.py TestChecklistRemovalLikeOdoo)",
    ),
    MrpProduction._set_qty_producing: (
        "ff311a033075e6e3687ba2c65b14524f32d38c74a6e95285a96502ec3377d1da",
        "MrpProduction._lst_set_components_qty (the component half of _set_qty_producing)",
    ),
    # batch production: the engine on mrp.production (models/mrp_production_batch.py) follows the wizard's
    # steps; test_batch_produce's test_components_as_odoo / test_component_parser_as_odoo compare the results
    MrpBatchProduct._production_text_to_object: (
        "fe527fab704ec2025212de047125175bed2fb833d4f48cfc4152048ab5108a91",
        "models/mrp_production_batch.py MrpProduction._lst_split_for_lots / _lst_produce_split (its steps)",
    ),
    MrpBatchProduct._process_components: (
        "05155332632557c02e71e9dd155a3bdb5d153257839a98a85dfc43638dd1af3d",
        "models/mrp_production_batch.py MrpProduction._lst_assign_component_lots",
    ),
    MrpBatchProduct._prepapre_move_line_vals: (
        "19a7e91c91ae396a8d2cd7b9e09691a4108de52ee3a9897a87869c0ae6d37923",
        "models/mrp_production_batch.py MrpProduction._lst_assign_component_lots",
    ),
    MrpBatchProduct._get_lot_and_qty: (
        "b70019e88d033511b7fde5e37a48db1eaa38b59896ab522f96adfcc86dbc1bb7",
        "models/mrp_production_batch.py split_lot_and_qty, MrpProduction._lst_component_lot_and_qty",
    ),
}


@tagged("post_install", "-at_install")
class TestOdooMethodsStillMirrored(TransactionCase):
    def test_mirrored_odoo_methods_unchanged(self):
        changed = []
        for method, (digest, copy) in MIRRORED.items():
            source = inspect.getsource(method)
            if hashlib.sha256(source.encode()).hexdigest() != digest:
                changed.append(f"{method.__module__}.{method.__qualname__} changed: review {copy}")
        self.assertFalse(changed, "\n".join(changed))


@tagged("post_install", "-at_install")
class TestPlainActionDoneLikeOdoo(DeliveryOnlyCommon):
    """Internal moves of a delivery-only product go through _lst_action_done_plain (Odoo's _action_done
    without its lot check); an untracked product goes through Odoo's own. Same moves, same result."""

    def _done_outcome(self, product):
        """Receive 5 in Stock, move 3 to the shelf (3 reserved, one line forced to more than is there),
        then return the quants and the done move lines of `product`."""
        self.Quant._update_available_quantity(product, self.stock, 5, in_date="2026-01-05 08:00:00")
        internal = self.warehouse.int_type_id
        picking = self._picking(internal, 3, product=product, src=self.stock, dest=self.shelf)
        picking.action_assign()
        picking.move_ids.move_line_ids.quantity = 4  # more than reserved: Odoo frees nothing, takes 4
        picking.move_ids.picked = True
        picking._action_done()
        quants = sorted(
            (q.location_id.complete_name, q.quantity, q.reserved_quantity, str(q.in_date))
            for q in self.Quant.search([("product_id", "=", product.id)])
        )
        lines = sorted(
            (ml.location_id.complete_name, ml.location_dest_id.complete_name, ml.quantity, ml.state, bool(ml.lot_id))
            for ml in self.env["stock.move.line"].search([("product_id", "=", product.id)])
        )
        return quants, lines, picking.state

    def test_same_quants_and_lines_as_odoo(self):
        untracked = self.env["product.product"].create({"name": "Plain lamp", "is_storable": True})
        self.assertEqual(self._done_outcome(self.product), self._done_outcome(untracked))
        quants, _lines, state = self._done_outcome(self.product.copy())
        self.assertEqual(state, "done")
        self.assertEqual([q[:3] for q in quants], [("WH/Stock", 1.0, 0.0), ("WH/Stock/Shelf DO", 4.0, 0.0)])
