# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import float_compare


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _pre_action_done_hook(self):
        """Strict Expiry and required dates say what is wrong before product_expiry's "expired lots"
        confirmation (which could not let them through anyway: stock.move.line._action_done checks again)."""
        lines = self.move_line_ids.filtered(
            lambda ml: ml.state not in ("done", "cancel")
            and float_compare(ml.quantity, 0, precision_rounding=ml.product_uom_id.rounding) > 0
        )
        # Odoo processes only the picked lines when some are picked (see stock.move._action_done)
        lines = lines.filtered(lambda ml: ml.picked or not any(ml.picking_id.move_line_ids.mapped("picked")))
        lines._lst_check_shelf_life()
        return super()._pre_action_done_hook()
