# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
import re
from collections import Counter

from odoo import _, api, fields, models
from odoo.tools import float_compare, float_is_zero

from ..models.lst_guards import check_many2one_vals
from ..models.lst_text import MAX_LISTED, MAX_LOT_NAME, format_qty, listed

SEPARATOR = re.compile(r"[\t;]")
# a quantity beyond this is a typo (and would lose the unit precision of a float)
MAX_QUANTITY = 1e12


class StockTrackingChangeLine(models.TransientModel):
    _name = "stock.tracking.change.line"
    _inherit = ["lst.nul.guard.mixin", "lst.readable.refs.mixin"]
    _lst_nul_fields = ("lot_text",)
    _lst_readable_fields = ("wizard_id", "product_id", "location_id")
    _description = "Change Tracking: stock of one location"
    _order = "product_id, location_id"
    _check_company_auto = True

    wizard_id = fields.Many2one("stock.tracking.change", required=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", required=True, readonly=True, check_company=True)
    location_id = fields.Many2one("stock.location", required=True, readonly=True)
    company_id = fields.Many2one("res.company", compute="_compute_company_id")
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True, help="On hand in this location.")
    uom_id = fields.Many2one(related="product_id.uom_id")
    current_lots = fields.Char(
        string="Current Numbers", readonly=True, help="Lots/serials in stock here now, with their quantity."
    )
    lot_text = fields.Text(
        string="New Lots/Serials",
        help="One name per line. Serial numbers: one name per unit. Lots: NAME or NAME;QUANTITY (a tab also "
        "separates); one line without quantity takes what is left of the location's quantity.",
    )
    lot_summary = fields.Text(string="Given", compute="_compute_lot_summary")  # Text: the problems wrap
    lot_problem = fields.Boolean(compute="_compute_lot_summary")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_many2one_vals(self, vals)
        return super().create(vals_list)

    def write(self, vals):
        check_many2one_vals(self, vals)
        return super().write(vals)

    @api.depends("location_id", "product_id")
    def _compute_company_id(self):
        """The company of the stock: the location's (the product's for a location shared by companies)."""
        for line in self:
            line.company_id = line.location_id.company_id or line.product_id.company_id

    @api.depends("lot_text", "quantity")
    def _compute_lot_summary(self):
        for line in self:
            entries, errors = line._lst_parse(line.wizard_id.new_tracking or "lot")
            line.lot_problem = bool(errors) and bool((line.lot_text or "").strip())
            if errors and not line.lot_problem:
                line.lot_summary = _(
                    "to give: %(qty)s %(uom)s", qty=format_qty(line.quantity), uom=line.uom_id.name or ""
                )
            elif errors:
                # which problems, without the "product in location" every message starts with
                where = line._lst_where()
                short = [(e[len(where) :].lstrip(":, ") if e.startswith(where) else e).rstrip(".") for e in errors]
                line.lot_summary = _("%(count)s problem(s): %(problems)s", count=len(errors), problems="; ".join(short))
            else:
                line.lot_summary = _(
                    "%(count)s name(s), %(qty)s %(uom)s",
                    count=len(entries),
                    qty=format_qty(sum(qty for _name, qty in entries)),
                    uom=line.uom_id.name or "",
                )

    def _lst_where(self):
        return _(
            "%(product)s in %(location)s", product=self.product_id.display_name, location=self.location_id.display_name
        )

    def _lst_parse(self, tracking, quantity=None):
        """Parse `lot_text` into ([(name, qty)], [problem, ...]) for `tracking` ('lot'/'serial').

        `quantity` is the on-hand quantity the names must cover (the line's own by default)."""
        self.ensure_one()
        quantity = self.quantity if quantity is None else quantity
        entries, problems = self._lst_parse_rows(tracking)
        rows = len([row for row in (self.lot_text or "").splitlines() if row.strip()])
        if len(entries) == rows:
            # every row was read (at most duplicates so far): the count or total is reported with them
            fill_problems = self._lst_fill_open_line(entries, quantity)
            problems = problems + (fill_problems or self._lst_check_total(tracking, entries, quantity))
        elif tracking == "serial":
            # one serial per row, readable or not: the count is known
            problems = problems + self._lst_check_total(tracking, [("", 1.0)] * rows, quantity)
        if problems:
            return [], problems
        rounding = self.product_id.uom_id.rounding or 0.01
        return [(name, qty) for name, qty in entries if not float_is_zero(qty, precision_rounding=rounding)], []

    def _lst_parse_rows(self, tracking):
        """[[name, qty or None]] of the non-blank rows, and the problems of single rows."""
        rounding = self.product_id.uom_id.rounding or 0.01
        where = self._lst_where()
        entries, problems = [], []
        for number, raw in enumerate((self.lot_text or "").splitlines(), start=1):
            if not raw.strip():
                continue
            parts = SEPARATOR.split(raw, maxsplit=1)
            name, qty_text = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
            problem, qty = None, None
            if qty_text:
                try:
                    qty = float(qty_text.replace(",", "."))
                except ValueError:
                    qty = None
                if qty is None or not math.isfinite(qty) or abs(qty) > MAX_QUANTITY:
                    # float() also reads "nan", "inf" and "1e309" (infinite): no quantity either
                    problem = _(
                        "%(where)s, line %(n)s: %(text)r is not a quantity; write a number such as 12 or 2.5.",
                        where=where,
                        n=number,
                        text=qty_text[:40],
                    )
                    qty = None
                else:
                    if float_compare(qty, 0, precision_rounding=rounding) <= 0:
                        problem = _("%(where)s, line %(n)s: the quantity must be positive.", where=where, n=number)
            if not problem and not name:
                problem = _("%(where)s, line %(n)s: the lot/serial name is empty.", where=where, n=number)
            if not problem and len(name) > MAX_LOT_NAME:
                problem = _(
                    "%(where)s, line %(n)s: the name is longer than %(max)s characters.",
                    where=where,
                    n=number,
                    max=MAX_LOT_NAME,
                )
            if not problem and tracking == "serial":
                if qty is not None and float_compare(qty, 1, precision_rounding=rounding) != 0:
                    problem = _(
                        "%(where)s, line %(n)s: a serial number covers one unit, not %(qty)s.",
                        where=where,
                        n=number,
                        qty=format_qty(qty),
                    )
                qty = 1.0
            if problem:
                problems.append(problem)
            else:
                entries.append([name, qty])
        # one pass (Counter), not names.count() per name: 100,000 pasted names took 83 s that way
        duplicates = sorted(name for name, count in Counter(name for name, _qty in entries).items() if count > 1)
        if len(problems) > MAX_LISTED:
            more = len(problems) - MAX_LISTED
            problems[MAX_LISTED:] = [_("%(where)s: ... and %(count)s more lines.", where=where, count=more)]
        if duplicates:
            problems.append(_("%(where)s: duplicate names %(names)s.", where=where, names=listed(duplicates)))
        return entries, problems

    def _lst_fill_open_line(self, entries, quantity):
        """Give the one lot row without a quantity what is left of `quantity` (in place)."""
        rounding = self.product_id.uom_id.rounding or 0.01
        where = self._lst_where()
        open_rows = [entry for entry in entries if entry[1] is None]
        if len(open_rows) > 1:
            return [_("%(where)s: only one lot line may omit its quantity (it takes the rest).", where=where)]
        if open_rows:
            rest = quantity - sum(qty for _name, qty in entries if qty is not None)
            if float_compare(rest, 0, precision_rounding=rounding) <= 0:
                return [
                    _(
                        "%(where)s: nothing is left for lot %(name)s (the other lines already cover %(qty)s).",
                        where=where,
                        name=open_rows[0][0],
                        qty=format_qty(quantity),
                    )
                ]
            open_rows[0][1] = rest
        return []

    def _lst_check_total(self, tracking, entries, quantity):
        rounding = self.product_id.uom_id.rounding or 0.01
        where = self._lst_where()
        total = sum(qty for _name, qty in entries)
        if not entries:
            return [
                _(
                    "%(where)s: give the lots/serials for %(qty)s %(uom)s.",
                    where=where,
                    qty=format_qty(quantity),
                    uom=self.uom_id.name,
                )
            ]
        if float_compare(total, quantity, precision_rounding=rounding) == 0:
            return []
        if tracking == "serial":
            return [
                _(
                    "%(where)s: %(count)s serial number(s) given for a quantity of %(qty)s: give exactly one per unit.",
                    where=where,
                    count=len(entries),
                    qty=format_qty(quantity),
                )
            ]
        return [
            _(
                "%(where)s: the lots add up to %(total)s but the quantity there is %(qty)s.",
                where=where,
                total=format_qty(total),
                qty=format_qty(quantity),
            )
        ]
