# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models

from .stock_lot_status import HELD_STATUSES


class StockMove(models.Model):
    _inherit = "stock.move"

    @api.model
    def _lst_held_capture_problems(self, lines=None, names_by_product=None, company=None):
        """Serials/lots of delivery-only products captured at the delivery (given by name: the lot is found or
        created at validation) that are held (quarantine, blocked): they cannot be delivered. Only the lots the
        delivering company uses (its own and shared ones) count, as in _lst_at_customer_problems."""
        companies = company or (lines.company_id if lines else self.env.company)
        names_by_product = {product: set(names) for product, names in (names_by_product or {}).items()}
        for ml in lines or []:
            if ml.lot_id or ml.lot_name:
                names_by_product.setdefault(ml.product_id, set()).add(ml.lot_id.name or ml.lot_name)
        domain = []
        for product, names in names_by_product.items():
            if names:
                domain = (["|"] if domain else []) + domain
                domain += ["&", ("product_id", "=", product.id), ("name", "in", sorted(names))]
        if not domain:
            return []
        lots = self.env["stock.lot"].search(
            [*domain, ("lot_status", "in", HELD_STATUSES), ("company_id", "in", [False, *companies.ids])]
        )
        labels = dict(self.env["stock.lot"]._fields["lot_status"]._description_selection(self.env))
        return [
            _(
                "%(lot)s of %(product)s is %(status)s (%(reason)s); it cannot be delivered until an Inventory "
                "Administrator releases it.",
                lot=lot.name,
                product=lot.product_id.display_name,
                status=labels[lot.lot_status],
                reason=lot.lot_status_reason or "-",
            )
            for lot in lots
        ]
