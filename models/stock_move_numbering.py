# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Numbering in the detailed operations: Generate Serials/Lots and the move's own serial generation take
the tracking rule's next free names; Import/Generate on a delivery of a delivery-only product keeps the
serials as names and never makes more lines than the demand.

Odoo hooks: action_generate_lot_line_vals, _generate_serial_numbers (and stock.lot.generate_lot_names,
see stock_lot.py, which reads lst_generate_product_id)."""

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .lst_guards import ServerState, check_ids
from .lst_nul_guard_mixin import lst_refuse_nul
from .lst_text import format_qty

# ids the Generate/Import Serials dialog sends in its context argument
LST_CONTEXT_IDS = (
    "default_product_id",
    "default_move_id",
    "default_picking_id",
    "default_picking_type_id",
    "default_location_id",
    "default_location_dest_id",
    "default_company_id",
)


class StockMove(models.Model):
    _inherit = "stock.move"

    def _lst_rule_first_name(self, product):
        """The rule's next free name for `product`, or False (no rule)."""
        names = product._lst_next_lot_names(1) if product else []
        return names[0] if names else False

    @api.model
    def action_generate_lot_line_vals(self, context, mode, first_lot, count, lot_text):
        """Detailed operations > "Generate Serials/Lots": under a rule, an empty "First Serial
        Number" (or the rule's proposal, which the dialog pre-fills) gives the rule's next free
        names instead of Odoo's "0", "1", ... (names in use are skipped)."""
        if not isinstance(context, dict):
            # env._, not _: Odoo's _() reads the language from a local variable named `context`
            raise UserError(self.env._("context must be a dictionary of the move's values (default_product_id, ...)."))
        for key in LST_CONTEXT_IDS:  # browsed here and by Odoo: an SQL error otherwise
            if context.get(key):
                check_ids(self.env, context[key], key)
        # Odoo searches (and on deliveries creates) the lots right away: PostgreSQL would fail on a NUL
        lst_refuse_nul(self.env, _("First Lot/Serial Number"), first_lot)
        lst_refuse_nul(self.env, _("Lots/Serials"), lot_text)
        product = self.env["product.product"].browse(context.get("default_product_id"))
        if mode in ("import", "generate") and product:
            self._lst_check_import_count(context, product, lot_text if mode == "import" else count)
        if mode == "generate" and product and product._lst_rule():
            proposal = self._lst_rule_first_name(product)
            if not (first_lot or "").strip() or first_lot.strip() == proposal:
                self = self.with_context(lst_generate_product_id=ServerState(product.id))
                first_lot = proposal
        picking_type = self.env["stock.picking.type"]
        if product and product._lst_is_delivery_only() and self._lst_context_is_capture(context):
            # The delivery's serials stay names in the Lot/Serial column (like Scan Serial), found or
            # created on validation: Odoo would create the lots now because deliveries "use existing
            # lots", and fill a second Lot/Serial column with them.
            picking_type = picking_type.browse(context.get("default_picking_type_id")).exists()
            context = {key: value for key, value in context.items() if key != "default_picking_type_id"}
        vals_list = super().action_generate_lot_line_vals(context, mode, first_lot, count, lot_text)
        for vals in vals_list if picking_type else []:
            vals["picking_type_id"] = {"id": picking_type.id, "display_name": picking_type.display_name}
        return vals_list

    @api.model
    def _lst_context_is_capture(self, context):
        """Does the Generate/Import dialog's `context` come from a delivery to a customer?"""
        move = self.browse(context.get("default_move_id")).exists()
        picking_type = self.env["stock.picking.type"].browse(context.get("default_picking_type_id")).exists()
        picking = self.env["stock.picking"].browse(context.get("default_picking_id")).exists()
        code = (
            picking_type.code
            or context.get("picking_type_code")
            or move.picking_type_id.code
            or picking.picking_type_id.code
        )
        dest = self.env["stock.location"].browse(context.get("default_location_dest_id")).exists()
        return code == "outgoing" and dest.usage == "customer"

    @api.model
    def _lst_check_import_count(self, context, product, lot_text_or_count):
        """Import (pasted text) or Generate (a count) Serials on the delivery of a delivery-only serial
        product: a serial is one unit, so refuse more serials than the demand before any line is made
        (like set_lot_names and Scan Serial). Odoo turns every line into a move line, about 30 queries
        each through validation, so 100,000 lines would otherwise keep the server busy for half an hour."""
        if product.tracking != "serial" or not product._lst_is_delivery_only():
            return
        if not self._lst_context_is_capture(context):
            return
        generate = not isinstance(lot_text_or_count, str | bool) and lot_text_or_count is not None
        if generate and (not isinstance(lot_text_or_count, int) or lot_text_or_count < 0):
            raise UserError(_("The number of serial numbers to generate must be a whole number."))
        move = self.browse(context.get("default_move_id")).exists()
        demand = context.get("default_quantity")  # the dialog sends the move's quantity in the product's unit
        if not isinstance(demand, int | float) or isinstance(demand, bool):
            if not move:
                return
            demand = move.product_qty
        if generate:
            count = lot_text_or_count
            if float_compare(count, demand, precision_rounding=product.uom_id.rounding) > 0:
                raise UserError(
                    _(
                        "%(count)s serial numbers to generate for a demand of %(demand)s %(product)s. A serial is "
                        "one unit: generate at most %(demand)s, or raise the demand first.",
                        count=count,
                        demand=format_qty(demand),
                        product=product.display_name,
                    )
                )
            return
        count = len(self.split_lots(lot_text_or_count))  # Odoo's own reading of the pasted text: one line per lot
        if float_compare(count, demand, precision_rounding=product.uom_id.rounding) > 0:
            raise UserError(
                _(
                    "%(count)s serial numbers pasted for a demand of %(demand)s %(product)s. A serial is one "
                    "unit: paste at most %(demand)s, or raise the demand first.",
                    count=count,
                    demand=format_qty(demand),
                    product=product.display_name,
                )
            )

    def _generate_serial_numbers(self, next_serial, next_serial_count=False, location_id=False):
        if not next_serial and self.product_id._lst_rule():
            next_serial = self._lst_rule_first_name(self.product_id)
            self = self.with_context(lst_generate_product_id=ServerState(self.product_id.id))
        return super()._generate_serial_numbers(next_serial, next_serial_count, location_id)
