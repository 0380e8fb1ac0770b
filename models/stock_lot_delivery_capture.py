# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Delivery-only capture on stock.lot: which customer holds a captured serial, and by which delivery."""

from odoo import api, fields, models


class StockLotDelivery(models.Model):
    _inherit = "stock.lot"

    lst_customer_id = fields.Many2one(
        "res.partner",
        string="At Customer",
        compute="_compute_lst_customer",
        help="The customer holding this serial: the partner of the last delivery that brought it to a "
        "customer location, while it has not come back.",
    )
    lst_delivery_id = fields.Many2one("stock.picking", string="Delivered By", compute="_compute_lst_customer")

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_lst_customer(self):
        """Like Odoo's Last Delivery Partner: only the deliveries the user may read count (those of the
        allowed companies), never another company's customer or delivery. The serial is at the
        customer of the latest such move into or out of a customer location when that move is a
        delivery; when it is a return (or none is visible), nothing is shown."""
        self.lst_customer_id = False
        self.lst_delivery_id = False
        lots = self.filtered("id")
        if not lots:
            return
        at_customer = (
            self.env["stock.quant"]
            .search([("lot_id", "in", lots.ids), ("location_id.usage", "=", "customer"), ("quantity", ">", 0)])
            .lot_id
        )
        if not at_customer:
            return
        lines = self.env["stock.move.line"].search(
            [
                ("lot_id", "in", at_customer.ids),
                ("state", "=", "done"),
                "|",
                ("location_dest_id.usage", "=", "customer"),
                ("location_id.usage", "=", "customer"),
            ],
            order="date desc, id desc",
        )
        for lot in lots & at_customer:
            last = lines.filtered(lambda ml, lot=lot: ml.lot_id == lot)[:1]
            if last.location_dest_id.usage != "customer" or last.location_id.usage == "customer":
                continue
            lot.lst_delivery_id = last.picking_id
            lot.lst_customer_id = last.picking_id.partner_id or lot.last_delivery_partner_id
