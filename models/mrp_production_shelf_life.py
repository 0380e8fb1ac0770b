# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import float_compare


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    def pre_button_mark_done(self):
        """Strict Expiry (components) and required dates (finished lot) say what is wrong before
        mrp_product_expiry's "expired lots" confirmation; stock.move.line._action_done checks again."""
        lines = (self.move_raw_ids | self.move_finished_ids).move_line_ids.filtered(
            lambda ml: ml.state not in ("done", "cancel")
            and float_compare(ml.quantity, 0, precision_rounding=ml.product_uom_id.rounding) > 0
        )
        lines._lst_check_shelf_life()
        return super().pre_button_mark_done()
