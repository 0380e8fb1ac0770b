# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockLot(models.Model):
    _inherit = "stock.lot"

    def _compute_expiration_date(self):
        """Under a rule requiring dates without a delay (0 days), Odoo would date a new lot today (now + 0
        days), i.e. expired at once: such a lot keeps the date it was given, or none (then its receipt or
        production is refused until one is entered)."""
        by_hand = self.filtered(lambda lot: lot.product_id.product_tmpl_id._lst_expiry_date_by_hand())
        res = super(StockLot, self - by_hand)._compute_expiration_date()
        for lot in by_hand:
            lot.expiration_date = lot.expiration_date
        return res
