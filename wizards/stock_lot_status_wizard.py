# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, fields, models

from ..models.lst_guards import check_ids
from ..models.stock_lot_status import LOT_STATUSES


class StockLotStatusWizard(models.TransientModel):
    """Asks the reason of a status change of the selected lots, then calls stock.lot.set_lot_status, which
    makes every check (who may release, the reason, the lots the user may change)."""

    _name = "stock.lot.status.wizard"
    _inherit = ["lst.readable.refs.mixin"]
    _description = "Change Lot Status"
    _check_company_auto = True
    _lst_readable_fields = ("lot_ids",)

    company_ids = fields.Many2many(
        "res.company", string="Companies", default=lambda self: self.env.companies, readonly=True
    )
    lot_ids = fields.Many2many("stock.lot", string="Lots/Serial Numbers", required=True, check_company=True)
    status = fields.Selection(LOT_STATUSES, string="New Status", required=True, default="quarantine")
    reason = fields.Char(required=True, help="Why: posted in the chatter of each lot.")
    lot_count = fields.Integer(compute="_compute_lot_count")

    @api.depends("lot_ids")
    def _compute_lot_count(self):
        for wizard in self:
            wizard.lot_count = len(wizard.lot_ids)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        context = self.env.context
        if "lot_ids" in fields_list and not res.get("lot_ids") and context.get("active_model") == "stock.lot":
            ids = check_ids(self.env, context.get("active_ids") or [], self.env._("Lots/Serial Numbers"))
            res["lot_ids"] = [Command.set(ids)]
        return res

    def action_apply(self):
        self.ensure_one()
        self.lot_ids.set_lot_status(self.status, self.reason)
        return {"type": "ir.actions.act_window_close"}
