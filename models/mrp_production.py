# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    def _prepare_stock_lot_values(self):
        """The MO "+" button and "Produce All" without a number: use the product's rule numbering
        (Odoo uses the global stock.lot.serial sequence)."""
        vals = super()._prepare_stock_lot_values()
        names = self.product_id.with_company(self.company_id)._lst_next_lot_names(1)
        if names:
            vals["name"] = names[0]
        return vals
