# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # `lot_valuated` and its compute come from stock_account, which this module does not depend on:
    # this override only runs when stock_account is installed. Stock of delivery-only products is
    # plain quantity until the delivery, so it cannot be valuated per lot/serial.
    @api.depends("tracking", "tracking_capture")
    def _compute_lot_valuated(self):
        res = super()._compute_lot_valuated()
        for template in self:
            if template.tracking_capture == "delivery_only":
                template.lot_valuated = False
        return res
