# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model
    def _get_removal_strategy(self, product_id, location_id):
        """The removal strategy of the product's tracking rule wins over the category's and location's (Odoo's
        order: category, then location and its parents, then FIFO)."""
        rule = product_id.sudo().product_tmpl_id._lst_active_rule()
        if rule.removal_strategy_id:
            return rule.removal_strategy_id.with_context(lang=None).method
        return super()._get_removal_strategy(product_id, location_id)
