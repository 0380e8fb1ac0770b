# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import unicodedata
from collections import Counter

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round

from .lst_company_guard import lst_visible
from .lst_guards import ServerState, check_ids, check_record_ids
from .lst_nul_guard_mixin import lst_refuse_nul
from .stock_tracking_rule import MAX_LOT_NAME

# problems of single names listed in one error, at most (a list of 100,000 bad names stays readable)
MAX_LISTED = 20
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

TRACKING_SELECTION = [
    ("serial", "By Unique Serial Number"),
    ("lot", "By Lots"),
    ("none", "By Quantity"),
]


def _lst_fmt(qty):
    """3.0 -> 3 in messages."""
    return int(qty) if float(qty).is_integer() else qty


def _lst_bad_chars(name):
    """Control/format characters (tabs, newlines, zero-width...) a barcode scanner or a paste
    may leave in a name."""
    return [c for c in name if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]


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
            dlo = bool(move.product_id) and move.product_id._lst_is_delivery_only()
            move.lst_delivery_only = dlo
            move.lst_capture_here = dlo and move._lst_is_capture_operation()

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
                move.lst_serial_progress = _("serials: %(given)s/%(demand)s", given=given, demand=_lst_fmt(demand))
            else:
                given = sum(ml.product_uom_id._compute_quantity(ml.quantity, uom) for ml in numbered)
                move.lst_serial_progress = _(
                    "with lot: %(given)s/%(demand)s %(uom)s",
                    given=_lst_fmt(float_round(given, precision_rounding=uom.rounding)),
                    demand=_lst_fmt(demand),
                    uom=uom.name,
                )
            move.lst_serials_complete = float_compare(given, demand, precision_rounding=uom.rounding or 0.01) >= 0

    def _lst_is_capture_operation(self):
        """The final step to the customer: an outgoing operation into a customer location."""
        self.ensure_one()
        return self.picking_type_id.code == "outgoing" and self.location_dest_id.usage == "customer"

    def _lst_is_plain(self):
        """Delivery-only product on any other operation (receipt, internal, pick/pack, MO, scrap,
        inventory): handled as untracked. A return from the customer keeps its serial."""
        self.ensure_one()
        return self.lst_delivery_only and not self.lst_capture_here and self.location_id.usage != "customer"

    @api.depends("product_id.tracking", "lst_delivery_only", "lst_capture_here", "location_id.usage")
    def _compute_has_tracking(self):
        for move in self:
            move.has_tracking = "none" if move._lst_is_plain() else move.product_id.tracking or "none"

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
            elif move._lst_is_plain():
                move.show_lots_text = False
                move.show_lots_m2o = False
        return res

    def _add_serial_move_line_to_vals_list(self, reserved_quant, quantity):
        """Odoo reserves serial-tracked products one line per unit; before the delivery a
        delivery-only product is untracked: one line for the quantity taken from the quant."""
        if self._lst_is_plain():
            return [self._prepare_move_line_vals(quantity=quantity, reserved_quant=reserved_quant)]
        return super()._add_serial_move_line_to_vals_list(reserved_quant, quantity)

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
        if _lst_bad_chars(name):
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
                    demand=_lst_fmt(demand),
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
                            missing=_lst_fmt(float_round(missing, precision_rounding=rounding)),
                            product=move.product_id.display_name,
                            total=_lst_fmt(float_round(total, precision_rounding=rounding)),
                            given=len(mls.filtered(lambda ml: ml.lot_id or ml.lot_name)),
                        )
                    )
                else:
                    problems.append(
                        _(
                            "%(picking)s: %(missing)s %(uom)s of %(product)s have no lot number.",
                            picking=move.picking_id.name or move.reference,
                            missing=_lst_fmt(float_round(missing, precision_rounding=rounding)),
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
                            qty=_lst_fmt(ml.quantity_product_uom),
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
            if _lst_bad_chars(name):
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
            problems.append(
                _("Duplicate names: %s", ", ".join(dups[:MAX_LISTED]) + (", ..." if len(dups) > MAX_LISTED else ""))
            )
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
                    demand=_lst_fmt(demand),
                    product=product.display_name,
                )
            )
        elif too_many and product.tracking == "lot":
            problems.append(
                _(
                    "%(count)s lot numbers for a demand of %(demand)s %(product)s: give at most one lot per unit.",
                    count=len(clean),
                    demand=_lst_fmt(demand),
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
                        demand=_lst_fmt(demand),
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
                    demand=_lst_fmt(demand),
                    product=product.display_name,
                )
            )

    def _generate_serial_numbers(self, next_serial, next_serial_count=False, location_id=False):
        if not next_serial and self.product_id._lst_rule():
            next_serial = self._lst_rule_first_name(self.product_id)
            self = self.with_context(lst_generate_product_id=ServerState(self.product_id.id))
        return super()._generate_serial_numbers(next_serial, next_serial_count, location_id)
