# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from ..models.lst_guards import check_one_record
from ..models.stock_tracking_rule_checklist import CHECK_CODES

CHECK_SELECTION = [(code, code) for code in CHECK_CODES]


class StockTraceabilityChecklist(models.TransientModel):
    """Inventory > Configuration > Traceability Checklist: the lines of stock.tracking.rule.get_checklist(),
    computed when the checklist opens (and on Refresh). Opening or fixing a line runs the checks again, so
    what opens is what is true now, never ids a client sent."""

    _name = "stock.traceability.checklist"
    _description = "Traceability Checklist"

    line_ids = fields.One2many("stock.traceability.checklist.line", "wizard_id", string="Checks", readonly=True)
    problem_count = fields.Integer(compute="_compute_problem_count", string="Checks to Fix")

    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = _("Traceability Checklist")

    @api.depends("line_ids.ok")
    def _compute_problem_count(self):
        for wizard in self:
            wizard.problem_count = len(wizard.line_ids.filtered(lambda line: not line.ok))

    @api.model
    def _lst_line_commands(self):
        return [
            Command.create(
                {
                    "sequence": seq,
                    "code": check["code"],
                    "title": check["title"],
                    "count": check["count"],
                    "ok": check["ok"],
                    "how_to_fix": check["how_to_fix"],
                    "fix_label": check["fix_label"] or False,
                }
            )
            for seq, check in enumerate(self.env["stock.tracking.rule"].get_checklist())
        ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals["line_ids"] = self._lst_line_commands()  # never lines a client made up
        return super().create(vals_list)

    @api.model
    def action_open_checklist(self):
        """The menu's server action: a fresh checklist in its form."""
        wizard = self.create({})
        return wizard._lst_form_action()

    def _lst_form_action(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Traceability Checklist"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref("lot_serial_tracking.stock_traceability_checklist_view_form").id, "form")],
            "target": "current",
        }

    def action_refresh(self):
        check_one_record(self, _("checklist"))
        self.line_ids.unlink()
        self.write({"line_ids": self._lst_line_commands()})
        # nothing returned: the web client reloads the form

    def action_enable_lots(self):
        """The fix of lots_disabled: Odoo's own setting, as Inventory > Configuration > Settings saves it."""
        if not self.env.user.has_group("base.group_system"):
            raise UserError(
                _(
                    "Only an administrator (Settings access) can turn on Lots & Serial Numbers: ask one to tick it "
                    "in Inventory > Configuration > Settings > Traceability."
                )
            )
        self.env["res.config.settings"].create({"group_stock_production_lot": True}).execute()


class StockTraceabilityChecklistLine(models.TransientModel):
    _name = "stock.traceability.checklist.line"
    _description = "Traceability Checklist Line"
    _order = "sequence, id"

    wizard_id = fields.Many2one("stock.traceability.checklist", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer()
    code = fields.Selection(CHECK_SELECTION, required=True, readonly=True)
    title = fields.Text(string="Check", readonly=True)  # Text: wraps in the list
    count = fields.Integer(string="To Fix", readonly=True)
    ok = fields.Boolean(string="OK", readonly=True)
    how_to_fix = fields.Text(string="How to Fix", readonly=True)
    fix_label = fields.Char(string="Fix", readonly=True)

    def _lst_current_check(self):
        check_one_record(self, _("checklist line"))
        checks = {check["code"]: check for check in self.env["stock.tracking.rule"].get_checklist()}
        return checks[self.code]

    def _lst_open(self, res_model, ids, name):
        action = {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": res_model,
            "domain": [("id", "in", list(ids))],  # at most _lst_checklist_limit ids (get_checklist)
            "views": [(False, "list"), (False, "form")],
            "view_mode": "list,form",
            "target": "current",
            "context": {"create": False},
        }
        if res_model == "stock.quant":
            action["views"] = [(self.env.ref("stock.view_stock_quant_tree_editable").id, "list")]
            action["view_mode"] = "list"
            action["context"] = {"inventory_mode": True, "create": False}
        return action

    def action_open_records(self):
        check = self._lst_current_check()
        if not check["res_ids"]:
            raise UserError(_("%(check)s: nothing to fix any more (the checks were run again).", check=check["title"]))
        name = check["title"]
        if check["count"] > len(check["res_ids"]):
            name = _(
                "%(check)s (first %(shown)s of %(count)s)",
                check=name,
                shown=len(check["res_ids"]),
                count=check["count"],
            )
        return self._lst_open(check["res_model"], check["res_ids"], name)

    def action_fix(self):
        check = self._lst_current_check()
        if check["fix_method"]:
            getattr(self.wizard_id, check["fix_method"])()
            self.wizard_id.action_refresh()
            return None
        if check["fix_model"]:
            return self._lst_open(check["fix_model"], check["fix_ids"], check["fix_label"])
        raise UserError(_("%(check)s: nothing to fix any more (the checks were run again).", check=check["title"]))
