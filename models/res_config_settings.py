# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    def _get_classified_fields(self, fnames=None):
        """The settings never install or uninstall product_expiry: this module depends on it.

        Odoo's Inventory settings untick *Expiration Dates* (module_product_expiry) whenever *Lots & Serial
        Numbers* is unticked (stock's _onchange_group_stock_production_lot), and saving then uninstalls
        product_expiry, and with it this module, its rules, recall cases and lot statuses. The checkbox
        stays on the page; it just no longer drives the module."""
        classified = super()._get_classified_fields(fnames)
        classified["module"] = classified["module"].filtered(lambda module: module.name != "product_expiry")
        return classified
