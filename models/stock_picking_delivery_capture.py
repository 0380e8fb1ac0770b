# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _sanity_check(self, separate_pickings=True):
        """Before Odoo's generic "You need to supply a Lot/Serial number": for delivery-only
        products on the delivery to the customer, say how many serials are missing."""
        lines = self.move_ids.filtered(
            lambda m: m.lst_capture_here and m.state not in ("done", "cancel")
        ).move_line_ids.filtered(
            lambda ml: float_compare(ml.quantity, 0, precision_rounding=ml.product_uom_id.rounding) > 0
        )
        # Odoo processes only the picked lines when some are picked (see stock.move._action_done).
        lines = lines.filtered(lambda ml: ml.picked or not any(ml.picking_id.move_line_ids.mapped("picked")))
        if lines:
            problems = self.env["stock.move"]._lst_capture_problems(lines)
            if problems:
                raise UserError(
                    _("Serial numbers are captured on this delivery:\n%s", "\n".join(f"- {p}" for p in problems))
                )
        return super()._sanity_check(separate_pickings=separate_pickings)

    def _get_lot_move_lines_for_sanity_check(self, none_done_picking_ids, separate_pickings=True):
        """Delivery-only products need no number before the delivery to the customer."""
        lines = super()._get_lot_move_lines_for_sanity_check(none_done_picking_ids, separate_pickings)
        plain, _capture = lines._lst_split_delivery_only()
        return lines - plain
