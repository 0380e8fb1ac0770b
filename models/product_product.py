# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model_create_multi
    def create(self, vals_list):
        products = super().create(vals_list)
        # The variant's cache holds the `tracking` default it passed to its template, while the template
        # applied its tracking rule (product.template.create): read the template's value again.
        ruled = products.filtered(lambda p: p.product_tmpl_id.effective_tracking_rule_id)
        ruled.invalidate_recordset(["tracking", "tracking_capture"])
        return products

    @api.onchange("tracking")
    def _onchange_tracking(self):
        """The variant form: the same pointer to Change Tracking as the product form."""
        origin = self._origin
        if origin:
            template = origin.product_tmpl_id
            old = (origin.tracking, origin.tracking_capture)
            warning = template._lst_tracking_change_warning(template, old, (self.tracking, self.tracking_capture))
            if warning:
                return warning
            if self.tracking == origin.tracking:
                return None
        return super()._onchange_tracking()

    def _lst_rule(self):
        """The active effective tracking rule of this product (empty recordset without one)."""
        self.ensure_one()
        return self.product_tmpl_id._lst_active_rule()

    def _lst_is_delivery_only(self):
        """True when lots/serials of this product are captured on outgoing deliveries only."""
        self.ensure_one()
        return self.tracking != "none" and self.tracking_capture == "delivery_only"

    def _lst_next_lot_names(self, count=1, consume=False):
        """The next `count` lot/serial names proposed for this product by its rule, or [] when the
        product has no rule (callers then fall back to Odoo's own numbering)."""
        self.ensure_one()
        rule = self._lst_rule()
        if not rule:
            return []
        return rule._lst_next_names(self, count=count, consume=consume)

    def _lst_default_first_name(self):
        """A first serial when neither a rule nor an earlier lot gives one: REF-0001."""
        self.ensure_one()
        base = (self.default_code or self.name or "SN").strip()
        return f"{base}-0001"
