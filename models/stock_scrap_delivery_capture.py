# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .lst_text import TRACKING_SELECTION


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    # Odoo: related='product_id.tracking', which makes the scrap form require a lot and fix the
    # quantity to 1 for serials. A delivery-only product is scrapped as plain quantity.
    tracking = fields.Selection(
        selection=TRACKING_SELECTION,
        related=False,
        compute="_compute_tracking",
        string="Product Tracking",
    )

    @api.depends("product_id.tracking", "product_id.tracking_capture")
    def _compute_tracking(self):
        for scrap in self:
            product = scrap.product_id
            scrap.tracking = "none" if product and product._lst_is_delivery_only() else product.tracking or "none"
