# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import OrderedSet, float_compare, float_round


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    lst_capture_here = fields.Boolean(related="move_id.lst_capture_here", string="Capture Serials Here")

    @api.depends("move_id.lst_capture_here")
    def _compute_lots_visible(self):
        res = super()._compute_lots_visible()
        plain, _capture = self._lst_split_delivery_only()
        plain.lots_visible = False
        return res

    def _lst_split_delivery_only(self):
        """(plain lines, capture lines) among self; other lines are standard."""
        delivery_only_lines = self.filtered(
            lambda ml: ml.product_id.tracking != "none" and ml.product_id._lst_is_delivery_only()
        )
        if not delivery_only_lines:
            return self.browse(), self.browse()
        capture = delivery_only_lines.filtered(lambda ml: ml.move_id.lst_capture_here)
        plain = (delivery_only_lines - capture).filtered(lambda ml: not ml.move_id or ml.move_id._lst_untracked_here())
        return plain, capture

    def _action_done(self):
        self._lst_lock_serial_products()
        plain, capture = self._lst_split_delivery_only()
        if not plain and not capture:
            return super()._action_done()
        capture_todo = capture.filtered(
            lambda ml: float_compare(ml.quantity, 0, precision_rounding=ml.product_uom_id.rounding) > 0
        )
        if capture_todo:
            capture_todo._lst_prepare_capture_done()
        with_lot = plain.filtered(lambda ml: ml.lot_id or ml.lot_name)
        if with_lot:
            with_lot.write({"lot_id": False, "lot_name": False})
        res = None
        if self - plain:
            res = super(StockMoveLine, self - plain)._action_done()
        if plain:
            plain._lst_action_done_plain()
        return res

    def _lst_lock_serial_products(self):
        """A captured serial reaches one customer once. The capture check (_lst_capture_problems: "at a
        customer") reads the customer quants before this transaction writes its own, so two deliveries
        of the same serial validated at the same moment would both pass it. Capture lines take the
        per-product lock of stock.lot first (see _lst_lock_products): the later delivery is retried by
        Odoo and then refused with the serial named. (A serial entering stock twice is already kept
        apart: with one lot row per name, which the lock of stock.lot.create ensures, both transactions
        write that lot's location and the later one is retried, then refused by Odoo's own check.)"""
        products = self.filtered(
            lambda ml: ml.product_id.tracking == "serial" and (ml.lot_id or ml.lot_name) and ml.move_id.lst_capture_here
        ).product_id
        if products:
            self.env["stock.lot"]._lst_lock_products(products)

    def _lst_prepare_capture_done(self):
        """Delivery to the customer of delivery-only products: every unit has a serial (clear
        error otherwise), serials are found or created, none is still at a customer, and each
        line takes its plain stock where it really is (a sub-location of the line's location)."""
        problems = self.env["stock.move"]._lst_capture_problems(self)
        if problems:
            raise UserError(
                _("Serial numbers are captured on this delivery:\n%s", "\n".join(f"- {p}" for p in problems))
            )
        to_resolve = self.filtered(lambda ml: not ml.lot_id and ml.lot_name)
        for (product, company), lines in to_resolve.grouped(lambda ml: (ml.product_id, ml.company_id)).items():
            lots = self.env["stock.lot"]._lst_get_or_create(
                product, lines.mapped("lot_name"), company, move_lines=lines
            )
            for lot, same_lot_lines in lines.grouped(lambda ml, lots=lots: lots[ml.lot_name]).items():
                same_lot_lines.lot_id = lot
        self._lst_relocate_to_plain_stock()
        # Odoo creates one customer quant per serial, each reading its lot's properties: read them at once
        self.lot_id.fetch(["lot_properties"])

    def _lst_relocate_to_plain_stock(self):
        """A line whose location has not enough plain stock (e.g. a line added on WH/Stock while the
        units sit in WH/Stock/Shelf 1) is moved to a sub-location holding plain stock, so that the
        delivery takes the plain quant where it is and no negative quant appears."""
        Quant = self.env["stock.quant"].sudo()
        for product in self.product_id:
            lines = self.filtered(lambda ml, p=product: ml.product_id == p)
            quants = Quant.search(
                [
                    ("product_id", "=", product.id),
                    ("lot_id", "=", False),
                    ("location_id", "child_of", lines.location_id.ids),
                    ("quantity", ">", 0),
                ]
            )
            left = defaultdict(float)
            for quant in quants:
                left[quant.location_id] += quant.quantity
            rounding = product.uom_id.rounding
            misplaced = []
            for ml in lines:
                qty = ml.quantity_product_uom
                if float_compare(left[ml.location_id], qty, precision_rounding=rounding) >= 0:
                    left[ml.location_id] -= qty
                else:
                    misplaced.append(ml)
            for ml in misplaced:
                qty = ml.quantity_product_uom
                for location in sorted(left, key=lambda loc: (loc.complete_name, loc.id)):
                    if location != ml.location_id and location.parent_path.startswith(ml.location_id.parent_path):
                        if float_compare(left[location], qty, precision_rounding=rounding) >= 0:
                            left[location] -= qty
                            ml.location_id = location
                            break

    def _lst_action_done_plain(self):
        """`_action_done` for delivery-only products on operations other than the delivery to the
        customer: the quants move exactly as Odoo does, without Odoo's lot check.

        Copied from stock.move.line._action_done (Odoo 18.0, stock/models/stock_move_line.py lines
        588-697) minus the lot/serial part of its first loop (lines 621-669: "You need to supply a
        Lot/Serial Number"): that check has no hook (it reads product.tracking and the operation type's
        lot flags inline) and refuses every plain line. Kept in step by tests/test_odoo_copies.py (Odoo's
        source unchanged, same quants and lines as Odoo's path for an untracked product). Odoo's path
        (super()) still runs for every other line of the same call, so the overrides of other modules
        (stock_account's lot-valuation check) see those; stock_account's check concerns lot-valuated
        products, which a delivery-only product is not on internal operations."""
        precision_digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        ml_ids_to_delete = OrderedSet()
        for ml in self:
            uom_qty = float_round(ml.quantity, precision_rounding=ml.product_uom_id.rounding, rounding_method="HALF-UP")
            quantity = float_round(ml.quantity, precision_digits=precision_digits, rounding_method="HALF-UP")
            if float_compare(uom_qty, quantity, precision_digits=precision_digits) != 0:
                raise UserError(
                    _(
                        'The quantity done for the product "%(product)s" doesn\'t respect the rounding '
                        'precision defined on the unit of measure "%(unit)s". Please change the quantity '
                        "done or the rounding precision of your unit of measure.",
                        product=ml.product_id.display_name,
                        unit=ml.product_uom_id.name,
                    )
                )
            compared = float_compare(ml.quantity, 0, precision_rounding=ml.product_uom_id.rounding)
            if compared < 0:
                raise UserError(_("No negative quantities allowed"))
            if compared == 0 and not ml.is_inventory:
                ml_ids_to_delete.add(ml.id)
        mls_to_delete = self.browse(ml_ids_to_delete)
        mls_to_delete.unlink()
        mls_todo = self - mls_to_delete
        mls_todo._check_company()
        ml_ids_to_ignore = OrderedSet()
        quants_cache = self.env["stock.quant"]._get_quants_by_products_locations(
            mls_todo.product_id,
            mls_todo.location_id | mls_todo.location_dest_id,
            extra_domain=[("lot_id", "=", False)],
        )
        for ml in mls_todo.with_context(quants_cache=quants_cache):
            ml._synchronize_quant(-ml.quantity_product_uom, ml.location_id, action="reserved")
            available_qty, in_date = ml._synchronize_quant(-ml.quantity_product_uom, ml.location_id)
            ml._synchronize_quant(
                ml.quantity_product_uom, ml.location_dest_id, package=ml.result_package_id, in_date=in_date
            )
            if available_qty < 0:
                ml._free_reservation(
                    ml.product_id,
                    ml.location_id,
                    abs(available_qty),
                    lot_id=ml.lot_id,
                    package_id=ml.package_id,
                    owner_id=ml.owner_id,
                    ml_ids_to_ignore=ml_ids_to_ignore,
                )
            ml_ids_to_ignore.add(ml.id)
        mls_todo.write({"date": fields.Datetime.now()})
