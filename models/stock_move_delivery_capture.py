# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Delivery-only capture on stock.move: the product is untracked on every operation but the delivery to the
customer, where one serial (or lot) per unit is asked; the progress shown beforehand and the checks made
at validation (missing numbers, duplicates, serials still at a customer).

Odoo hooks: has_tracking (a related field in Odoo, computed here), _compute_display_assign_serial,
_compute_show_info, _add_serial_move_line_to_vals_list."""

from collections import Counter

from odoo import _, api, fields, models
from odoo.tools import float_compare, float_round

from .lst_company_guard import lst_visible
from .lst_text import TRACKING_SELECTION, format_qty


class StockMove(models.Model):
    _inherit = "stock.move"

    # Odoo: related='product_id.tracking'. For delivery-only products the operations before the
    # delivery are untracked: the views, the "Detailed Operations" dialog and MRP's component
    # checks then treat the move as untracked.
    has_tracking = fields.Selection(
        selection=TRACKING_SELECTION,
        related=False,
        compute="_compute_has_tracking",
        string="Product with Tracking",
    )
    lst_delivery_only = fields.Boolean(string="Delivery-only Capture", compute="_compute_lst_capture_here")
    lst_capture_here = fields.Boolean(
        string="Capture Serials Here",
        compute="_compute_lst_capture_here",
        help="Delivery-only product on an outgoing delivery to a customer: one serial per unit is entered here.",
    )
    lst_serial_progress = fields.Char(
        string="Serials",
        compute="_compute_lst_serial_progress",
        help="Numbers given so far for the units to deliver: all are asked before the delivery is validated.",
    )
    lst_serials_complete = fields.Boolean(compute="_compute_lst_serial_progress")

    @api.depends(
        "product_id.tracking",
        "product_id.tracking_capture",
        "picking_type_id.code",
        "location_id.usage",
        "location_dest_id.usage",
    )
    def _compute_lst_capture_here(self):
        for move in self:
            delivery_only = bool(move.product_id) and move.product_id._lst_is_delivery_only()
            move.lst_delivery_only = delivery_only
            move.lst_capture_here = delivery_only and move._lst_is_capture_operation()

    @api.depends(
        "lst_capture_here",
        "product_uom_qty",
        "product_uom",
        "move_line_ids.lot_id",
        "move_line_ids.lot_name",
        "move_line_ids.quantity",
    )
    def _compute_lst_serial_progress(self):
        """Show "serials: 1/3" on the delivery's operations of delivery-only products: the numbers are asked
        at validation, this shows it (and how many are given) beforehand."""
        for move in self:
            if not move.lst_capture_here:
                move.lst_serial_progress = False
                move.lst_serials_complete = True
                continue
            uom = move.product_id.uom_id
            demand = move.product_uom._compute_quantity(move.product_uom_qty, uom) if move.product_uom else 0
            numbered = move.move_line_ids.filtered(lambda ml: ml.lot_id or ml.lot_name)
            if move.product_id.tracking == "serial":
                given = len(numbered)
                move.lst_serial_progress = _("serials: %(given)s/%(demand)s", given=given, demand=format_qty(demand))
            else:
                given = sum(ml.product_uom_id._compute_quantity(ml.quantity, uom) for ml in numbered)
                move.lst_serial_progress = _(
                    "with lot: %(given)s/%(demand)s %(uom)s",
                    given=format_qty(float_round(given, precision_rounding=uom.rounding)),
                    demand=format_qty(demand),
                    uom=uom.name,
                )
            move.lst_serials_complete = float_compare(given, demand, precision_rounding=uom.rounding or 0.01) >= 0

    def _lst_is_capture_operation(self):
        """The final step to the customer: an outgoing operation into a customer location."""
        self.ensure_one()
        return self.picking_type_id.code == "outgoing" and self.location_dest_id.usage == "customer"

    def _lst_untracked_here(self):
        """Delivery-only product on any other operation (receipt, internal, pick/pack, MO, scrap,
        inventory): handled as untracked. A return from the customer keeps its serial."""
        self.ensure_one()
        return self.lst_delivery_only and not self.lst_capture_here and self.location_id.usage != "customer"

    @api.depends("product_id.tracking", "lst_delivery_only", "lst_capture_here", "location_id.usage")
    def _compute_has_tracking(self):
        for move in self:
            move.has_tracking = "none" if move._lst_untracked_here() else move.product_id.tracking or "none"

    @api.depends("lst_capture_here")
    def _compute_display_assign_serial(self):
        res = super()._compute_display_assign_serial()
        for move in self.filtered("lst_capture_here"):
            show = move.state not in ("done", "cancel")
            move.display_import_lot = show
            move.display_assign_serial = show
        return res

    @api.depends("lst_capture_here")
    def _compute_show_info(self):
        res = super()._compute_show_info()
        for move in self.filtered("lst_delivery_only"):
            if move.lst_capture_here:
                # Like a receipt creating lots: serials are typed (lot_name) or chosen/created
                # (lot_id, what Generate/Import Serials fill), not picked from quants (the stock
                # is plain, there is no lot quant to pick).
                # One Lot/Serial column: the typed name until done (Scan, Generate and Import
                # Serials fill it too), the lot afterwards.
                move.show_quant = False
                move.show_lots_text = move.state != "done"
                move.show_lots_m2o = move.state == "done"
            elif move._lst_untracked_here():
                move.show_lots_text = False
                move.show_lots_m2o = False
        return res

    def _add_serial_move_line_to_vals_list(self, reserved_quant, quantity):
        """Odoo reserves serial-tracked products one line per unit; before the delivery a
        delivery-only product is untracked: one line for the quantity taken from the quant."""
        if self._lst_untracked_here():
            return [self._prepare_move_line_vals(quantity=quantity, reserved_quant=reserved_quant)]
        return super()._add_serial_move_line_to_vals_list(reserved_quant, quantity)

    # ------------------------------------------------------------------
    # Validation helpers
    # ------------------------------------------------------------------
    def _lst_capture_problems(self, lines):
        """Problems preventing `lines` (move lines of capture moves about to be done) from being
        validated: missing serials per move, serial lines with a quantity other than 1, duplicates,
        serials still at a customer."""
        problems = []
        for move in lines.move_id:
            mls = lines.filtered(lambda ml, move=move: ml.move_id == move)
            rounding = move.product_id.uom_id.rounding
            missing = sum(ml.quantity_product_uom for ml in mls if not ml.lot_id and not ml.lot_name)
            total = sum(mls.mapped("quantity_product_uom"))
            if float_compare(missing, 0, precision_rounding=rounding) > 0:
                if move.product_id.tracking == "serial":
                    problems.append(
                        _(
                            "%(picking)s: %(missing)s serial number(s) missing for %(product)s "
                            "(%(total)s unit(s) to deliver, %(given)s number(s) given).",
                            picking=move.picking_id.name or move.reference,
                            missing=format_qty(float_round(missing, precision_rounding=rounding)),
                            product=move.product_id.display_name,
                            total=format_qty(float_round(total, precision_rounding=rounding)),
                            given=len(mls.filtered(lambda ml: ml.lot_id or ml.lot_name)),
                        )
                    )
                else:
                    problems.append(
                        _(
                            "%(picking)s: %(missing)s %(uom)s of %(product)s have no lot number.",
                            picking=move.picking_id.name or move.reference,
                            missing=format_qty(float_round(missing, precision_rounding=rounding)),
                            uom=move.product_id.uom_id.name,
                            product=move.product_id.display_name,
                        )
                    )
            if move.product_id.tracking == "serial":
                wrong = mls.filtered(
                    lambda ml, rounding=rounding: (ml.lot_id or ml.lot_name)
                    and float_compare(ml.quantity_product_uom, 1, precision_rounding=rounding) != 0
                )
                for ml in wrong:
                    problems.append(
                        _(
                            "%(picking)s: serial %(name)s of %(product)s has quantity %(qty)s; a serial is one unit.",
                            picking=move.picking_id.name or move.reference,
                            name=ml.lot_id.name or ml.lot_name,
                            product=move.product_id.display_name,
                            qty=format_qty(ml.quantity_product_uom),
                        )
                    )
                names = Counter(ml.lot_id.name or ml.lot_name for ml in mls if ml.lot_id or ml.lot_name)
                dups = sorted(n for n, count in names.items() if count > 1)
                if dups:
                    problems.append(
                        _(
                            "%(picking)s: serial(s) entered twice for %(product)s: %(names)s",
                            picking=move.picking_id.name or move.reference,
                            product=move.product_id.display_name,
                            names=", ".join(dups),
                        )
                    )
        problems += self._lst_at_customer_problems(lines.product_id, lines)
        problems += self._lst_held_capture_problems(lines)
        return problems

    @api.model
    def _lst_at_customer_problems(self, products, lines=None, names_by_product=None, company=None):
        """Serials (of serial-tracked delivery-only products) that sit at a customer: they cannot
        be delivered again before they come back by a return. Lots are per company: only the lots
        the delivering company uses (its own and shared ones) count, so another company's serial of
        the same name neither blocks the delivery nor is named to this company's users."""
        companies = company or (lines.company_id if lines else self.env.company)
        names_by_product = dict(names_by_product or {})
        for ml in lines or []:
            if ml.product_id.tracking == "serial" and (ml.lot_id or ml.lot_name):
                names_by_product.setdefault(ml.product_id, set()).add(ml.lot_id.name or ml.lot_name)
        domain = []
        for product, names in names_by_product.items():
            if product.tracking == "serial" and names:
                domain = (["|"] if domain else []) + domain
                domain += ["&", ("product_id", "=", product.id), ("lot_id.name", "in", list(names))]
        if not domain:
            return []
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    *domain,
                    ("location_id.usage", "=", "customer"),
                    ("quantity", ">", 0),
                    ("lot_id.company_id", "in", [False, *companies.ids]),
                ]
            )
        )
        if not quants:
            return []
        last_lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", quants.lot_id.ids),
                    ("state", "=", "done"),
                    ("location_dest_id.usage", "=", "customer"),
                ],
                order="date desc, id desc",
            )
        )
        problems = []
        for quant in quants:
            last = last_lines.filtered(lambda ml, q=quant: ml.lot_id == q.lot_id)[:1]
            if last and not lst_visible(last.picking_id or last):
                # a shared serial another company delivered: its customer and delivery are not named
                problems.append(
                    _(
                        "Serial %(name)s of %(product)s is at a customer of another company; it can be "
                        "delivered again only after a return.",
                        name=quant.lot_id.name,
                        product=quant.product_id.display_name,
                    )
                )
                continue
            customer = last.picking_id.partner_id or last.move_id.partner_id
            problems.append(
                _(
                    "Serial %(name)s of %(product)s is at customer %(customer)s (delivery %(delivery)s); "
                    "it can be delivered again only after a return.",
                    name=quant.lot_id.name,
                    product=quant.product_id.display_name,
                    customer=customer.display_name or quant.location_id.display_name,
                    delivery=last.picking_id.name or last.reference or "?",
                )
            )
        return problems
