# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .stock_tracking_rule_shelf_life import SHELF_LIFE_FIELDS


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # product_expiry's fields, driven by the effective tracking rule as `tracking` is (stored, still writable
    # for products without a rule: the compute leaves those untouched, as stock's _compute_tracking does)
    use_expiration_date = fields.Boolean(compute="_compute_lst_shelf_life", store=True, readonly=False)
    expiration_time = fields.Integer(compute="_compute_lst_shelf_life", store=True, readonly=False)
    use_time = fields.Integer(compute="_compute_lst_shelf_life", store=True, readonly=False)
    removal_time = fields.Integer(compute="_compute_lst_shelf_life", store=True, readonly=False)
    alert_time = fields.Integer(compute="_compute_lst_shelf_life", store=True, readonly=False)
    lst_removal_strategy_id = fields.Many2one(
        related="effective_tracking_rule_id.removal_strategy_id",
        string="Removal Strategy (Rule)",
        help="The removal strategy of the product's tracking rule; it wins over the category's and location's.",
    )

    @api.depends(
        "is_storable",
        "effective_tracking_rule_id.active",
        *("effective_tracking_rule_id.%s" % rule_field for rule_field in SHELF_LIFE_FIELDS.values()),
    )
    def _compute_lst_shelf_life(self):
        for template in self._lst_shelf_life_ruled():
            rule = template.effective_tracking_rule_id
            for template_field, rule_field in SHELF_LIFE_FIELDS.items():
                if template[template_field] != rule[rule_field]:
                    template[template_field] = rule[rule_field]

    def _lst_shelf_life_ruled(self):
        """The templates whose shelf-life settings come from their (active) tracking rule."""
        return self.filtered(lambda t: t.effective_tracking_rule_id.active and t.is_storable)

    def _lst_expiry_date_by_hand(self):
        """True when the rule requires expiration dates and gives no delay to compute them: the date of each
        new lot is entered on the receipt or production (Odoo would otherwise put today's date, 0 days). False
        without a product (a new lot's form)."""
        if not self:
            return False
        self.ensure_one()
        rule = self.effective_tracking_rule_id
        return bool(
            rule.active and rule.use_expiration_date and rule.require_expiration_date and not rule.expiration_time
        )

    @api.model_create_multi
    def create(self, vals_list):
        templates = super().create(vals_list)
        # values given on create (an import, Odoo's own code) give way to the rule's
        templates._lst_shelf_life_ruled()._compute_lst_shelf_life()
        return templates

    def write(self, vals):
        res = super().write(vals)
        if set(SHELF_LIFE_FIELDS) & set(vals):
            # under a rule these follow the rule (read-only on the form): a value written over RPC gives way
            self._lst_shelf_life_ruled()._compute_lst_shelf_life()
        return res
