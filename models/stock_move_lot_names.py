# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""set_lot_names, the integrator's way to give a move its lot/serial numbers (one detailed line per name),
with every check made before anything is written."""

from collections import Counter

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round

from .lst_guards import check_record_ids
from .lst_text import MAX_LISTED, MAX_LOT_NAME, bad_name_chars, format_qty, listed


class StockMove(models.Model):
    _inherit = "stock.move"

    # ------------------------------------------------------------------
    # Integrator API
    # ------------------------------------------------------------------
    def set_lot_names(self, names):
        """Replace the detailed lines of this move with one line per name (quantity 1 for serials),
        creating the lots that do not exist yet. For delivery-only products on the delivery to the
        customer, and for any lot/serial-tracked move (e.g. a standard receipt).

        :param list names: lot/serial names (non-empty strings of at most MAX_LOT_NAME characters, no
            duplicates, no control chars; at most one per unit of the move's demand)
        :return: list of the created stock.move.line ids
        :raise UserError: listing every problem; nothing is changed then
        """
        check_record_ids(self)
        if len(self) != 1:
            raise UserError(_("set_lot_names works on exactly one stock move (got %s).", len(self)))
        move = self
        product = move.product_id
        clean, lots, demand, problems = move._lst_check_lot_names(names)
        if problems:
            raise UserError(
                _("Cannot set the lot/serial numbers of %(move)s:\n%(problems)s")
                % {
                    "move": move.reference or product.display_name,
                    "problems": "\n".join(f"- {p}" for p in problems),
                }
            )
        by_name = {lot.name: lot for lot in lots}
        if any(n not in by_name for n in clean):
            by_name = self.env["stock.lot"]._lst_get_or_create(product, clean, move.company_id)
        if product.tracking == "serial":
            qties = [1.0] * len(clean)
        else:
            rounding = product.uom_id.rounding
            share = float_round(demand / len(clean), precision_rounding=rounding, rounding_method="DOWN")
            qties = [share] * (len(clean) - 1)
            qties.append(float_round(demand - sum(qties), precision_rounding=rounding))
        old_locations = move.move_line_ids.location_id
        move.move_line_ids.unlink()
        source = move.location_id
        if move.lst_capture_here and len(old_locations) == 1 and old_locations.id != source.id:
            source = old_locations  # keep the sub-location the reservation had found
        vals_list = []
        for name, qty in zip(clean, qties, strict=True):
            if float_is_zero(qty, precision_rounding=product.uom_id.rounding):
                continue
            vals_list.append(
                {
                    "move_id": move.id,
                    "picking_id": move.picking_id.id,
                    "product_id": product.id,
                    "product_uom_id": product.uom_id.id,
                    "location_id": source.id,
                    "location_dest_id": move.location_dest_id._get_putaway_strategy(product, qty).id,
                    "lot_id": by_name[name].id,
                    "lot_name": name if move.lst_capture_here else False,  # the column the dialog shows
                    "quantity": qty,
                    "company_id": move.company_id.id,
                }
            )
        lines = self.env["stock.move.line"].create(vals_list)
        return lines.ids

    @api.model
    def _lst_clean_lot_names(self, names):
        """(stripped names, problems) of a list of names given to set_lot_names."""
        problems = []
        if not isinstance(names, list | tuple):
            raise UserError(_("names must be a list of lot/serial names."))
        clean = []
        bad_names = []
        for index, name in enumerate(names, start=1):
            if not isinstance(name, str) or not name.strip():
                bad_names.append(_("Name #%(index)s is empty or not a text: %(value)r", index=index, value=name))
                continue
            if bad_name_chars(name):
                bad_names.append(
                    _("Name #%(index)s (%(value)r) contains control characters.", index=index, value=name[:60])
                )
                continue
            name = name.strip()
            if len(name) > MAX_LOT_NAME:
                bad_names.append(
                    _(
                        "Name #%(index)s (%(value)s...) is %(length)s characters long; at most %(max)s.",
                        index=index,
                        value=name[:20],
                        length=len(name),
                        max=MAX_LOT_NAME,
                    )
                )
                continue
            clean.append(name)
        problems += bad_names[:MAX_LISTED]
        if len(bad_names) > MAX_LISTED:
            problems.append(_("... and %(count)s more invalid names.", count=len(bad_names) - MAX_LISTED))
        dups = sorted(n for n, count in Counter(clean).items() if count > 1)
        if dups:
            problems.append(_("Duplicate names: %s", listed(dups)))
        if not names:
            problems.append(_("Give at least one name."))
        return clean, problems

    def _lst_check_lot_names(self, names):
        """Validation of set_lot_names: (clean names, existing lots, demand, problems)."""
        move = self
        clean, problems = self._lst_clean_lot_names(names)
        product = move.product_id
        if move.state in ("done", "cancel"):
            problems.append(_("Move %(move)s is %(state)s.", move=move.reference or move.id, state=move.state))
        if product.tracking == "none":
            problems.append(_("%s is not tracked by lots or serial numbers.", product.display_name))
        elif move.lst_delivery_only and not move.lst_capture_here:
            problems.append(
                _(
                    "%s is captured at delivery only: numbers are entered on the delivery to the "
                    "customer, not on this operation.",
                    product.display_name,
                )
            )
        demand = move.product_uom._compute_quantity(move.product_uom_qty, product.uom_id)
        # never more names than units: a serial is one unit, and a demand split over more lots than units
        # would give lots of less than one unit each (100,000 lots for 10 units); one lot is always fine
        limit = demand if product.tracking == "serial" else max(demand, 1)
        too_many = float_compare(len(clean), limit, precision_rounding=product.uom_id.rounding) > 0
        if too_many and product.tracking == "serial":
            problems.append(
                _(
                    "%(count)s serial numbers for a demand of %(demand)s %(product)s.",
                    count=len(clean),
                    demand=format_qty(demand),
                    product=product.display_name,
                )
            )
        elif too_many and product.tracking == "lot":
            problems.append(
                _(
                    "%(count)s lot numbers for a demand of %(demand)s %(product)s: give at most one lot per unit.",
                    count=len(clean),
                    demand=format_qty(demand),
                    product=product.display_name,
                )
            )
        lots = self.env["stock.lot"]
        if clean and product.tracking != "none" and not too_many:
            lots = self.env["stock.lot"].search(
                [
                    ("product_id", "=", product.id),
                    ("name", "in", clean),
                    "|",
                    ("company_id", "=", False),
                    ("company_id", "=", move.company_id.id),
                ]
            )
            known = set(lots.mapped("name"))
            missing = [n for n in clean if n not in known]
            picking_type = move.picking_type_id
            if missing and not move.lst_capture_here and picking_type and not picking_type.use_create_lots:
                problems.append(
                    _(
                        "Operation type %(type)s does not create lots; unknown: %(names)s",
                        type=picking_type.display_name,
                        names=", ".join(missing),
                    )
                )
            if move.lst_capture_here:
                problems += self._lst_at_customer_problems(
                    product, names_by_product={product: set(clean)}, company=move.company_id
                )
                problems += self._lst_held_capture_problems(
                    names_by_product={product: set(clean)}, company=move.company_id
                )
        return clean, lots, demand, problems
