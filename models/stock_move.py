# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _lst_rule_first_name(self, product):
        """The rule's next free name for `product`, or False (no rule)."""
        names = product._lst_next_lot_names(1) if product else []
        return names[0] if names else False

    @api.model
    def action_generate_lot_line_vals(self, context, mode, first_lot, count, lot_text):
        """Detailed operations > "Generate Serials/Lots": under a rule, an empty "First Serial
        Number" (or the rule's proposal, which the dialog pre-fills) gives the rule's next free
        names instead of Odoo's "0", "1", ... (names in use are skipped)."""
        product = self.env["product.product"].browse(context.get("default_product_id"))
        if mode == "generate" and product and product._lst_rule():
            proposal = self._lst_rule_first_name(product)
            if not (first_lot or "").strip() or first_lot.strip() == proposal:
                self = self.with_context(lst_generate_product_id=product.id)
                first_lot = proposal
        return super().action_generate_lot_line_vals(context, mode, first_lot, count, lot_text)

    def _generate_serial_numbers(self, next_serial, next_serial_count=False, location_id=False):
        if not next_serial and self.product_id._lst_rule():
            next_serial = self._lst_rule_first_name(self.product_id)
            self = self.with_context(lst_generate_product_id=self.product_id.id)
        return super()._generate_serial_numbers(next_serial, next_serial_count, location_id)
