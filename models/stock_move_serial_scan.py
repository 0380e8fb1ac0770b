# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Scan Serial on the delivery of a delivery-only product: each scanned serial becomes a detailed line, a
refused scan is a message on the form (a scanner user never meets a blocking dialog)."""

from odoo import Command, _, api, fields, models
from odoo.tools import float_compare

from .lst_text import MAX_LOT_NAME, bad_name_chars, format_qty


class StockMove(models.Model):
    _inherit = "stock.move"

    lst_scan_serial = fields.Char(
        string="Scan Serial",
        store=False,
        help="Scan or type a serial number and press Enter: a detailed line is added for it.",
    )
    lst_scan_message = fields.Char(
        string="Scan Result",
        store=False,
        readonly=True,
        help="Why the last scanned serial was not added (cleared by the next serial added).",
    )

    @api.onchange("lst_scan_serial")
    def _onchange_lst_scan_serial(self):
        """Scanner-friendly input: each scanned serial becomes a detailed line of quantity 1 (a
        reserved line without serial is used first, so its real location is kept). A refused scan
        (duplicate, more serials than the demand, serial still at a customer) is shown in
        `lst_scan_message` on the form, never in a dialog: the scanner keeps scanning."""
        name = (self.lst_scan_serial or "").strip()
        if not name:
            return
        self.lst_scan_serial = False
        problem = self._lst_scan_problem(name)
        self.lst_scan_message = problem or False
        if problem:
            return
        free = self.move_line_ids.filtered(lambda ml: not ml.lot_id and not ml.lot_name and ml.quantity > 0)
        if free and float_compare(free[0].quantity, 1, precision_rounding=free[0].product_uom_id.rounding) <= 0:
            free[0].lot_name = name
            return
        vals = {
            "product_id": self.product_id.id,
            "product_uom_id": self.product_id.uom_id.id,
            "location_id": (free[:1].location_id or self.location_id).id,
            "location_dest_id": self.location_dest_id.id,
            "lot_name": name,
            "quantity": 1,
            "picking_id": self.picking_id.id,
            "company_id": self.company_id.id,
        }
        if free:
            free[0].quantity -= 1
        self.move_line_ids = [Command.create(vals)]

    def _lst_scan_problem(self, name):
        """Why the scanned serial `name` cannot be added to this move (False when it can): the same
        checks as Import Serials and validation, made at scan time."""
        if bad_name_chars(name):
            return _("%(name)r not added: remove the control characters.", name=name[:60])
        if len(name) > MAX_LOT_NAME:
            return _("Serial not added: it is longer than %(max)s characters.", max=MAX_LOT_NAME)
        if name in self.move_line_ids.mapped("lot_name") or name in self.move_line_ids.lot_id.mapped("name"):
            return _("%(name)s is already on this operation.", name=name)
        product = self.product_id
        if product.tracking == "serial":
            demand = self.product_uom._compute_quantity(self.product_uom_qty, product.uom_id)
            given = len(self.move_line_ids.filtered(lambda ml: ml.lot_id or ml.lot_name))
            if float_compare(given + 1, demand, precision_rounding=product.uom_id.rounding) > 0:
                return _(
                    "%(name)s not added: %(given)s serial number(s) already given for a demand of %(demand)s "
                    "%(product)s. A serial is one unit: raise the demand first to deliver more.",
                    name=name,
                    given=given,
                    demand=format_qty(demand),
                    product=product.display_name,
                )
            if self.lst_capture_here:
                at_customer = self._lst_at_customer_problems(
                    product, names_by_product={product: {name}}, company=self.company_id
                )
                if at_customer:
                    return _("%(name)s not added: %(reason)s", name=name, reason=at_customer[0])
        if self.lst_capture_here:
            held = self._lst_held_capture_problems(names_by_product={product: {name}}, company=self.company_id)
            if held:
                return _("%(name)s not added: %(reason)s", name=name, reason=held[0])
        return False
