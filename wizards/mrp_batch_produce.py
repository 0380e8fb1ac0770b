# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from collections import defaultdict, deque, namedtuple

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round

from ..models.lst_company_guard import lst_visible
from ..models.lst_guards import ServerState, check_one_record
from ..models.lst_text import MAX_LOT_NAME, bad_name_chars, format_qty

# an error or the summary lists at most this many problems, then says how many more there are
MAX_LISTED_PROBLEMS = 50

# One usable line of the text box: 1-based line number, finished lot name, quantity, and the
# remaining component columns (Odoo's "serial,component lot,..." syntax).
BatchLine = namedtuple("BatchLine", "lineno name qty components")
# The text box read: the usable lines, the problems [(line number or 0, message)], how many non-blank
# lines there are, how many of them repeat an earlier name, and the quantity left for a backorder MO.
BatchParse = namedtuple("BatchParse", "lines problems count duplicates backorder_qty")


class MrpBatchProduce(models.TransientModel):
    _name = "mrp.batch.produce"
    _inherit = ["mrp.batch.produce", "lst.nul.guard.mixin", "lst.readable.refs.mixin"]
    _lst_nul_fields = ("production_text", "lot_name")
    _lst_readable_fields = ("production_id",)

    lst_product_tracking = fields.Selection(related="production_id.product_id.tracking")
    lst_lot_size = fields.Float(
        "Units per Lot",
        compute="_compute_lst_lot_size",
        store=True,
        readonly=False,
        digits="Product Unit of Measure",
        help="Lot-tracked products: each generated lot (and so each resulting MO) gets this quantity.",
    )
    lst_summary = fields.Html("Summary", compute="_compute_lst_summary")

    # ------------------------------------------------------------------ defaults
    @api.depends("production_id")
    def _compute_lot_name(self):
        """Odoo's next serial (last serial + 1, or the rule's next name); for a product with neither, a
        default <internal reference>-0001 to edit rather than an empty field."""
        res = super()._compute_lot_name()
        for wizard in self:
            product = wizard.production_id.product_id
            if not wizard.lot_name and product.tracking in ("serial", "lot"):
                wizard.lot_name = product._lst_default_first_name()
        return res

    @api.depends("production_id")
    def _compute_lot_qty(self):
        """Serials: one per unit (Odoo). Lots: one lot of the whole quantity until told otherwise."""
        res = super()._compute_lot_qty()
        for wizard in self:
            if wizard.production_id.product_id.tracking == "lot":
                wizard.lot_qty = 1
        return res

    @api.depends("production_id", "lot_qty")
    def _compute_lst_lot_size(self):
        for wizard in self:
            wizard.lst_lot_size = wizard._lst_default_lot_size()

    def _lst_default_lot_size(self):
        """The MO quantity shared by the lots, rounded down to the unit of measure (Generate gives the
        last lot what the rounding leaves)."""
        production = self.production_id
        qty = production.product_qty
        if self.lot_qty > 0:
            qty = float_round(
                qty / self.lot_qty,
                precision_rounding=production.product_uom_id.rounding or 0.01,
                rounding_method="DOWN",
            )
        return qty

    @api.depends("production_id", "component_separator")
    def _compute_production_text_help(self):
        """Lot mode: the help speaks of lots and their quantity, not of serial numbers."""
        res = super()._compute_production_text_help()
        for wizard in self:
            if wizard.production_id.product_id.tracking != "lot":
                continue
            text = _(
                "Write one line per lot to produce (each line becomes one MO), as LOT%(sep)sQUANTITY:\n",
                sep=wizard.lots_quantity_separator or ";",
            )
            text += wizard.production_id.product_id.display_name
            for move_raw in wizard.production_id.move_raw_ids:
                if move_raw.product_id.tracking != "none":
                    text += (wizard.component_separator or "") + move_raw.product_id.display_name
            wizard.production_text_help = text
        return res

    # ------------------------------------------------------------------ numbers a client can send
    @api.model
    def _lst_check_numbers(self, vals):
        """nan or inf (which XML-RPC carries) in Number of SN/Lots or Units per Lot: Odoo's integer and
        float fields fail on them with a Python error; refuse them with a message instead."""
        for fname in ("lot_qty", "lst_lot_size"):
            value = vals.get(fname)
            if isinstance(value, float) and not math.isfinite(value):
                raise UserError(
                    _("%(field)s must be a number, not %(value)s.", field=self._fields[fname].string, value=value)
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._lst_check_numbers(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._lst_check_numbers(vals)
        return super().write(vals)

    # ------------------------------------------------------------------ helpers
    def _lst_one(self):
        """The one wizard a button works on (a clean error for several ids, or ids that are not integers,
        sent over XML-RPC)."""
        check_one_record(self, _("Batch Production wizard"))
        return self

    def _lst_is_lot_mode(self):
        return self.production_id.product_id.tracking == "lot"

    def _lst_qty_text(self, qty):
        """A quantity as the user would type it: the UoM's digits, no trailing zeros, never 1e+06."""
        return format_qty(qty, self.env["decimal.precision"].precision_get("Product Unit of Measure"))

    def _lst_read_qty(self, text):
        """(quantity, None) for a usable quantity text, else (None, message saying what to type)."""
        try:
            qty = float(text)
        except ValueError:
            return None, _('"%(qty)s" is not a quantity: type a number such as 100 or 2.5', qty=text[:40])
        if not math.isfinite(qty):
            return None, _('"%(qty)s" is not a quantity: type a number such as 100 or 2.5', qty=text[:40])
        rounding = self.production_id.product_uom_id.rounding or 0.01
        if qty <= 0 or float_is_zero(qty, precision_rounding=rounding):
            return None, _("the quantity must be positive (%(qty)s)", qty=text[:40])
        if qty > self.production_id.product_qty + rounding:
            return None, _(
                "%(qty)s is more than the MO quantity (%(mo_qty)s %(uom)s)",
                qty=text[:40],
                mo_qty=self._lst_qty_text(self.production_id.product_qty),
                uom=self.production_id.product_uom_id.name,
            )
        return qty, None

    # ------------------------------------------------------------------ generate
    def action_generate_production_text(self):
        """Odoo's Generate, plus: the rule's free names when "First Lot/SN" is the rule's proposal
        (so used numbers are skipped), and "name;size" lines in lot mode. Never more units than the MO."""
        self._lst_one()
        lot_mode = self._lst_is_lot_mode()
        if not self.lot_name:
            if lot_mode:
                raise UserError(_("Please specify the first lot you would like to use."))
            raise UserError(_("Please specify the first serial number you would like to use."))
        if self.lot_qty < 1:
            if lot_mode:
                raise UserError(_("The number of lots to generate must be positive."))
            raise UserError(_("The number of serial numbers to generate must be positive."))
        production = self.production_id
        product = production.product_id
        company = production.company_id
        uom = production.product_uom_id
        size = 1.0
        if lot_mode:
            size = self.lst_lot_size
            if not math.isfinite(size) or float_compare(size, 0, precision_rounding=uom.rounding) <= 0:
                raise UserError(_("Units per Lot must be a positive number."))
        if float_compare(self.lot_qty * size, production.product_qty, precision_rounding=uom.rounding) > 0:
            if lot_mode:
                raise UserError(
                    _(
                        "%(count)s lots of %(size)s %(uom)s make more than the MO quantity (%(qty)s %(uom)s): "
                        "lower the number of lots or the units per lot.",
                        count=self.lot_qty,
                        size=self._lst_qty_text(size),
                        qty=self._lst_qty_text(production.product_qty),
                        uom=uom.name,
                    )
                )
            raise UserError(
                _(
                    "%(count)s serial numbers are more than the MO quantity (%(qty)s %(uom)s): lower the number "
                    "of serial numbers (fewer leave the rest in a backorder MO).",
                    count=self.lot_qty,
                    qty=self._lst_qty_text(production.product_qty),
                    uom=uom.name,
                )
            )
        names = []
        rule_names = product.with_company(company)._lst_next_lot_names(self.lot_qty)
        if rule_names and rule_names[0] == self.lot_name.strip():
            names = rule_names
        else:
            names = [
                v["lot_name"] for v in self.env["stock.lot"].generate_lot_names(self.lot_name.strip(), self.lot_qty)
            ]
        if lot_mode:
            sizes = [size] * len(names)
            if names and not float_compare(size, self._lst_default_lot_size(), precision_rounding=uom.rounding):
                # Units per Lot as computed from the number of lots: the last lot takes what the rounding
                # left (10 as 3 lots: 3.33, 3.33, 3.34); a size typed by the user leaves it to a backorder
                sizes[-1] = float_round(
                    production.product_qty - size * (len(names) - 1), precision_rounding=uom.rounding
                )
            sep = self.lots_quantity_separator
            names = [f"{name}{sep}{self._lst_qty_text(qty)}" for name, qty in zip(names, sizes, strict=True)]
        self.production_text = "\n".join(names)
        action = self.env["ir.actions.actions"]._for_xml_id("mrp.action_mrp_batch_produce")
        action["res_id"] = self.id
        return action

    # ------------------------------------------------------------------ parse and validate
    def _lst_parse_components(self, lineno, columns):
        """Problems of the component columns ("LOT|LOT;qty" per tracked component), which Odoo would
        otherwise meet as a Python error while producing."""
        problems = []
        for column in columns:
            for piece in column.split(self.lots_separator) if self.lots_separator else [column]:
                piece = piece.strip()
                if not piece:
                    continue
                if self.lots_quantity_separator and self.lots_quantity_separator in piece:
                    name, _sep, qty_text = piece.rpartition(self.lots_quantity_separator)
                    if not name.strip():
                        problems.append((lineno, _('"%(piece)s": no component lot before the quantity', piece=piece)))
                        continue
                    try:
                        qty = float(qty_text.strip())
                    except ValueError:
                        qty = math.nan
                    if not math.isfinite(qty) or qty <= 0:
                        problems.append(
                            (
                                lineno,
                                _(
                                    '"%(qty)s" is not a quantity for component lot %(name)s: type a positive number',
                                    qty=qty_text.strip()[:40],
                                    name=name.strip()[:40],
                                ),
                            )
                        )
        return problems

    def _lst_parse(self):
        """The text box read (BatchParse), without touching the database.

        Blank lines are ignored and spaces trimmed. `problems` is a list of (line number or 0, message).
        Fewer units than the MO quantity is no problem: the rest stays in a backorder MO (Odoo's
        _split_productions); more is one."""
        self.ensure_one()
        production = self.production_id
        finished_move = production.move_finished_ids.filtered(lambda m: m.product_id == production.product_id)[:1]
        tracking = production.product_id.tracking
        lines, problems = [], []
        first_line = {}
        count = duplicates = 0
        for lineno, raw in enumerate((self.production_text or "").split("\n"), start=1):
            text = raw.strip()
            if not text:
                continue
            count += 1
            columns = [c.strip() for c in text.split(self.component_separator)] if self.component_separator else [text]
            finished = columns[0]
            name, qty = finished, None
            if self.lots_quantity_separator and self.lots_quantity_separator in finished:
                name, _sep, qty_text = finished.rpartition(self.lots_quantity_separator)
                name = name.strip()
                qty, message = self._lst_read_qty(qty_text.strip())
                if message:
                    problems.append((lineno, message))
                    continue
            if qty is None:
                qty = 1.0 if tracking == "serial" else (finished_move.product_uom_qty or production.product_qty)
            if not name:
                problems.append((lineno, _("no lot/serial number")))
                continue
            if bad_name_chars(name):
                problems.append(
                    (lineno, _('"%(name)s" contains control characters', name=name.encode("unicode_escape").decode()))
                )
                continue
            if len(name) > MAX_LOT_NAME:
                problems.append(
                    (
                        lineno,
                        _(
                            "%(name)s... is %(length)s characters long (at most %(max)s)",
                            name=name[:20],
                            length=len(name),
                            max=MAX_LOT_NAME,
                        ),
                    )
                )
                continue
            if tracking == "serial" and float_compare(qty, 1, precision_digits=6) != 0:
                problems.append((lineno, _("%(name)s: a serial number is for exactly one unit", name=name)))
                continue
            if name in first_line:
                duplicates += 1
                problems.append((lineno, _("%(name)s is already on line %(line)s", name=name, line=first_line[name])))
                continue
            component_problems = self._lst_parse_components(lineno, columns[1:])
            if component_problems:
                problems += component_problems
                continue
            first_line[name] = lineno
            lines.append(BatchLine(lineno, name, qty, columns[1:]))
        rounding = production.product_uom_id.rounding
        total = sum(line.qty for line in lines)
        backorder_qty = 0.0
        if not count:
            if tracking == "lot":
                problems.append((0, _("Please specify the lots you would like to use.")))
            else:
                problems.append((0, _("Please specify the serial numbers you would like to use.")))
        elif float_compare(total, production.product_qty, precision_rounding=rounding) > 0:
            problems.append(
                (
                    0,
                    _(
                        "the lines give %(total)s %(uom)s but the MO is for %(qty)s %(uom)s: remove lines or "
                        "lower their quantities (fewer units leave the rest in a backorder MO)",
                        total=self._lst_qty_text(total),
                        qty=self._lst_qty_text(production.product_qty),
                        uom=production.product_uom_id.name,
                    ),
                )
            )
        elif lines and float_compare(total, production.product_qty, precision_rounding=rounding) < 0:
            backorder_qty = float_round(production.product_qty - total, precision_rounding=rounding)
        return BatchParse(lines, problems, count, duplicates, backorder_qty)

    def _lst_db_problems(self, lines):
        """Problems that need the database: names used by this product (in stock, at a customer, on
        another MO, already moved) or by another product under a unique-across-products rule.
        A few queries for the whole list; nothing is written."""
        self.ensure_one()
        if not lines:
            return []
        production = self.production_id
        product = production.product_id
        company = production.company_id
        Lot = self.env["stock.lot"].sudo()
        names = [line.name for line in lines]
        same = Lot.search(
            [("name", "in", names), ("product_id", "=", product.id), ("company_id", "in", [company.id, False])]
        )
        reasons = defaultdict(list)
        if same:
            quants = (
                self.env["stock.quant"]
                .sudo()
                ._read_group([("lot_id", "in", same.ids), ("quantity", ">", 0)], ["lot_id", "location_id"])
            )
            # a shared lot may sit in another company's stock or MO: said, never named
            seen = lst_visible(self.env["stock.location"].union(*(location for _lot, location in quants)))
            for lot, location in quants:
                if location not in seen:
                    reasons[lot.name].append(_("in the stock of another company"))
                elif location.usage == "customer":
                    reasons[lot.name].append(_("at a customer (%(location)s)", location=location.display_name))
                else:
                    reasons[lot.name].append(_("in %(location)s", location=location.display_name))
            other_mos = (
                self.env["mrp.production"]
                .sudo()
                .search([("lot_producing_id", "in", same.ids), ("id", "!=", production.id), ("state", "!=", "cancel")])
            )
            seen = lst_visible(other_mos)
            for mo in other_mos:
                if mo in seen:
                    reasons[mo.lot_producing_id.name].append(_("on %(mo)s", mo=mo.name))
                else:
                    reasons[mo.lot_producing_id.name].append(_("on a manufacturing order of another company"))
            moved = (
                self.env["stock.move.line"]
                .sudo()
                ._read_group([("lot_id", "in", same.ids), ("state", "=", "done")], ["lot_id"])
            )
            for (lot,) in moved:
                if lot.name not in reasons:
                    reasons[lot.name].append(_("in stock moves already done"))
        rule = product._lst_rule()
        clash = Lot.search(
            [("name", "in", names), ("product_id", "!=", product.id), ("company_id", "in", [company.id, False])]
        )
        for lot in clash:
            if rule.unique_across_products or lot.product_id.effective_tracking_rule_id.unique_across_products:
                reasons[lot.name].append(
                    _("used by %(product)s (unique across products)", product=lot.product_id.display_name)
                )
        problems = []
        for line in lines:
            if reasons.get(line.name):
                problems.append(
                    (
                        line.lineno,
                        _("%(name)s already exists: %(where)s", name=line.name, where=", ".join(reasons[line.name])),
                    )
                )
        return problems

    def _lst_read(self):
        """BatchParse of the text box with the database problems added, sorted by line."""
        parsed = self._lst_parse()
        problems = parsed.problems + self._lst_db_problems(parsed.lines)
        problems.sort(key=lambda p: p[0])
        return parsed._replace(problems=problems)

    def _lst_problems(self):
        parsed = self._lst_read()
        return parsed.lines, parsed.problems

    @api.model
    def _lst_format_problem(self, problem):
        lineno, message = problem
        return _("Line %(line)s: %(msg)s", line=lineno, msg=message) if lineno else message

    @api.model
    def _lst_listed_problems(self, problems):
        """The problems as text lines, at most MAX_LISTED_PROBLEMS, then how many more."""
        listed = [self._lst_format_problem(p) for p in problems[:MAX_LISTED_PROBLEMS]]
        if len(problems) > MAX_LISTED_PROBLEMS:
            listed.append(_("... and %(count)s more problems", count=len(problems) - MAX_LISTED_PROBLEMS))
        return listed

    def _lst_backorder_text(self, backorder_qty):
        production = self.production_id
        return _(
            "Backorder: %(qty)s %(uom)s of the %(total)s %(uom)s stay in a new MO, to produce later.",
            qty=self._lst_qty_text(backorder_qty),
            total=self._lst_qty_text(production.product_qty),
            uom=production.product_uom_id.name,
        )

    @api.depends("production_text", "production_id", "lots_quantity_separator", "component_separator", "lots_separator")
    def _compute_lst_summary(self):
        """Live summary under the text box: counts (every non-blank line, duplicates included), first and
        last, what stays in a backorder MO, then each problem in red, or "No problem found" in green."""
        for wizard in self:
            if not wizard.production_id or not (wizard.production_text or "").strip():
                wizard.lst_summary = False
                continue
            parsed = wizard._lst_read()
            lines, problems = parsed.lines, parsed.problems
            if wizard._lst_is_lot_mode():
                head = _(
                    "%(count)s lots, %(qty)s %(uom)s",
                    count=parsed.count,
                    qty=wizard._lst_qty_text(sum(line.qty for line in lines)),
                    uom=wizard.production_id.product_uom_id.name,
                )
            else:
                head = _("%(count)s serials", count=parsed.count)
            if parsed.duplicates == 1:
                head += _(", 1 duplicate")
            elif parsed.duplicates:
                head += _(", %(count)s duplicates", count=parsed.duplicates)
            if lines:
                head += _(": first %(first)s, last %(last)s", first=lines[0].name, last=lines[-1].name)
            html = Markup('<div class="o_lst_summary_head text-muted">%s</div>') % head
            if parsed.backorder_qty and not problems:
                html += Markup('<div class="o_lst_summary_backorder text-info">%s</div>') % (
                    wizard._lst_backorder_text(parsed.backorder_qty)
                )
            if problems:
                if len(problems) == 1:
                    title = _("1 problem found:")
                else:
                    title = _("%(count)s problems found:", count=len(problems))
                items = Markup("").join(
                    Markup('<li class="o_lst_summary_problem text-danger">%s</li>') % text
                    for text in self._lst_listed_problems(problems)
                )
                html += Markup(
                    '<div class="o_lst_summary_problems alert alert-danger mb-0 py-1">'
                    '<strong>%s</strong><ul class="mb-0">%s</ul></div>'
                ) % (title, items)
            else:
                html += Markup('<div class="o_lst_summary_ok text-success">%s</div>') % _("No problem found.")
            wizard.lst_summary = html

    def _lst_check(self):
        """Raise one UserError listing every problem line, before anything is written. Returns the lines
        and the quantity left for a backorder MO."""
        self._lst_one()
        production = self.production_id
        if not production:
            raise UserError(_("No manufacturing order to produce."))
        if production.state not in ("confirmed", "progress", "to_close"):
            raise UserError(
                _("%(mo)s cannot be produced in batch: it is not confirmed or already done.", mo=production.name)
            )
        product = production.product_id
        if product.tracking == "none" or product._lst_is_delivery_only():
            raise UserError(
                _(
                    "%(product)s needs no lot/serial number when manufactured: use Produce All, the MO is not split.",
                    product=product.display_name,
                )
            )
        parsed = self._lst_read()
        if parsed.problems:
            raise UserError(
                _("Nothing was produced. Fix these lines and try again:\n%s")
                % "\n".join(self._lst_listed_problems(parsed.problems))
            )
        return parsed.lines

    def action_prepare(self):
        self._lst_one()
        return super().action_prepare()

    def action_done(self):
        self._lst_one()
        return super().action_done()

    # ------------------------------------------------------------------ run
    def _lst_lock(self):
        """Serialize batches on the same product: a real (no-op) row update, so that of two
        concurrent batches the second fails with a serialization error (Odoo retries the request,
        and the retry then reports the serials as already existing) instead of creating duplicates
        (stock.lot has no SQL unique index on name/product/company). The lock every lot creation takes,
        taken here before the validation reads anything."""
        self.env["stock.lot"]._lst_lock_products(self.production_id.product_id)

    def _lst_prepare_productions(self):
        """Validate, then split the MO (one MO per line) and set each MO's lot. Returns the MOs of
        the lines, the original (renamed -001) first (not the backorder MO of what the lines leave)."""
        return self._lst_split_and_assign()[0]

    def _lst_split_and_assign(self):
        """Validate, then split the MO (one MO per line, plus, as in Odoo, one backorder MO for the
        quantity the lines leave, with no lot) and set each line's MO its lot.
        Returns (MOs of the lines, the original -001 first; the backorder MO or an empty recordset)."""
        self.ensure_one()
        self._lst_lock()
        lines = self._lst_check()
        production = self.production_id
        product = production.product_id
        # lst_batch_quants: the reservations of the split lines are written once per quant
        productions = production.with_context(lst_batch_quants=ServerState(True))._split_productions(
            {production: [line.qty for line in lines]}
        )
        # new lots without company_id, as in Odoo: the lot takes its product's company (often none)
        existing = self.env["stock.lot"]._lst_get_or_create(
            product, [line.name for line in lines], production.company_id, lot_company=False
        )
        # Odoo's _split_productions adds the quantity the lines leave as a last backorder MO
        productions, backorder = productions[: len(lines)], productions[len(lines) :]
        for mo, line in zip(productions, lines, strict=True):
            mo.lot_producing_id = existing[line.name]
            if line.components:
                self._process_components(mo, deque(line.components))
        if product.tracking != "serial":
            for mo in reversed(productions):
                mo.qty_producing = mo.product_uom_qty
                mo.set_qty_producing()
        return productions, backorder

    def _production_text_to_object(self, mark_done=False):
        """Odoo's Prepare MO / Produce, validated first (one error listing every bad line, nothing
        written) and with lots matched to MOs by name.

        Replaces Odoo's method instead of calling super(): it has no hook between reading the text
        and splitting the MO (where the validation and the lock must happen), and it pairs MOs with
        `search(existing lots) + create(new lots)` by position, which gives an MO the wrong serial
        as soon as one of the names already exists. The steps are Odoo's own (_split_productions,
        _process_components, set_qty_producing, button_mark_done with from_wizard)."""
        self.ensure_one()
        productions = self._lst_prepare_productions()
        if mark_done:
            productions._lst_prepare_mark_done()
            return productions.with_context(
                from_wizard=True, **productions._lst_batch_done_context()
            ).button_mark_done()
        return None
