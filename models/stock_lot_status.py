# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Lot status: released, quarantine, blocked (issue 14, "Lot status").

A lot that is not released is held: Odoo's reservation skips its quants (stock.quant, see
stock_quant_lot_status.py) and its move lines cannot be validated to a customer, into production or to
another internal location (stock.move.line, see stock_move_line_lot_status.py), except to a location
accepting held stock (see stock_location_lot_status.py). The status changes only through
``set_lot_status``: it checks who may do it, records the reason, who and when in the lot's chatter and
releases the reservations of the lot that could no longer be validated."""

from collections import defaultdict

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .lst_bulk import lst_message_log_batch, lst_write
from .lst_company_guard import lst_visible
from .lst_guards import check_record_ids, server_state
from .lst_text import bad_name_chars

LOT_STATUSES = [
    ("released", "Released"),
    ("quarantine", "Quarantine"),
    ("blocked", "Blocked"),
]
HELD_STATUSES = ("quarantine", "blocked")
LOT_STATUS_FIELDS = ("lot_status", "lot_status_reason", "lot_status_date", "lot_status_user_id")
# a reason is one line (it is shown in lists and in refusals)
MAX_STATUS_REASON = 500
# lots one call may change (the recall of one batch blocks hundreds of finished serials)
MAX_STATUS_LOTS = 10000
# documents named in a lot's chatter message, at most
MAX_LISTED_DOCS = 50


class StockLot(models.Model):
    _inherit = "stock.lot"

    lot_status = fields.Selection(
        LOT_STATUSES,
        string="Status",
        default="released",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        help="Released: usable. Quarantine or Blocked: held; never reserved, and cannot be delivered, consumed "
        "or moved to another internal location, except to a location accepting held stock (quarantine, "
        "scrap) or back to the vendor. Changed with the Quarantine / Block / Release buttons (a reason is "
        "asked); releasing is for Inventory Administrators.",
    )
    lot_status_reason = fields.Char(string="Status Reason", readonly=True, copy=False)
    lot_status_date = fields.Datetime(string="Status Since", readonly=True, copy=False)
    lot_status_user_id = fields.Many2one("res.users", string="Status Set By", readonly=True, copy=False)

    # ------------------------------------------------------------------ the status is written here only
    @api.model_create_multi
    def create(self, vals_list):
        if not server_state(self.env, "lst_lot_status_write"):
            for vals in vals_list:
                if any(vals.get(fname) not in (None, False, "released") for fname in LOT_STATUS_FIELDS):
                    raise UserError(self._lst_status_write_refusal())
        return super().create(vals_list)

    def write(self, vals):
        if not server_state(self.env, "lst_lot_status_write") and any(f in vals for f in LOT_STATUS_FIELDS):
            raise UserError(self._lst_status_write_refusal())
        return super().write(vals)

    def _lst_status_write_refusal(self):
        return _(
            "The status of a lot/serial number is changed with its Quarantine, Block and Release buttons "
            "(over XML-RPC: stock.lot set_lot_status [[lot ids], status, reason]), which record the reason."
        )

    # ------------------------------------------------------------------ Integrator API
    def set_lot_status(self, status, reason):
        """Set the status of these lots.

        :param str status: "released", "quarantine" or "blocked"
        :param str reason: why (required, one line of at most MAX_STATUS_REASON characters); posted with the
            change in each lot's chatter, whose message records who and when
        :return: True
        :raise AccessError: releasing (back to "released") by a user who is not an Inventory Administrator,
            or lots the user may not change
        :raise UserError: unknown status, missing or invalid reason, too many lots

        Putting lots on hold (quarantine, blocked) releases their reservations on the moves that could no
        longer be validated (deliveries, manufacturing orders, internal transfers) and lists those documents
        in the lot's chatter."""
        check_record_ids(self)
        statuses = dict(self._fields["lot_status"]._description_selection(self.env))
        if not isinstance(status, str) or status not in statuses:
            raise UserError(
                _(
                    "Unknown lot status %(status)s: give one of %(choices)s.",
                    status=repr(status)[:40],
                    choices=", ".join(statuses),
                )
            )
        reason = self._lst_check_status_reason(reason)
        if len(self) > MAX_STATUS_LOTS:
            raise UserError(
                _(
                    "%(count)s lots/serial numbers in one call; at most %(max)s: split the list.",
                    count=len(self),
                    max=MAX_STATUS_LOTS,
                )
            )
        lots = self.exists()
        if len(lots) != len(self):
            raise UserError(
                _("Lot/serial number %s does not exist (or was deleted).", ", ".join(map(str, (self - lots).ids[:20])))
            )
        lots.check_access("write")
        if status == "released" and not (self.env.su or self.env.user.has_group("stock.group_stock_manager")):
            raise AccessError(
                _(
                    "Only Inventory Administrators may release a lot/serial number (back to Released); "
                    "ask one to release %(lots)s.",
                    lots=", ".join(lots[:20].mapped("display_name")),
                )
            )
        lots._lst_apply_status(status, reason)
        return True

    def _lst_apply_status(self, status, reason):
        """Write the status of the lots not already in it, release their reservations when held and log the
        change; after set_lot_status's checks. Returns the documents whose reservation was released, as
        {lot id: (transfers, manufacturing orders)}."""
        statuses = dict(self._fields["lot_status"]._description_selection(self.env))
        changed = self.filtered(lambda lot: lot.lot_status != status)
        if not changed:
            return {}
        old = {lot.id: lot.lot_status for lot in changed}
        # one UPDATE for all the lots (write() takes one per 100: the recall of one batch blocks hundreds of
        # finished serials); the status fields are written here only, write() refuses them elsewhere
        lst_write(
            changed,
            {
                "lot_status": status,
                "lot_status_reason": reason,
                "lot_status_date": fields.Datetime.now(),
                "lot_status_user_id": self.env.uid,
            },
        )
        documents = changed._lst_release_held_reservations() if status in HELD_STATUSES else {}
        changed._lst_log_status_change(old, status, reason, documents, statuses)
        return documents

    @api.model
    def _lst_check_status_reason(self, reason):
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(
                _("Give a reason for the status change (a text of at most %s characters).", MAX_STATUS_REASON)
            )
        reason = reason.strip()
        if bad_name_chars(reason):
            raise UserError(
                _("The reason must be one line of text: remove the tabs, line breaks and control characters.")
            )
        if len(reason) > MAX_STATUS_REASON:
            raise UserError(
                _(
                    "The reason is %(length)s characters long; at most %(max)s.",
                    length=len(reason),
                    max=MAX_STATUS_REASON,
                )
            )
        return reason

    def _lst_release_held_reservations(self):
        """Unreserve the move lines of these (now held) lots in moves not done that could not be validated
        any more (see stock.move.line._lst_held_refused): {lot id: (transfers, manufacturing orders)}.

        Runs as superuser after set_lot_status's checks: a lot without company may be reserved by another
        company's moves; only the documents the user may read are named (see _lst_log_status_change)."""
        lines = (
            self.env["stock.move.line"]
            .sudo()
            .search([("lot_id", "in", self.ids), ("state", "not in", ("done", "cancel"))])
        )
        lines = lines._lst_held_refused()
        if not lines:
            return {}
        documents = defaultdict(lambda: [self.env["stock.picking"].sudo(), self.env["mrp.production"].sudo()])
        for ml in lines:
            docs = documents[ml.lot_id.id]
            docs[0] |= ml.picking_id
            docs[1] |= ml.move_id.raw_material_production_id | ml.move_id.production_id
        lines.unlink()  # Odoo's unlink frees the quants' reservation and recomputes the moves' state
        return documents

    def _lst_log_status_change(self, old, status, reason, documents, labels):
        """One note per lot (in one INSERT): old -> new status, the reason and the documents whose reservation
        was released. The message's author and date are who and when."""
        # who may read which document and their names: once for all the lots (not queries per lot)
        visible_names = {}  # (model, id): name
        for index in (0, 1):  # transfers, manufacturing orders
            docs = [lot_docs[index] for lot_docs in documents.values()]
            if docs:
                visible_names.update(((doc._name, doc.id), doc.name) for doc in lst_visible(docs[0].union(*docs)))
        bodies = {}
        for lot in self:
            body = Markup("<p>%s</p>") % _(
                "Status: %(old)s → %(new)s. Reason: %(reason)s",
                old=labels.get(old[lot.id], old[lot.id]),
                new=labels[status],
                reason=reason,
            )
            pickings, productions = documents.get(lot.id, (None, None))
            if pickings or productions:
                names, hidden = [], 0
                for docs in (pickings, productions):
                    keys = [(docs._name, doc_id) for doc_id in docs.ids]
                    visible = [visible_names[key] for key in keys if key in visible_names]
                    hidden += len(docs) - len(visible)
                    names += visible
                listed = ", ".join(names[:MAX_LISTED_DOCS])
                if len(names) > MAX_LISTED_DOCS:
                    listed += _(" and %s more", len(names) - MAX_LISTED_DOCS)
                if hidden:
                    listed += (", " if names else "") + _("%s of other companies", hidden)
                body += Markup("<p>%s</p>") % _("Reservations released on: %s", listed)
            bodies[lot.id] = body
        lst_message_log_batch(self, bodies)  # self._message_log_batch(bodies), in one INSERT for all the lots

    # ------------------------------------------------------------------ buttons
    def action_lst_quarantine(self):
        return self._lst_status_wizard_action("quarantine")

    def action_lst_block(self):
        return self._lst_status_wizard_action("blocked")

    def action_lst_release(self):
        return self._lst_status_wizard_action("released")

    def _lst_status_wizard_action(self, status):
        check_record_ids(self)
        return {
            "type": "ir.actions.act_window",
            "name": _("Change Lot Status"),
            "res_model": "stock.lot.status.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lot_ids": [Command.set(self.ids)], "default_status": status},
        }
