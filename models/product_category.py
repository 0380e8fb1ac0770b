# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .lst_company_guard import lst_check_readable


class ProductCategory(models.Model):
    _inherit = "product.category"

    tracking_rule_id = fields.Many2one(
        "stock.tracking.rule",
        ondelete="restrict",
        domain=[("company_id", "=", False)],
        help="Lot/serial tracking policy of the products of this category and of its sub-categories "
        "(a product's own rule, or a sub-category's, wins). Categories are shared by all companies: "
        "only a shared rule (without company) can be set here.",
    )
    effective_tracking_rule_id = fields.Many2one(
        "stock.tracking.rule",
        compute="_compute_effective_tracking_rule_id",
        store=True,
        recursive=True,
        index=True,
        help="This category's rule, else the nearest parent category's.",
    )

    @api.depends("tracking_rule_id", "parent_id.effective_tracking_rule_id")
    def _compute_effective_tracking_rule_id(self):
        for categ in self:
            categ.effective_tracking_rule_id = categ.tracking_rule_id or categ.parent_id.effective_tracking_rule_id

    @api.constrains("tracking_rule_id")
    def _check_tracking_rule_shared(self):
        """A category has no company (the products of every company may use it): like Odoo's
        check_company for a record without company, its rule must be shared too."""
        for categ in self:
            if categ.tracking_rule_id.sudo().company_id:
                raise ValidationError(
                    _(
                        "Category %(category)s is shared by all companies: its tracking rule must be shared too "
                        "(a rule without company). Choose a shared rule, or set the company's rule on its "
                        "products instead.",
                        category=categ.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lst_check_readable(self, vals_list, ["tracking_rule_id"], "create")
        return super().create(vals_list)

    def write(self, vals):
        lst_check_readable(self, vals, ["tracking_rule_id"], "write")
        if not {"tracking_rule_id", "parent_id"} & set(vals):
            return super().write(vals)
        # sudo: products of companies the user has not selected are concerned just the same
        templates = (
            self.env["product.template"]
            .sudo()
            .with_context(active_test=False)
            .search([("categ_id", "child_of", self.ids)])
        )
        with templates._lst_guard_tracking_change():
            return super().write(vals)
