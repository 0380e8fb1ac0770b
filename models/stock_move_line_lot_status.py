# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .stock_lot_status import HELD_STATUSES

# refusals listed in one error, at most
MAX_LISTED_REFUSALS = 20


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _lst_held_refused(self):
        """The lines of self that move a held lot (quarantine, blocked) where it may not go: to a customer,
        into production (consumed), or from an internal/transit location to another one; unless the
        destination accepts held stock (marked "Accepts Held Stock", scrap, vendor, inventory adjustment).
        A held lot may still arrive in stock (receipt, return from a customer, production of a held
        finished lot)."""
        held = self.filtered(lambda ml: ml.lot_id.lot_status in HELD_STATUSES)
        if not held:
            return held
        accepting = self.env["stock.location"]._lst_accepting_held_stock(held.location_dest_id)

        def refused(ml):
            dest, source = ml.location_dest_id, ml.location_id
            if dest.id in accepting:
                return False
            if dest.usage in ("customer", "production"):
                return True
            return dest.usage in ("internal", "transit") and source.usage in ("internal", "transit")

        return held.filtered(refused)

    def _action_done(self):
        self._lst_check_held_lots()
        return super()._action_done()

    def _lst_check_held_lots(self):
        """Refuse (UserError naming each lot, its status and reason) to validate held lots where they may not
        go (see _lst_held_refused). Capture lines of delivery-only products are checked by name in
        stock.move._lst_capture_problems, which names the serial the same way."""
        lines = self.filtered(
            lambda ml: ml.lot_id
            and not ml.move_id.lst_capture_here
            and float_compare(ml.quantity, 0, precision_rounding=ml.product_uom_id.rounding) > 0
        )._lst_held_refused()
        if not lines:
            return
        labels = dict(self.env["stock.lot"]._fields["lot_status"]._description_selection(self.env))
        problems = [
            _(
                "- %(lot)s of %(product)s is %(status)s (%(reason)s): %(reference)s from %(origin)s to %(dest)s",
                lot=ml.lot_id.name,
                product=ml.product_id.display_name,
                status=labels[ml.lot_id.lot_status],
                reason=ml.lot_id.lot_status_reason or "-",
                reference=ml.picking_id.name or ml.move_id.reference or ml.reference or "",
                origin=ml.location_id.display_name,
                dest=ml.location_dest_id.display_name,
            )
            for ml in lines[:MAX_LISTED_REFUSALS]
        ]
        if len(lines) > MAX_LISTED_REFUSALS:
            problems.append(_("... and %s more", len(lines) - MAX_LISTED_REFUSALS))
        raise UserError(
            _(
                "These lots/serial numbers are held and cannot be delivered, consumed or moved to another internal "
                "location:\n%(problems)s\nMove them to a location accepting held stock (e.g. a quarantine "
                "location), scrap them or return them to the vendor; or have an Inventory Administrator release "
                "them.",
                problems="\n".join(problems),
            )
        )
