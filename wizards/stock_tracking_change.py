# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..models.lst_company_guard import lst_check_readable
from ..models.lst_guards import check_ids, check_many2one_vals, check_record_ids
from ..models.lst_text import CAPTURE_SELECTION, TRACKING_SELECTION, format_qty
from .stock_tracking_change_line import SEPARATOR


class StockTrackingChange(models.TransientModel):
    """Change the tracking (or tracking rule) of a product that has stock, safely.

    The wizard shows the stock per location, collects the lots/serials for it and calls the engine,
    product.template._lst_change_tracking (models/product_template_tracking_change.py): in one
    transaction the stock is zeroed by inventory adjustments, the tracking is switched and the same
    quantities are put back, with the lots/serials given or as plain quantities."""

    _name = "stock.tracking.change"
    _inherit = ["lst.readable.refs.mixin"]
    _description = "Change Tracking"
    _check_company_auto = True
    _lst_readable_fields = ("product_tmpl_id", "tracking_rule_id", "unreserved_move_ids")

    product_tmpl_id = fields.Many2one("product.template", string="Product", required=True, readonly=True)
    company_id = fields.Many2one(related="product_tmpl_id.company_id")
    current_rule_id = fields.Many2one("stock.tracking.rule", compute="_compute_current", readonly=True)
    current_tracking = fields.Selection(TRACKING_SELECTION, compute="_compute_current")
    current_capture = fields.Selection(CAPTURE_SELECTION, compute="_compute_current")
    tracking_rule_id = fields.Many2one(
        "stock.tracking.rule",
        string="New Rule",
        check_company=True,
        help="The product's own tracking rule after the change. Leave empty to follow the category's rule "
        "(or, with none, the tracking chosen below).",
    )
    tracking = fields.Selection(
        TRACKING_SELECTION, string="New Tracking", help="Used when the product ends up without a tracking rule."
    )
    new_rule_id = fields.Many2one("stock.tracking.rule", string="Effective Rule", compute="_compute_new")
    new_tracking = fields.Selection(TRACKING_SELECTION, string="Tracking After", compute="_compute_new")
    new_capture = fields.Selection(CAPTURE_SELECTION, string="Capture After", compute="_compute_new")
    conversion = fields.Selection(
        [
            ("none", "The stock stays as it is"),
            ("numbers", "Give lots/serials for the stock"),
            ("drop", "The lots/serials of the stock are dropped (quantities are kept)"),
        ],
        string="Stock",
        compute="_compute_new",
    )
    line_ids = fields.One2many("stock.tracking.change.line", "wizard_id", string="Stock per Location")
    reserved_info = fields.Text(
        string="Reserved Stock",
        compute="_compute_reserved_info",
        help="Transfers and manufacturing orders holding a reservation on the stock to convert.",
    )
    unreserved_move_ids = fields.Many2many(
        "stock.move",
        string="Unreserved Moves",
        readonly=True,
        help="Moves unreserved by this wizard: they are reserved again once the tracking is changed.",
    )
    unreserved_info = fields.Char(string="Unreserved", compute="_compute_reserved_info")

    # ------------------------------------------------------------ defaults and computes
    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        ctx = self.env.context
        active_id = ctx.get("active_id")
        if active_id and ctx.get("active_model") in ("product.template", "product.product"):
            check_ids(self.env, active_id, _("Product"))
        if not res.get("product_tmpl_id") and ctx.get("active_model") == "product.template" and active_id:
            res["product_tmpl_id"] = active_id
        if not res.get("product_tmpl_id") and ctx.get("active_model") == "product.product" and active_id:
            res["product_tmpl_id"] = self.env["product.product"].browse(active_id).product_tmpl_id.id
        if res.get("product_tmpl_id"):
            check_ids(self.env, res["product_tmpl_id"], self._fields["product_tmpl_id"].string)
        template = self.env["product.template"].browse(res.get("product_tmpl_id"))
        if template:
            if "tracking_rule_id" in fields_list and "tracking_rule_id" not in res:
                res["tracking_rule_id"] = template.tracking_rule_id.id
            if "tracking" in fields_list and "tracking" not in res:
                res["tracking"] = template.tracking
            if "line_ids" in fields_list and not res.get("line_ids"):
                res["line_ids"] = [(0, 0, vals) for vals in self._lst_line_vals(template)]
        return res

    @api.model_create_multi
    def create(self, vals_list):
        lst_check_readable(self, vals_list, self._lst_readable_fields, "create")  # before the product is read below
        for vals in vals_list:
            check_many2one_vals(self, vals)
            template = self.env["product.template"].browse(vals.get("product_tmpl_id"))
            if template and "tracking" not in vals:
                vals["tracking"] = template.tracking
            if template and not vals.get("line_ids"):
                vals["line_ids"] = [(0, 0, line) for line in self._lst_line_vals(template)]
        return super().create(vals_list)

    @api.depends("product_tmpl_id")
    def _compute_current(self):
        for wizard in self:
            template = wizard.product_tmpl_id
            wizard.current_rule_id = template.effective_tracking_rule_id
            wizard.current_tracking = template.tracking
            wizard.current_capture = template.tracking_capture

    @api.depends("product_tmpl_id", "tracking_rule_id", "tracking")
    def _compute_new(self):
        for wizard in self:
            after = wizard.product_tmpl_id._lst_tracking_after(wizard.tracking_rule_id, wizard.tracking)
            wizard.new_rule_id = after["rule"]
            wizard.new_tracking = after["tracking"]
            wizard.new_capture = after["capture"]
            wizard.conversion = after["conversion"]

    @api.depends("product_tmpl_id", "conversion", "unreserved_move_ids")
    def _compute_reserved_info(self):
        for wizard in self:
            moves = wizard._lst_reserving_moves() if wizard.conversion != "none" else []
            wizard.reserved_info = (
                "\n".join(
                    _(
                        "%(ref)s: %(qty)s %(uom)s%(picked)s",
                        ref=move.picking_id.name or move.reference or move.name,
                        qty=format_qty(sum(move.move_line_ids.mapped("quantity_product_uom"))),
                        uom=move.product_id.uom_id.name,
                        picked=_(" (picked: process or unpick it first)") if move.picked else "",
                    )
                    for move in moves
                )
                or False
            )
            wizard.unreserved_info = ", ".join(
                dict.fromkeys(m.picking_id.name or m.reference or m.name for m in wizard.unreserved_move_ids)
            )

    def _lst_reserving_moves(self):
        """Open moves holding a reservation on the product's stock in internal/transit locations."""
        self.ensure_one()
        return self.product_tmpl_id._lst_reserving_moves()

    def action_unreserve(self):
        """Unreserve the moves holding the stock to convert; Change Tracking reserves them again."""
        check_record_ids(self).ensure_one()
        moves = self._lst_reserving_moves().filtered(lambda m: not m.picked)
        moves._do_unreserve()
        self.unreserved_move_ids |= moves
        return self._lst_reopen()

    # ------------------------------------------------------------ stock
    @api.model
    def _lst_line_vals(self, template):
        vals_list = []
        stock = template._lst_stock_by_key(template._lst_tracking_quants())
        for (product, location), (qty, quants) in stock.items():
            lots = ", ".join(
                "%s (%s)" % (quant.lot_id.name, format_qty(quant.quantity))
                for quant in quants
                if quant.lot_id and quant.quantity
            )
            vals_list.append(
                {"product_id": product.id, "location_id": location.id, "quantity": qty, "current_lots": lots}
            )
        return vals_list

    # ------------------------------------------------------------ numbering
    def action_generate(self):
        """Fill the lines left empty with names from the rule's numbering (else Odoo's pattern)."""
        check_record_ids(self).ensure_one()
        if self.conversion != "numbers":
            raise UserError(_("This change keeps or drops the numbers: there are no lots/serials to give."))
        taken = set()
        for line in self.line_ids:
            taken.update(
                SEPARATOR.split(text)[0].strip() for text in (line.lot_text or "").splitlines() if text.strip()
            )
        for product, lines in self._lst_group_lines(self.line_ids.filtered(lambda ln: not (ln.lot_text or "").strip())):
            counts = []
            for line in lines:
                if self.new_tracking == "serial":
                    count = line.quantity
                    if float_compare(count, round(count), precision_digits=6) != 0:
                        raise UserError(
                            _(
                                "%(where)s: %(qty)s is not a whole number of units; serial numbers cannot cover it.",
                                where=line._lst_where(),
                                qty=format_qty(line.quantity),
                            )
                        )
                    counts.append(round(count))
                else:
                    counts.append(1)
            names = [n for n in self._lst_propose_names(product, sum(counts) + len(taken)) if n not in taken]
            for line, count in zip(lines, counts, strict=True):
                line.lot_text = "\n".join(names[:count])
                names = names[count:]
        return self._lst_reopen()

    @api.model
    def _lst_group_lines(self, lines):
        grouped = defaultdict(lambda: self.env["stock.tracking.change.line"])
        for line in lines:
            grouped[line.product_id] |= line
        return list(grouped.items())

    def _lst_propose_names(self, product, count):
        """`count` free names for `product` under the target rule, else from Odoo's pattern."""
        if count < 1:
            return []
        if self.new_rule_id:
            return self.new_rule_id._lst_next_names(product, count=count)
        Lot = self.env["stock.lot"]
        last = Lot.search([("product_id", "=", product.id)], limit=1, order="id desc")
        first = Lot.generate_lot_names(last.name, 2)[1]["lot_name"] if last else product._lst_default_first_name()
        names = []
        while len(names) < count:
            batch = [v["lot_name"] for v in Lot.generate_lot_names(first, count - len(names) + 10)]
            used = set(Lot.search([("product_id", "=", product.id), ("name", "in", batch)]).mapped("name"))
            names += [name for name in batch if name not in used][: count - len(names)]
            first = Lot.generate_lot_names(batch[-1], 2)[1]["lot_name"]
        return names

    def _lst_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Change Tracking"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    # ------------------------------------------------------------ confirm
    def action_confirm(self):
        """Read the lots/serials of the lines, then let the engine (product.template._lst_change_tracking)
        validate everything, convert the stock and switch the tracking in one transaction.

        Returns an action closing the dialog (XML-RPC safe). Raises UserError listing every problem,
        with nothing changed."""
        check_record_ids(self).ensure_one()
        template = self.product_tmpl_id
        lots_by_key, problems = {}, []
        if self.conversion == "numbers":
            lots_by_key, problems = self._lst_read_numbers(template._lst_stock_by_key(template._lst_tracking_quants()))
        template._lst_change_tracking(
            self.tracking_rule_id,
            self.tracking,
            lots_by_key=lots_by_key,
            problems=problems,
            moves_to_reserve=self.unreserved_move_ids,
        )
        return {"type": "ir.actions.act_window_close"}

    def _lst_read_numbers(self, stock):
        """({(product, location): [(name, qty)]}, problems) read from the lines, checked against `stock`
        (product.template._lst_stock_by_key)."""
        problems = []
        lines = {(line.product_id, line.location_id): line for line in self.line_ids}
        lots_by_key = {}
        for key, (qty, _quants) in stock.items():
            line = lines.get(key)
            if not line:
                problems.append(
                    _(
                        "%(product)s in %(location)s: %(qty)s on hand but no line for it; reopen the wizard.",
                        product=key[0].display_name,
                        location=key[1].display_name,
                        qty=format_qty(qty),
                    )
                )
                continue
            entries, errors = line._lst_parse(self.new_tracking, quantity=qty)
            problems += errors
            lots_by_key[key] = entries
        for key, line in lines.items():
            if key not in stock and (line.lot_text or "").strip():
                problems.append(
                    _("%(where)s: there is no stock there any more; reopen the wizard.", where=line._lst_where())
                )
        return lots_by_key, problems
