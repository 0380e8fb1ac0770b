# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    tracking_rule_id = fields.Many2one(
        "stock.tracking.rule",
        ondelete="restrict",
        help="Lot/serial tracking policy of the products of this category and of its sub-categories "
        "(a product's own rule, or a sub-category's, wins).",
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

    def write(self, vals):
        if not {"tracking_rule_id", "parent_id"} & set(vals):
            return super().write(vals)
        # sudo: products of companies the user has not selected are concerned just the same
        templates = (
            self.env["product.template"]
            .sudo()
            .with_context(active_test=False)
            .search([("categ_id", "child_of", self.ids)])
        )
        before = templates._lst_tracking_snapshot()
        res = super().write(vals)
        templates._lst_check_tracking_change(before)
        return res
