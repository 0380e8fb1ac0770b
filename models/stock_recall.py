# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Recall case (issue 14, "Recall case"), started from the lot form's Recall button or the lot list.

A case names the recalled lots and the reason. Opening it traces every lot reached from them through
manufacturing orders (the recall's own SQL trail, see stock_lot_recall.py), blocks them all (not for a mock
recall), which releases their reservations, and keeps one line per customer with the deliveries and lots that
reached them; the quantities of a line (delivered, returned, still at the customer) are read live from the
deliveries and returns, so a return updates them without any manual step. The recall list and its PDF
(stock_lot_recall.py) are the case's customer view; its spreadsheet for the authorities is
stock_recall_export.py."""

import time
from collections import defaultdict

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .lst_bulk import lst_insert
from .lst_company_guard import lst_check_readable, lst_visible
from .lst_guards import check_one_record, check_record_ids
from .stock_lot_recall import _REACH_SQL
from .stock_lot_status import MAX_STATUS_REASON


class StockRecall(models.Model):
    _name = "stock.recall"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Recall Case"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default=lambda self: _("New"))
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    lot_ids = fields.Many2many(
        "stock.lot",
        "stock_recall_lot_rel",
        "recall_id",
        "lot_id",
        string="Recalled Lots/Serials",
        required=True,
        check_company=True,
        readonly=True,
    )
    reason = fields.Char(required=True, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("open", "Open"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    is_mock = fields.Boolean(
        string="Mock Recall",
        help="An exercise (food-safety audits ask for one on a schedule): everything is traced and the time it "
        "takes is recorded, but no lot is blocked and nothing is sent.",
    )
    affected_lot_ids = fields.Many2many(
        "stock.lot",
        "stock_recall_affected_lot_rel",
        "recall_id",
        "lot_id",
        string="Affected Lots/Serials",
        readonly=True,
        copy=False,
        help="The recalled lots and every finished lot/serial that contains them, through manufacturing orders, "
        "any depth (set when the case is opened).",
    )
    customer_ids = fields.One2many("stock.recall.customer", "recall_id", string="Customers", readonly=True)
    opened_at = fields.Datetime(readonly=True, copy=False)
    traced_at = fields.Datetime(string="List Complete At", readonly=True, copy=False)
    trace_seconds = fields.Float(string="Time to Trace (s)", readonly=True, copy=False, digits=(16, 3))
    closed_at = fields.Datetime(readonly=True, copy=False)
    partner_count = fields.Integer(string="Customers Reached", compute="_compute_figures")
    qty_at_customer = fields.Float(string="Still at Customers", compute="_compute_figures")
    qty_returned = fields.Float(string="Returned", compute="_compute_figures")
    qty_in_stock = fields.Float(string="In Stock", compute="_compute_figures")
    open_move_count = fields.Integer(string="Open Moves and MOs", compute="_compute_figures")

    @api.model_create_multi
    def create(self, vals_list):
        lst_check_readable(self, vals_list, ["lot_ids"], "create")  # before check_company names another's lot
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("stock.recall") or _("New")
            if isinstance(vals.get("reason"), str):
                vals["reason"] = self.env["stock.lot"]._lst_check_status_reason(vals["reason"])
        return super().create(vals_list)

    def write(self, vals):
        if "lot_ids" in vals and any(recall.state != "draft" for recall in self):
            raise UserError(_("The lots of a recall are set while it is a draft."))
        lst_check_readable(self, vals, ["lot_ids"], "write")
        if isinstance(vals.get("reason"), str):
            vals["reason"] = self.env["stock.lot"]._lst_check_status_reason(vals["reason"])
        return super().write(vals)

    # ------------------------------------------------------------------ figures
    @api.depends("customer_ids", "affected_lot_ids", "state")
    def _compute_figures(self):
        for recall in self:
            lines = recall.customer_ids
            recall.partner_count = len(lines.partner_id)
            recall.qty_at_customer = sum(lines.mapped("qty_at_customer"))
            recall.qty_returned = sum(lines.mapped("qty_returned"))
            lots = recall.affected_lot_ids
            if not lots:
                recall.qty_in_stock = 0.0
                recall.open_move_count = 0
                continue
            quants = self.env["stock.quant"]._read_group(
                [("lot_id", "in", lots.ids), ("location_id.usage", "=", "internal")], [], ["quantity:sum"]
            )
            recall.qty_in_stock = quants[0][0] or 0.0
            moves = self.env["stock.move.line"]._read_group(
                [("lot_id", "in", lots.ids), ("state", "not in", ("done", "cancel"))], [], ["move_id:count_distinct"]
            )
            productions = self.env["mrp.production"].search_count(
                [("lot_producing_id", "in", lots.ids), ("state", "not in", ("done", "cancel"))]
            )
            recall.open_move_count = moves[0][0] + productions

    # ------------------------------------------------------------------ actions
    def action_open(self):
        """Trace, block (not for a mock recall) and list the customers; records how long the trace took."""
        check_record_ids(self)
        for recall in self:
            if recall.state != "draft":
                raise UserError(_("%s is already open.", recall.name))
            if not recall.lot_ids:
                raise UserError(_("Give the lots/serial numbers to recall."))
            recall._lst_open()
        return True

    def _lst_open(self):
        self.ensure_one()
        start, clock = fields.Datetime.now(), time.perf_counter()
        self.lot_ids.check_access("write")
        affected = self._lst_trace_lots()
        rows = self.lot_ids._lst_recall_rows()
        by_partner = defaultdict(lambda: {"pickings": set(), "lots": set()})
        for row in rows:
            entry = by_partner[row["partner_id"]]
            if row["picking_id"]:
                entry["pickings"].add(row["picking_id"])
            entry["lots"].add(row["via_lot_id"] or row["lot_id"])
        self.write({"opened_at": start, "affected_lot_ids": [Command.set(affected.ids)]})
        self._lst_create_customer_lines(by_partner)
        self.flush_recordset()
        self.write({"traced_at": fields.Datetime.now(), "trace_seconds": time.perf_counter() - clock, "state": "open"})
        if self.is_mock:
            self._message_log(body=_("Mock recall: %s lots/serials traced, nothing blocked.", len(affected)))
            return
        reason = _("Recall %(name)s: %(reason)s", name=self.name, reason=self.reason)[:MAX_STATUS_REASON]
        documents = affected._lst_apply_status("blocked", reason)
        pickings = self.env["stock.picking"].union(*(docs[0] for docs in documents.values()))
        productions = self.env["mrp.production"].union(*(docs[1] for docs in documents.values()))
        body = Markup("<p>%s</p>") % _("%s lots/serials blocked.", len(affected))
        if pickings or productions:
            body += Markup("<p>%s</p>") % _(
                "Reservations released on: %s",
                ", ".join((lst_visible(pickings).mapped("name") + lst_visible(productions).mapped("name"))[:100]),
            )
        self._message_log(body=body)

    def _lst_create_customer_lines(self, by_partner):
        """The case's customer lines, {partner id: {"pickings": ids, "lots": ids}}, in three queries whatever
        their number (the lines, then their deliveries and their lots): create() takes one INSERT per 100 lines.
        As create() by the user (odoo/models.py BaseModel.create: the model's access rights; no record rule is
        checked on creation); their company is the case's."""
        Line = self.env["stock.recall.customer"]
        Line.check_access("create")
        rows = lst_insert(
            Line,
            {"recall_id": self.id, "company_id": self.company_id.id},
            [{"partner_id": partner_id or False} for partner_id in by_partner],
            returning=("id", "partner_id"),
        )
        line_of = {partner_id or False: line_id for line_id, partner_id in rows}
        lines = Line.browse(sorted(line_of.values()))
        for fname, key in (("picking_ids", "pickings"), ("lot_ids", "lots")):
            field = Line._fields[fname]
            pairs = [
                (line_of[partner_id or False], record_id)
                for partner_id, entry in by_partner.items()
                for record_id in sorted(entry[key])
            ]
            if pairs:
                # as the ORM's many2many (odoo/fields.py Many2many.write_real), with arrays of ids
                self.env.cr.execute(
                    SQL(
                        "INSERT INTO %s (%s, %s) SELECT * FROM unnest(%s::int4[], %s::int4[]) ON CONFLICT DO NOTHING",
                        SQL.identifier(field.relation),
                        SQL.identifier(field.column1),
                        SQL.identifier(field.column2),
                        [pair[0] for pair in pairs],
                        [pair[1] for pair in pairs],
                    )
                )
        self.invalidate_recordset(["customer_ids"])
        self.modified(["customer_ids"])
        return lines

    def _lst_trace_lots(self):
        """The recalled lots and every lot reached from them through manufacturing orders (one query)."""
        self.env["stock.move.line"].flush_model()
        self.env.cr.execute(SQL(_REACH_SQL, lot_ids=list(self.lot_ids.ids)))
        ids = {row[1] for row in self.env.cr.fetchall()}
        return self.env["stock.lot"].browse(sorted(ids))

    def action_notify(self):
        """Send each customer not notified yet one e-mail (template "Recall notice": their deliveries, products,
        lots and quantities, what to do), posted on the case's chatter with that customer as recipient, and
        stamp "Notified On". A mock recall sends nothing."""
        check_record_ids(self)
        self.check_access("write")
        template = self.env.ref("lot_serial_tracking.mail_template_stock_recall_notice")
        for recall in self:
            if recall.state != "open":
                raise UserError(_("%s: customers are notified while the recall is open.", recall.name))
            if recall.is_mock:
                raise UserError(_("%s is a mock recall: it sends nothing.", recall.name))
            lines = recall.customer_ids.filtered(lambda ln: ln.partner_id and not ln.notified_on)
            without_email = lines.filtered(lambda ln: not ln.partner_id.email)
            lines -= without_email
            email_from = recall.company_id.email_formatted or self.env.user.email_formatted
            if lines and not email_from:
                raise UserError(
                    _(
                        "Set an e-mail address on company %(company)s (or on your user) to notify customers.",
                        company=recall.company_id.name,
                    )
                )
            if lines:
                subjects = template._render_field("subject", lines.ids, compute_lang=True)
                bodies = template._render_field("body_html", lines.ids, compute_lang=True)
                for line in lines:
                    recall.message_post(
                        body=bodies[line.id],
                        subject=subjects[line.id],
                        partner_ids=line.partner_id.ids,
                        email_from=email_from,
                        message_type="comment",
                        subtype_xmlid="mail.mt_comment",
                    )
                lines.write({"notified_on": fields.Datetime.now()})
            if without_email:
                recall._message_log(
                    body=_(
                        "Not notified (no e-mail address): %s",
                        ", ".join(without_email.partner_id.mapped("display_name")[:100]),
                    )
                )
        return True

    def action_lst_customers(self):
        """The case's customer view: the recall list (stock.recall.line) of its lots, grouped by customer,
        through manufacturing orders and net of returns (the same list as before cases, see
        stock_lot_recall.py); its PDF prints from the list or the case's Print button."""
        check_one_record(self, _("recall case"))
        action = self.lot_ids.action_lst_recall()
        action["context"] = dict(action["context"], lst_recall_case_id=self.id)
        return action

    def action_lst_print(self):
        """The recall list PDF of the case's lots (customer contact details, totals per customer)."""
        check_one_record(self, _("recall case"))
        return self.lot_ids.action_lst_recall_print()

    def action_close(self):
        check_record_ids(self)
        if any(recall.state != "open" for recall in self):
            raise UserError(_("Only an open recall can be closed."))
        self.write({"state": "closed", "closed_at": fields.Datetime.now()})
        return True


class StockRecallCustomer(models.Model):
    _name = "stock.recall.customer"
    _description = "Recall Case Customer"
    _order = "recall_id, id"

    recall_id = fields.Many2one("stock.recall", required=True, ondelete="cascade", index=True)
    # precomputed: part of the INSERT of the lines, not one more UPDATE per 100 lines afterwards
    company_id = fields.Many2one(related="recall_id.company_id", store=True, precompute=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    picking_ids = fields.Many2many("stock.picking", string="Deliveries", readonly=True)
    lot_ids = fields.Many2many("stock.lot", string="Lots/Serials Delivered", readonly=True)
    qty_delivered = fields.Float(string="Delivered", compute="_compute_quantities")
    qty_returned = fields.Float(string="Returned", compute="_compute_quantities")
    qty_at_customer = fields.Float(string="Still at Customer", compute="_compute_quantities")
    notified_on = fields.Datetime(readonly=True)
    acknowledged = fields.Boolean()

    def _lst_notice_rows(self):
        """What the recall notice lists for this customer: one dict per delivery and lot (delivery, date,
        product, lot, quantity delivered, returned, still here, unit)."""
        self.ensure_one()
        rows = [row for row in self.recall_id.lot_ids._lst_recall_rows() if row["partner_id"] == self.partner_id.id]
        names = self.env["stock.lot"]._lst_recall_names(rows)
        return [
            {
                "delivery": names["stock.picking"].get(row["picking_id"], ""),
                "date": row["date"] and fields.Date.to_string(row["date"]),
                "product": names["product.product"].get(row["delivered_product_id"], ""),
                "lot": names["stock.lot"].get(row["via_lot_id"] or row["lot_id"], ""),
                "quantity": row["quantity"],
                "returned": row["returned_qty"],
                "at_customer": row["net_qty"],
                "uom": names["uom.uom"].get(row["product_uom_id"], ""),
            }
            for row in sorted(rows, key=lambda r: (r["date"] or fields.Datetime.now(), r["picking_id"] or 0))
        ]

    def _compute_quantities(self):
        """Live from the deliveries and returns (the recall's three queries, once per case)."""
        for recall in self.recall_id:
            rows = recall.lot_ids._lst_recall_rows()
            totals = defaultdict(lambda: [0.0, 0.0, 0.0])
            for row in rows:
                total = totals[row["partner_id"] or False]
                total[0] += row["quantity"]
                total[1] += row["returned_qty"]
                total[2] += row["net_qty"]
            for line in self.filtered(lambda ln, recall=recall: ln.recall_id == recall):
                line.qty_delivered, line.qty_returned, line.qty_at_customer = totals[line.partner_id.id or False]


class StockLot(models.Model):
    _inherit = "stock.lot"

    def action_lst_recall_case(self):
        """A new recall case for these lots (lot form and list)."""
        check_record_ids(self)
        recall = self.env["stock.recall"].create(
            {
                "lot_ids": [Command.set(self.ids)],
                "reason": _("Recall of %s", ", ".join(self[:5].mapped("name")))[:MAX_STATUS_REASON],
                "company_id": (self.company_id[:1] or self.env.company).id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.recall",
            "res_id": recall.id,
            "view_mode": "form",
            "name": recall.name,
        }
