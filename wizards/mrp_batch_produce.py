# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from collections import defaultdict, deque, namedtuple

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from ..models.lst_company_guard import lst_visible

MAX_LOT_NAME = 128
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")

# One usable line of the text box: 1-based line number, finished lot name, quantity, and the
# remaining component columns (Odoo's "serial,component lot,..." syntax).
BatchLine = namedtuple("BatchLine", "lineno name qty components")


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
    lst_summary = fields.Text("Summary", compute="_compute_lst_summary")

    # ------------------------------------------------------------------ defaults
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
            qty = wizard.production_id.product_qty
            wizard.lst_lot_size = qty / wizard.lot_qty if wizard.lot_qty > 0 else qty

    # ------------------------------------------------------------------ generate
    def action_generate_production_text(self):
        """Odoo's Generate, plus: the rule's free names when "First Lot/SN" is the rule's proposal
        (so used numbers are skipped), and "name;size" lines in lot mode."""
        self.ensure_one()
        if not self.lot_name:
            raise UserError(_("Please specify the first serial number you would like to use."))
        if self.lot_qty < 1:
            raise UserError(_("The number of serial numbers (or lots) to generate must be positive."))
        product = self.production_id.product_id
        company = self.production_id.company_id
        names = []
        rule_names = product.with_company(company)._lst_next_lot_names(self.lot_qty)
        if rule_names and rule_names[0] == self.lot_name.strip():
            names = rule_names
        else:
            names = [
                v["lot_name"] for v in self.env["stock.lot"].generate_lot_names(self.lot_name.strip(), self.lot_qty)
            ]
        if product.tracking == "lot":
            size = self.lst_lot_size
            names = [f"{name}{self.lots_quantity_separator}{size:g}" for name in names]
        self.production_text = "\n".join(names)
        action = self.env["ir.actions.actions"]._for_xml_id("mrp.action_mrp_batch_produce")
        action["res_id"] = self.id
        return action

    # ------------------------------------------------------------------ parse and validate
    def _lst_parse(self):
        """(lines, problems) from the text box, without touching the database.

        Blank lines are ignored and spaces trimmed. `problems` is a list of (line number or 0, message).
        """
        self.ensure_one()
        production = self.production_id
        finished_move = production.move_finished_ids.filtered(lambda m: m.product_id == production.product_id)[:1]
        tracking = production.product_id.tracking
        lines, problems = [], []
        first_line = {}
        for lineno, raw in enumerate((self.production_text or "").split("\n"), start=1):
            text = raw.strip()
            if not text:
                continue
            columns = [c.strip() for c in text.split(self.component_separator)]
            finished = columns[0]
            name, qty = finished, None
            if self.lots_quantity_separator and self.lots_quantity_separator in finished:
                name, _sep, qty_text = finished.rpartition(self.lots_quantity_separator)
                name = name.strip()
                try:
                    qty = float(qty_text.strip())
                except ValueError:
                    problems.append((lineno, _('"%(qty)s" is not a quantity', qty=qty_text.strip())))
                    continue
                if qty <= 0:
                    problems.append((lineno, _("the quantity must be positive")))
                    continue
            if qty is None:
                qty = 1.0 if tracking == "serial" else (finished_move.product_uom_qty or production.product_qty)
            if not name:
                problems.append((lineno, _("no lot/serial number")))
                continue
            if CONTROL_CHARS.search(name):
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
                problems.append((lineno, _("%(name)s is already on line %(line)s", name=name, line=first_line[name])))
                continue
            first_line[name] = lineno
            lines.append(BatchLine(lineno, name, qty, columns[1:]))
        rounding = production.product_uom_id.rounding
        total = sum(line.qty for line in lines)
        if not lines and not problems:
            problems.append((0, _("Please specify the serial numbers (or lots) you would like to use.")))
        elif float_compare(total, production.product_qty, precision_rounding=rounding) != 0 and not float_is_zero(
            total, precision_rounding=rounding
        ):
            problems.append(
                (
                    0,
                    _(
                        "the lines give %(total)s %(uom)s but the MO is for %(qty)s %(uom)s",
                        total="%g" % total,
                        qty="%g" % production.product_qty,
                        uom=production.product_uom_id.name,
                    ),
                )
            )
        return lines, problems

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

    def _lst_problems(self):
        lines, problems = self._lst_parse()
        problems += self._lst_db_problems(lines)
        problems.sort(key=lambda p: p[0])
        return lines, problems

    @api.model
    def _lst_format_problem(self, problem):
        lineno, message = problem
        return _("Line %(line)s: %(msg)s", line=lineno, msg=message) if lineno else message

    @api.depends("production_text", "production_id", "lots_quantity_separator", "component_separator")
    def _compute_lst_summary(self):
        for wizard in self:
            if not wizard.production_id or not (wizard.production_text or "").strip():
                wizard.lst_summary = False
                continue
            lines, problems = wizard._lst_problems()
            if wizard.production_id.product_id.tracking == "lot":
                head = _(
                    "%(count)s lots, %(qty)s units",
                    count=len(lines),
                    qty="%g" % sum(line.qty for line in lines),
                )
            else:
                head = _("%(count)s serials", count=len(lines))
            if lines:
                head += _(": first %(first)s, last %(last)s", first=lines[0].name, last=lines[-1].name)
            if problems:
                body = _("%(count)s problem(s) found:", count=len(problems))
                body += "\n" + "\n".join(self._lst_format_problem(p) for p in problems)
            else:
                body = _("No problem found.")
            wizard.lst_summary = f"{head}\n{body}"

    def _lst_check(self):
        """Raise one UserError listing every problem line, before anything is written."""
        self.ensure_one()
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
        lines, problems = self._lst_problems()
        if problems:
            raise UserError(
                _("Nothing was produced. Fix these lines and try again:\n%s")
                % "\n".join(self._lst_format_problem(p) for p in problems)
            )
        return lines

    # ------------------------------------------------------------------ run
    def _lst_lock(self):
        """Serialize batches on the same product: a real (no-op) row update, so that of two
        concurrent batches the second fails with a serialization error (Odoo retries the request,
        and the retry then reports the serials as already existing) instead of creating duplicates
        (stock.lot has no SQL unique index on name/product/company)."""
        self.env.cr.execute(
            "UPDATE product_product SET write_date = write_date WHERE id = %s",
            (self.production_id.product_id.id,),
        )

    def _lst_prepare_productions(self):
        """Validate, then split the MO (one MO per line) and set each MO's lot. Returns the MOs,
        the original (renamed -001) first."""
        self.ensure_one()
        self._lst_lock()
        lines = self._lst_check()
        production = self.production_id
        product = production.product_id
        # lst_batch_quants: the reservations of the split lines are written once per quant
        productions = production.with_context(lst_batch_quants=True)._split_productions(
            {production: [line.qty for line in lines]}
        )
        Lot = self.env["stock.lot"]
        names = [line.name for line in lines]
        existing = {
            lot.name: lot
            for lot in Lot.search(
                [
                    ("name", "in", names),
                    ("product_id", "=", product.id),
                    ("company_id", "in", [production.company_id.id, False]),
                ]
            )
        }
        missing = [name for name in names if name not in existing]
        if missing:
            for lot in Lot.create(
                # no company_id, as in Odoo: the lot takes its product's company (often none)
                [{"name": name, "product_id": product.id} for name in missing]
            ):
                existing[lot.name] = lot
        for mo, line in zip(productions, lines, strict=True):
            mo.lot_producing_id = existing[line.name]
            if line.components:
                self._process_components(mo, deque(line.components))
        if product.tracking != "serial":
            for mo in reversed(productions):
                mo.qty_producing = mo.product_uom_qty
                mo.set_qty_producing()
        return productions

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
                from_wizard=True,
                lst_batch_quants=True,  # components consumed with one write per quant
                lst_push_rule_cache={},
                lst_checked_lot_ids=productions.lot_producing_id.ids,
            ).button_mark_done()
        return None
