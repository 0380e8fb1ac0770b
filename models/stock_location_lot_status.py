# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# where held (quarantine, blocked) stock may always go: back to the vendor, inventory adjustments
HELD_STOCK_USAGES = ("supplier", "inventory")


class StockLocation(models.Model):
    _inherit = "stock.location"

    lst_accepts_held_stock = fields.Boolean(
        string="Accepts Held Stock",
        help="Lots/serials in quarantine or blocked may be moved here (and into its sub-locations), e.g. a "
        "quarantine area. Scrap locations and vendor locations always accept them.",
    )

    @api.model
    def _lst_accepting_held_stock(self, locations):
        """The ids among `locations` where held lots may go: scrap, vendor and inventory locations, and
        locations marked "Accepts Held Stock" or inside one (one query for the marked ones)."""
        marked = set(self.sudo().search([("lst_accepts_held_stock", "=", True)]).ids)
        accepting = set()
        for location in locations.sudo():
            ancestors = {int(part) for part in (location.parent_path or "").split("/") if part}
            if location.usage in HELD_STOCK_USAGES or location.scrap_location or ancestors & marked:
                accepting.add(location.id)
        return accepting
