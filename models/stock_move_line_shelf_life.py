# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shelf-life checks of the tracking rule on the lines being done:

- Require Expiration Dates: a lot received from a vendor or made by production without an expiration date is
  refused (with Expiration Date days set, Odoo computes the date: it counts);
- Strict Expiry: an expired lot is never delivered (to a customer) or consumed (to production). This check runs
  where every operation ends, stock.move.line._action_done, and reads no context: product_expiry's "expired
  lots" confirmation (its `skip_expired` context key) only skips product_expiry's own dialog, not this.
  Scrap (to a scrap location) and return to vendor (to a vendor location) stay possible."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .stock_tracking_rule_shelf_life import MAX_LISTED

INCOMING_USAGES = ("supplier", "production")  # where a new lot comes from: a receipt, a production
CONSUMING_USAGES = ("customer", "production")  # where an expired lot must never go: delivered, consumed


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    # ------------------------------------------------------------ dates entered by hand
    def _lst_date_by_hand(self):
        return self.filtered(lambda ml: ml.product_id and ml.product_id.product_tmpl_id._lst_expiry_date_by_hand())

    def _compute_expiration_date(self):
        """Under a rule requiring dates without a delay (0 days), Odoo would put the picking's date (date + 0
        days) on every new line: the line keeps the date entered (or the lot's) instead, so that a missing
        date is seen and refused at validation."""
        by_hand = self._lst_date_by_hand()
        res = super(StockMoveLine, self - by_hand)._compute_expiration_date()
        for ml in by_hand:
            ml.expiration_date = ml.lot_id.expiration_date or ml.expiration_date
        return res

    @api.onchange("product_id", "product_uom_id", "picking_id")
    def _onchange_product_id(self):
        res = super()._onchange_product_id()
        if self._lst_date_by_hand():
            self.expiration_date = self.lot_id.expiration_date
        return res

    # ------------------------------------------------------------ the checks
    def _lst_shelf_life_todo(self):
        """The lines that move a lot (quantity > 0), with the active rule of their product."""
        lines = self.filtered(
            lambda ml: (ml.lot_id or ml.lot_name)
            and float_compare(ml.quantity, 0, precision_rounding=ml.product_uom_id.rounding) > 0
        )
        return [(ml, ml.product_id.product_tmpl_id._lst_active_rule()) for ml in lines]

    def _lst_expired_lines(self):
        """Lines delivering or consuming an expired lot of a product under a Strict Expiry rule."""
        now = fields.Datetime.now()
        return self.browse(
            ml.id
            for ml, rule in self._lst_shelf_life_todo()
            if rule.block_expired
            and ml.lot_id.expiration_date
            and ml.lot_id.expiration_date <= now
            and ml.location_dest_id.usage in CONSUMING_USAGES
            and ml.location_id.usage not in CONSUMING_USAGES
        )

    def _lst_undated_lines(self):
        """Lines receiving or producing a lot without expiration date, for a rule requiring one."""
        return self.browse(
            ml.id
            for ml, rule in self._lst_shelf_life_todo()
            if rule.require_expiration_date
            and rule.use_expiration_date
            and ml.location_id.usage in INCOMING_USAGES
            and ml.location_dest_id.usage not in INCOMING_USAGES
            and not (ml.lot_id.expiration_date or ml.expiration_date)
        )

    @api.model
    def _lst_lot_list(self, lines):
        names = sorted({(ml.product_id.display_name, ml.lot_id.name or ml.lot_name) for ml in lines})
        text = "\n".join("- %s: %s" % name for name in names[:MAX_LISTED])
        if len(names) > MAX_LISTED:
            text += "\n" + _("- ... and %(count)s more", count=len(names) - MAX_LISTED)
        return text

    def _lst_check_shelf_life(self):
        expired = self._lst_expired_lines()
        if expired:
            raise UserError(
                _(
                    "These lots are expired: their tracking rule (Strict Expiry) forbids delivering or consuming "
                    "them:\n%(lots)s\n\nPick other lots, or scrap these (returning them to the vendor is allowed "
                    "too).",
                    lots=self._lst_lot_list(expired),
                )
            )
        undated = self._lst_undated_lines()
        if undated:
            raise UserError(
                _(
                    "These lots have no expiration date, which their tracking rule requires on receipt and "
                    "production:\n%(lots)s\n\nEnter the Expiration Date on each line (or on the lot), then "
                    "validate again.",
                    lots=self._lst_lot_list(undated),
                )
            )

    def _action_done(self):
        self._lst_check_shelf_life()
        # an existing lot received without date takes the date of the line (entered, or computed by Odoo)
        for ml, rule in self._lst_shelf_life_todo():
            if (
                rule.use_expiration_date
                and ml.lot_id
                and not ml.lot_id.expiration_date
                and ml.expiration_date
                and ml.location_id.usage in INCOMING_USAGES
            ):
                ml.lot_id.expiration_date = ml.expiration_date
        return super()._action_done()
