# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Batch production engine: split an MO into one MO per lot/serial, assign the lots, produce them.

The Batch Production wizard (wizards/mrp_batch_produce.py) only reads its text box, shows the summary and
calls these methods; `batch_produce` (XML-RPC) calls them directly, without a wizard record."""

import math
from collections import defaultdict, deque, namedtuple

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round, split_every

from .lst_company_guard import lst_visible
from .lst_guards import ServerState, check_one_record, is_id, server_state
from .lst_nul_guard_mixin import lst_refuse_nul
from .lst_text import MAX_LOT_NAME, bad_name_chars, format_qty, listed
from .mrp_batch_caches import REPLAN_FROM, lst_replan

# an error or the summary lists at most this many problems, then says how many more there are
MAX_LISTED_PROBLEMS = 50
# the MOs of a larger batch are produced this many at a time, in one transaction (_lst_batch_run)
IN_PROCESS_CHUNK = 10000

# One usable line of the text: 1-based line number, finished lot name, quantity, and the remaining
# component columns (Odoo's "serial,component lot,..." syntax).
BatchLine = namedtuple("BatchLine", "lineno name qty components")
# The text read: the usable lines, the problems [(line number or 0, message)], how many non-blank
# lines there are, how many of them repeat an earlier name, and the quantity left for a backorder MO.
BatchParse = namedtuple("BatchParse", "lines problems count duplicates backorder_qty")
# The three separators of Odoo's Batch Production wizard (mrp.batch.produce fields of the same names).
BatchSeparators = namedtuple("BatchSeparators", "component_separator lots_separator lots_quantity_separator")
# Odoo's defaults for those fields (mrp/wizard/mrp_batch_produce.py): what batch_produce reads
DEFAULT_SEPARATORS = BatchSeparators(",", "|", ";")


def split_lot_and_qty(text, quantity_separator):
    """(lot name, quantity text or None) of one "LOT;qty" piece: the one reading of that syntax, for the
    finished product and the components, for the validation and the production.

    Mirrors Odoo's mrp.batch.produce._get_lot_and_qty (mrp/wizard/mrp_batch_produce.py, the
    `re.match(r'(.+)%s(.+)' % separator)` of lines 165-166): its greedy first group splits at the last
    separator. rpartition does the same without reading the separator as a regular expression
    (a "." or "|" typed there would match anything in Odoo's version)."""
    if quantity_separator and quantity_separator in text:
        name, _sep, qty_text = text.rpartition(quantity_separator)
        return name, qty_text
    return text, None


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    # ------------------------------------------------------------ entry points
    def action_lst_batch_produce(self):
        """Open Odoo's Batch Production wizard on any tracked MO (Odoo only opens it from Produce
        All on multi-unit serial MOs): the way to split a lot-tracked MO into lots."""
        check_one_record(self, _("manufacturing order"))
        self._check_company()
        action = self.env["ir.actions.actions"]._for_xml_id("mrp.action_mrp_batch_produce")
        action["context"] = {"default_production_id": self.id}
        return action

    def batch_produce(self, lot_names, mark_done=True, component_lots=None, component_first_serials=None):
        """XML-RPC: split this MO into one MO per line of `lot_names` (serials, or "LOT;qty" for
        lot-tracked products, optionally followed by ",component lot" columns as in the wizard),
        assign each MO its lot/serial and, with `mark_done`, produce them all.

        `component_lots` {component product id: lot name}: that lot for every unit (lot-tracked
        components). `component_first_serials` {component product id: serial}: consecutive serials
        from that one, paired with the units in order (serial-tracked components). Both apply to the
        lines without a column for that component; ids may be integers or their text (XML-RPC keys).

        Same validation as the Batch Production wizard; on any error nothing is written. Lines giving
        fewer units than the MO leave the rest in a backorder MO (as Odoo's wizard); more is an error.
        Returns the ids of the MOs of the lines (the original one, renamed -001, first, in the order of
        the lines), followed by the backorder MO's id when the lines leave a quantity."""
        text = self._lst_rpc_batch_text(lot_names, mark_done)
        plan = self._lst_component_plan_from_rpc(component_lots, component_first_serials)
        productions, backorder = self._lst_with_component_plan(plan)._lst_batch_run(text, mark_done)
        return productions.ids + backorder.ids

    def _lst_rpc_batch_text(self, lot_names, mark_done):
        """The arguments of batch_produce / batch_produce_in_background checked (one MO, a list of strings, a
        boolean, no NUL); returns the text of the lines."""
        check_one_record(self, _("manufacturing order"))
        if not isinstance(lot_names, list | tuple) or not all(isinstance(n, str) for n in lot_names):
            raise UserError(_("lot_names must be a list of lot/serial numbers (strings)."))
        if not isinstance(mark_done, bool):
            raise UserError(_("mark_done must be true (produce) or false (prepare the MOs only)."))
        text = "\n".join(lot_names)
        # the wizard's text box refuses NUL (lst.nul.guard.mixin); the component columns reach the database
        lst_refuse_nul(self.env, _("Batch Production"), text)
        return text

    def action_view_mrp_production_backorders(self):
        """The Backorders smart button (the MOs of a batch): a list showing whole MO references and
        each MO's lot/serial."""
        action = super().action_view_mrp_production_backorders()
        action["views"] = [
            (self.env.ref("lot_serial_tracking.mrp_production_view_list_backorders").id, "list"),
            (False, "form"),
        ]
        return action

    # ------------------------------------------------------------ the engine
    def _lst_split_for_lots(self, text, separators=DEFAULT_SEPARATORS):
        """Validate `text` (Odoo's Batch Production syntax, one line per MO), then split this MO (one MO
        per line, plus, as in Odoo, one backorder MO for the quantity the lines leave, with no lot) and
        set each line's MO its lot and component lots. One UserError lists every bad line, nothing written.
        Returns (MOs of the lines, the original -001 first; the backorder MO or an empty recordset).

        The steps of Odoo's mrp.batch.produce._production_text_to_object (mrp/wizard/mrp_batch_produce.py
        lines 71-119: _split_productions, lots, _process_components, set_qty_producing), plus the lock and
        the validation before anything is written, and lots matched to MOs by name (Odoo pairs
        `search(existing) + create(new)` with the MOs by position: the wrong serial as soon as one of
        the names already exists)."""
        self.ensure_one()
        # the lock every lot creation takes, taken before the validation reads anything (see _lst_lock_products)
        self.env["stock.lot"]._lst_lock_products(self.product_id)
        lines = self._lst_batch_check(text, separators)
        product = self.product_id
        # lst_batch_quants: the reservations of the split lines are written once per quant;
        # lst_move_unions: each move's backorder moves gathered in linear time (stock.move __or__)
        productions = self.with_context(
            lst_batch_quants=ServerState(True), lst_move_unions=ServerState({})
        )._split_productions({self: [line.qty for line in lines]})
        # new lots without company_id, as in Odoo: the lot takes its product's company (often none)
        lots = self.env["stock.lot"]._lst_get_or_create(
            product, [line.name for line in lines], self.company_id, lot_company=False
        )
        # Odoo's _split_productions adds the quantity the lines leave as a last backorder MO
        productions, backorder = productions[: len(lines)], productions[len(lines) :]
        if len(lots) >= REPLAN_FROM:
            lst_replan(self.env)
        columns_by_mo = {}
        for mo, line in zip(productions, lines, strict=True):
            mo.lot_producing_id = lots[line.name]
            if line.components:
                columns_by_mo[mo] = deque(line.components)
        if columns_by_mo:
            # every MO's component lots in one lot search, one unlink and one create
            self._lst_assign_component_lots_multi(columns_by_mo, separators)
        if product.tracking != "serial":
            for mo in reversed(productions):
                mo.qty_producing = mo.product_uom_qty
                mo.set_qty_producing()
        return productions, backorder

    def _lst_batch_run(self, text, mark_done, separators=DEFAULT_SEPARATORS):
        """Split this MO for the lines of `text` (_lst_split_for_lots) and, with `mark_done`, produce them without
        the interface (_lst_produce_or_refuse). Returns (MOs of the lines in order, the backorder MO or an empty
        recordset).

        The MOs are produced IN_PROCESS_CHUNK at a time, all in this one transaction: an error in any part undoes
        the whole batch. Up to 10,000 MOs the close is one call: with Odoo's quadratic _has_workorders asked once
        per write (mrp_batch_caches), one call closes 10,000 MOs in 10 times the time of 1,000, and it writes each
        move and move line once with the values the split left pending, where parts of 1,000 wrote them first for
        all the MOs, then again part by part (10,000 serials: 231,000 rows updated in parts of 1,000, 140,000 in
        one call; 130 s against 120 s). Beyond 10,000 (not measured) the parts keep each call within what was.
        The ORM cache is kept between the parts: emptied, it made Odoo read each MO's consumed lines again, one
        query per MO. (The split stays one call: split in parts, each part would move the remaining MO's finished
        move lines, one per unit, again.)"""
        self.ensure_one()
        productions, backorder = self._lst_split_for_lots(text, separators)
        if mark_done:
            replan = len(productions) >= REPLAN_FROM
            for ids in split_every(IN_PROCESS_CHUNK, productions.ids):
                if replan:
                    lst_replan(self.env)
                productions.browse(ids)._lst_produce_or_refuse()
        return productions, backorder

    def _lst_produce_split(self, skip_redirection=False):
        """Produce these MOs (the MOs of a batch, each with its lot): Odoo's button_mark_done with the
        batch shortcuts (_lst_prepare_mark_done, _lst_batch_done_context). Returns its action."""
        self._lst_prepare_mark_done()
        closing = {}
        ctx = dict(self._lst_batch_done_context(), from_wizard=True, lst_closing_writes=ServerState(closing))
        if skip_redirection:
            ctx["skip_redirection"] = True
        action = self.with_context(**ctx).button_mark_done()
        self._lst_write_closing(closing)
        return action

    def _lst_produce_or_refuse(self):
        """Produce these MOs of a batch without the interface (XML-RPC, background job): a UserError when any of
        them would need a confirmation there (Odoo then returns a wizard instead of closing it)."""
        self._lst_produce_split(skip_redirection=True)
        not_done = self.filtered(lambda p: p.state != "done")
        if not_done:
            raise UserError(
                _(
                    "These MOs could not be produced without a confirmation in the interface (check "
                    "component quantities): %s",
                    listed(not_done.mapped("name")),
                )
            )

    def _lst_assign_component_lots(self, columns, separators=DEFAULT_SEPARATORS):
        """The component columns of one line ("LOT|LOT;qty" per tracked component, in the order of the
        MO's component moves) as this MO's component move lines (see _lst_assign_component_lots_multi)."""
        self.ensure_one()
        self._lst_assign_component_lots_multi({self: columns}, separators)

    @api.model
    def _lst_assign_component_lots_multi(self, columns_by_mo, separators=DEFAULT_SEPARATORS):
        """_lst_assign_component_lots for several MOs ({MO: deque of its line's columns}) in one lot
        search, one unlink and one create: with a component lot planned for every unit, every line has
        columns, and MO by MO this cost about 54 queries per MO.

        Mirrors Odoo's mrp.batch.produce._process_components and _prepapre_move_line_vals
        (mrp/wizard/mrp_batch_produce.py lines 125-162), which live on the wizard and work on one MO;
        the differences: the lot lookup, limited to the components' products (Odoo searches the name
        among all products, then picks the pair), an empty column keeps the move's reserved lines (Odoo
        looks for a lot named ""), and several MOs at once (their reserved lines are all released before
        the new ones reserve). test_batch_produce's test_components_as_odoo compares both."""
        moves_vals = defaultdict(list)
        lot_names = []
        for production, columns in columns_by_mo.items():
            for move_raw in production.move_raw_ids:
                if move_raw.product_id.tracking == "none" or not columns:
                    continue
                column = columns.popleft().strip()
                if not column:
                    continue
                for piece in column.split(separators.lots_separator):
                    lot_name, qty = self._lst_component_lot_and_qty(move_raw, piece, separators.lots_quantity_separator)
                    moves_vals[move_raw].append((qty, lot_name))
                    lot_names.append(lot_name)
        if not moves_vals:
            return
        Lot = self.env["stock.lot"]
        component_products = self.env["stock.move"].union(*moves_vals).product_id
        lots = {
            (lot.name, lot.product_id): lot
            for lot in Lot.search_fetch(
                [("name", "in", list(set(lot_names))), ("product_id", "in", component_products.ids)],
                ["name", "product_id"],
            )
        }
        mls_to_unlink = self.env["stock.move.line"]
        mls_vals = []
        for move, entries in moves_vals.items():
            if entries:
                mls_to_unlink |= move.move_line_ids
            for qty, lot_name in entries:
                ml_vals = move._prepare_move_line_vals(qty)
                lot = lots.get((lot_name, move.product_id))
                if not lot:
                    if not move.picking_type_id.use_create_components_lots:
                        raise UserError(_("Lot %s does not exist.", lot_name))
                    lot = Lot.create({"name": lot_name, "product_id": move.product_id.id})
                    lots[(lot_name, move.product_id)] = lot
                ml_vals["lot_id"] = lot.id
                mls_vals.append(ml_vals)
        mls_to_unlink.unlink()
        self.env["stock.move.line"].create(mls_vals)

    @api.model
    def _lst_component_lot_and_qty(self, move, text, quantity_separator):
        """(lot name, quantity) of one component piece: Odoo's mrp.batch.produce._get_lot_and_qty
        (mrp/wizard/mrp_batch_produce.py lines 164-173), reading "LOT;qty" with split_lot_and_qty."""
        name, qty_text = split_lot_and_qty(text, quantity_separator)
        if qty_text is not None:
            return name, float(qty_text)
        if move.product_id.tracking == "none":
            return False, float(text)
        if move.product_id.tracking == "serial":
            return text, 1
        return text, move.product_uom_qty

    # ------------------------------------------------------------ reading and validating the text
    @api.model
    def _lst_qty_text(self, qty):
        """A quantity as the user would type it: the UoM's digits, no trailing zeros, never 1e+06."""
        return format_qty(qty, self.env["decimal.precision"].precision_get("Product Unit of Measure"))

    def _lst_batch_read_qty(self, text):
        """(quantity, None) for a usable quantity text, else (None, message saying what to type)."""
        try:
            qty = float(text)
        except ValueError:
            return None, _('"%(qty)s" is not a quantity: type a number such as 100 or 2.5', qty=text[:40])
        if not math.isfinite(qty):
            return None, _('"%(qty)s" is not a quantity: type a number such as 100 or 2.5', qty=text[:40])
        rounding = self.product_uom_id.rounding or 0.01
        if qty <= 0 or float_is_zero(qty, precision_rounding=rounding):
            return None, _("the quantity must be positive (%(qty)s)", qty=text[:40])
        if qty > self.product_qty + rounding:
            return None, _(
                "%(qty)s is more than the MO quantity (%(mo_qty)s %(uom)s)",
                qty=text[:40],
                mo_qty=self._lst_qty_text(self.product_qty),
                uom=self.product_uom_id.name,
            )
        return qty, None

    @api.model
    def _lst_batch_component_problems(self, lineno, columns, separators):
        """Problems of the component columns ("LOT|LOT;qty" per tracked component), which Odoo would
        otherwise meet as a Python error while producing."""
        problems = []
        for column in columns:
            pieces = column.split(separators.lots_separator) if separators.lots_separator else [column]
            for piece in pieces:
                piece = piece.strip()
                if not piece:
                    continue
                name, qty_text = split_lot_and_qty(piece, separators.lots_quantity_separator)
                if qty_text is None:
                    continue
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

    def _lst_batch_parse(self, text, separators=DEFAULT_SEPARATORS):
        """`text` read (BatchParse), without touching the database.

        Blank lines are ignored and spaces trimmed. `problems` is a list of (line number or 0, message).
        Fewer units than the MO quantity is no problem: the rest stays in a backorder MO (Odoo's
        _split_productions); more is one."""
        self.ensure_one()
        finished_move = self.move_finished_ids.filtered(lambda m: m.product_id == self.product_id)[:1]
        tracking = self.product_id.tracking
        lines, problems = [], []
        first_line = {}
        count = duplicates = 0
        component_separator = separators.component_separator
        for lineno, raw in enumerate((text or "").split("\n"), start=1):
            line_text = raw.strip()
            if not line_text:
                continue
            count += 1
            columns = [c.strip() for c in line_text.split(component_separator)] if component_separator else [line_text]
            name, qty_text = split_lot_and_qty(columns[0], separators.lots_quantity_separator)
            name, qty = name.strip(), None
            if qty_text is not None:
                qty, message = self._lst_batch_read_qty(qty_text.strip())
                if message:
                    problems.append((lineno, message))
                    continue
            if qty is None:
                # Odoo's _get_lot_and_qty without a quantity: 1 for a serial, the move's quantity for a lot
                qty = 1.0 if tracking == "serial" else (finished_move.product_uom_qty or self.product_qty)
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
            component_problems = self._lst_batch_component_problems(lineno, columns[1:], separators)
            if component_problems:
                problems += component_problems
                continue
            first_line[name] = lineno
            lines.append(BatchLine(lineno, name, qty, columns[1:]))
        rounding = self.product_uom_id.rounding
        total = sum(line.qty for line in lines)
        backorder_qty = 0.0
        if not count:
            if tracking == "lot":
                problems.append((0, _("Please specify the lots you would like to use.")))
            else:
                problems.append((0, _("Please specify the serial numbers you would like to use.")))
        elif float_compare(total, self.product_qty, precision_rounding=rounding) > 0:
            problems.append(
                (
                    0,
                    _(
                        "the lines give %(total)s %(uom)s but the MO is for %(qty)s %(uom)s: remove lines or "
                        "lower their quantities (fewer units leave the rest in a backorder MO)",
                        total=self._lst_qty_text(total),
                        qty=self._lst_qty_text(self.product_qty),
                        uom=self.product_uom_id.name,
                    ),
                )
            )
        elif lines and float_compare(total, self.product_qty, precision_rounding=rounding) < 0:
            backorder_qty = float_round(self.product_qty - total, precision_rounding=rounding)
        return BatchParse(lines, problems, count, duplicates, backorder_qty)

    def _lst_batch_db_problems(self, lines):
        """Problems that need the database: names used by this product (in stock, at a customer, on
        another MO, already moved) or by another product under a unique-across-products rule.
        A few queries for the whole list; nothing is written."""
        self.ensure_one()
        if not lines:
            return []
        product = self.product_id
        company = self.company_id
        Lot = self.env["stock.lot"].sudo()
        names = [line.name for line in lines]
        # search_fetch: the names in the same query (a plain search reads them back 1,000 lots at a time)
        same = Lot.search_fetch(
            [("name", "in", names), ("product_id", "=", product.id), ("company_id", "in", [company.id, False])],
            ["name"],
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
                .search_fetch(
                    [("lot_producing_id", "in", same.ids), ("id", "!=", self.id), ("state", "!=", "cancel")],
                    ["name", "lot_producing_id", "company_id"],
                )
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
        clash_domain = [
            ("name", "in", names),
            ("product_id", "!=", product.id),
            ("company_id", "in", [company.id, False]),
        ]
        if not rule.unique_across_products:
            # only the names other products hold under a unique rule: names shared with products that
            # allow it are no problem, and are not read
            clash_domain.append(("product_id.effective_tracking_rule_id.unique_across_products", "=", True))
        for lot in Lot.search_fetch(clash_domain, ["name", "product_id"]):
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

    def _lst_batch_read(self, text, separators=DEFAULT_SEPARATORS):
        """BatchParse of `text` with the database problems added, sorted by line; with a component plan
        in the context (_lst_with_component_plan), the lines carry the planned component columns."""
        parsed = self._lst_batch_parse(text, separators)
        problems = parsed.problems + self._lst_batch_db_problems(parsed.lines)
        plan = server_state(self.env, "lst_component_plan")
        if plan:
            lines, plan_problems = self._lst_apply_component_plan(parsed.lines, plan, separators)
            parsed = parsed._replace(lines=lines)
            problems += plan_problems
        problems.sort(key=lambda p: p[0])
        return parsed._replace(problems=problems)

    @api.model
    def _lst_batch_listed_problems(self, problems):
        """The problems as text lines, at most MAX_LISTED_PROBLEMS, then how many more."""
        listed = [
            _("Line %(line)s: %(msg)s", line=lineno, msg=message) if lineno else message
            for lineno, message in problems[:MAX_LISTED_PROBLEMS]
        ]
        if len(problems) > MAX_LISTED_PROBLEMS:
            listed.append(_("... and %(count)s more problems", count=len(problems) - MAX_LISTED_PROBLEMS))
        return listed

    def _lst_batch_check(self, text, separators=DEFAULT_SEPARATORS):
        """Raise one UserError listing every problem line, before anything is written. Returns the lines."""
        self.ensure_one()
        if self.state not in ("confirmed", "progress", "to_close"):
            raise UserError(_("%(mo)s cannot be produced in batch: it is not confirmed or already done.", mo=self.name))
        product = self.product_id
        if product.tracking == "none" or product._lst_is_delivery_only():
            raise UserError(
                _(
                    "%(product)s needs no lot/serial number when manufactured: use Produce All, the MO is not split.",
                    product=product.display_name,
                )
            )
        parsed = self._lst_batch_read(text, separators)
        if parsed.problems:
            raise UserError(
                _("Nothing was produced. Fix these lines and try again:\n%s")
                % "\n".join(self._lst_batch_listed_problems(parsed.problems))
            )
        return parsed.lines

    # ------------------------------------------------------------ component lots for every line
    # A component plan is {component product: ("lot", name)} (this lot for every unit) or
    # {component product: ("serials", first name)} (consecutive serials, unit 1 with the first one).
    def _lst_with_component_plan(self, plan):
        """This MO with `plan` in the context, as a ServerState: _lst_batch_read applies it to the lines
        (no client can send one)."""
        if not plan:
            return self
        return self.with_context(lst_component_plan=ServerState(dict(plan)))

    def _lst_tracked_component_products(self):
        return self.move_raw_ids.product_id.filtered(lambda p: p.tracking != "none")

    def _lst_component_plan_from_rpc(self, component_lots, component_first_serials):
        """The plan given to batch_produce, checked: dicts of {component product id: name}."""
        self.ensure_one()
        plan = {}
        components = self._lst_tracked_component_products()
        for mode, arg_name, value in (
            ("lot", "component_lots", component_lots),
            ("serials", "component_first_serials", component_first_serials),
        ):
            if value in (None, False):
                continue
            if not isinstance(value, dict):
                raise UserError(
                    _("%(arg)s must be a dictionary {component product id: lot/serial name}.", arg=arg_name)
                )
            for key, name in value.items():
                product_id = int(key) if isinstance(key, str) and key.isdigit() else key
                if not is_id(product_id) or product_id not in components.ids:
                    raise UserError(
                        _(
                            "%(arg)s: %(key)s is not the id of a component of %(mo)s tracked by lots or serial "
                            "numbers; its tracked components are: %(components)s.",
                            arg=arg_name,
                            key=repr(key)[:40],
                            mo=self.name,
                            components=", ".join(f"{p.display_name} (id {p.id})" for p in components) or _("none"),
                        )
                    )
                if not isinstance(name, str) or not name.strip():
                    raise UserError(
                        _("%(arg)s: give a lot/serial name (text) for product id %(id)s.", arg=arg_name, id=product_id)
                    )
                if product_id in plan:
                    raise UserError(
                        _(
                            "Product id %(id)s is in both component_lots and component_first_serials: give one.",
                            id=product_id,
                        )
                    )
                plan[product_id] = (mode, name.strip())
        return plan

    def _lst_text_with_component_plan(self, text, separators=DEFAULT_SEPARATORS):
        """`text` with the component plan of the context (_lst_with_component_plan) written out as columns
        (checked first: a UserError lists every problem), for a run that reads the text again in parts
        (the background job): "SN-1,GLUE-7,CMP-0001". Without a plan, `text` unchanged."""
        if not server_state(self.env, "lst_component_plan"):
            return text
        lot_mode = self.product_id.tracking == "lot"
        rows = []
        for line in self._lst_batch_check(text, separators):
            first = line.name
            if lot_mode:
                first += separators.lots_quantity_separator + self._lst_qty_text(line.qty)
            rows.append(separators.component_separator.join([first, *line.components]))
        return "\n".join(rows)

    def _lst_component_per_unit(self, product):
        """Quantity of component `product` in one unit of the finished product (its UoM)."""
        moves = self.move_raw_ids.filtered(lambda m: m.product_id == product)
        return sum(m.product_uom._compute_quantity(m.unit_factor, product.uom_id) for m in moves)

    def _lst_component_plan_entry_problem(self, product, mode, name, separators):
        """What is wrong with planning `name` (`mode`) for component `product`, or None."""
        if product not in self._lst_tracked_component_products():
            return _("%(product)s is not a tracked component of %(mo)s.", product=product.display_name, mo=self.name)
        if mode == "lot" and product.tracking == "serial":
            return _(
                "%(product)s is tracked by serial number: one serial cannot go in every unit; give its "
                "first serial to pair consecutive serials with the units.",
                product=product.display_name,
            )
        if mode == "serials" and product.tracking != "serial":
            return _(
                "%(product)s is tracked by lots, not serial numbers: give the lot for every unit.",
                product=product.display_name,
            )
        if any(sep and sep in name for sep in separators):
            return _('Component lot "%(name)s" contains a separator of the text box.', name=name[:60])
        qty = self._lst_component_per_unit(product)
        if mode == "serials" and float_compare(qty, round(qty), precision_digits=6):
            return _(
                "%(product)s: %(qty)s per unit cannot be paired with whole serial numbers.",
                product=product.display_name,
                qty=self._lst_qty_text(qty),
            )
        return None

    def _lst_apply_component_plan(self, lines, plan, separators):
        """(lines with the planned component columns, problems). Each line gets, for each tracked
        component move without a column of its own, the plan's lot (no quantity: Odoo's parser then
        takes the move's quantity, the line's units times the quantity per unit) or its next serials,
        joined by the lot separator. The planned names are checked against the database first (see
        _lst_component_plan_problems); a line with its own column keeps it."""
        self.ensure_one()
        products = self.env["product.product"].browse(list(plan))
        problems = []
        for product in products:
            message = self._lst_component_plan_entry_problem(product, *plan[product.id], separators)
            if message:
                problems.append((0, message))
        if problems or not lines:
            return lines, problems
        # consecutive serials: the n-th unit of the batch takes the n-th serial (per_unit of them each)
        units = sum(line.qty for line in lines)
        series = {
            product.id: deque(
                lot["lot_name"]
                for lot in self.env["stock.lot"].generate_lot_names(
                    plan[product.id][1], round(units * self._lst_component_per_unit(product))
                )
            )
            for product in products
            if plan[product.id][0] == "serials"
        }
        # per tracked move, once (no ORM access in the loop over 10,000 lines): its product, the plan for
        # it and its quantity per unit
        tracked = [
            (
                m.product_id,
                plan.get(m.product_id.id),
                m.product_uom._compute_quantity(m.unit_factor, m.product_id.uom_id),
            )
            for m in self.move_raw_ids
            if m.product_id.tracking != "none"
        ]
        needs = defaultdict(float)
        new_lines = []
        for line in lines:
            columns = list(line.components) + [""] * max(len(tracked) - len(line.components), 0)
            for index, (product, entry, per_unit) in enumerate(tracked):
                if columns[index].strip() or not entry:
                    continue
                mode, name = entry
                qty = line.qty * per_unit
                if mode == "lot":
                    columns[index] = name
                    needs[(product, name)] += qty
                    continue
                serials = series[product.id]
                names = [serials.popleft() for _i in range(round(qty)) if serials]
                for serial in names:
                    needs[(product, serial)] += 1
                columns[index] = separators.lots_separator.join(names)
            while columns and not columns[-1].strip():
                columns.pop()
            new_lines.append(line._replace(components=columns))
        return new_lines, self._lst_component_plan_problems(needs)

    def _lst_component_plan_stock(self, needs):
        """({(product id, name): (lot id, company id)}, {name: names of the other products having it},
        {lot id: available}) for the planned component names: this company's or shared lots first;
        available in the MO's component location, what this MO reserved included. Plain values, not
        records: 10,000 serials are read without an ORM access per serial."""
        Lot = self.env["stock.lot"].sudo()
        product_ids = list({product.id for product, _name in needs})
        company_id = self.company_id.id
        lots = {}
        for vals in Lot.search_read(
            [("name", "in", list({name for _product, name in needs})), ("product_id", "in", product_ids)],
            ["name", "product_id", "company_id"],
            load=None,
        ):
            key = (vals["product_id"], vals["name"])
            if key not in lots or lots[key][1] not in (False, company_id):
                lots[key] = (vals["id"], vals["company_id"])
        missing = [name for product, name in needs if (product.id, name) not in lots]
        elsewhere = defaultdict(set)
        if missing:
            for lot in Lot.search_fetch(
                [("name", "in", missing), ("product_id", "not in", product_ids)], ["name", "product_id"]
            ):
                elsewhere[lot.name].add(lot.product_id.display_name)
        lot_ids = [lot_id for lot_id, _company in lots.values()]
        available = defaultdict(float)
        quants = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [("lot_id", "in", lot_ids), ("location_id", "child_of", self.location_src_id.id)],
                ["lot_id"],
                ["quantity:sum", "reserved_quantity:sum"],
            )
        )
        for lot, qty, reserved in quants:
            available[lot.id] += qty - reserved
        reserved_here = (
            self.env["stock.move.line"]
            .sudo()
            ._read_group(
                [
                    ("move_id", "in", self.move_raw_ids.ids),
                    ("lot_id", "in", lot_ids),
                    ("state", "not in", ("done", "cancel")),
                ],
                ["lot_id"],
                ["quantity:sum"],
            )
        )
        for lot, qty in reserved_here:
            available[lot.id] += qty  # reserved for this MO: what its split MOs will consume
        return lots, elsewhere, available

    def _lst_component_plan_problems(self, needs):
        """Problems of the planned component lots {(product, name): quantity needed, product UoM}, in a
        few queries: unknown (unless the operation type creates component lots, as in Odoo), another
        product's or another company's lot, not enough available in the MO's component location (on hand
        minus reserved, plus what this MO reserved), a serial not available (consumed, delivered or
        reserved elsewhere)."""
        self.ensure_one()
        if not needs:
            return []
        lots, elsewhere, available = self._lst_component_plan_stock(needs)
        location = self.location_src_id
        creates = self.picking_type_id.use_create_components_lots
        company_id = self.company_id.id
        serial = {product: product.tracking == "serial" for product, _name in needs}
        unknown, foreign, not_available = defaultdict(list), defaultdict(list), defaultdict(list)
        problems = []
        for (product, name), qty in needs.items():
            lot_id, lot_company_id = lots.get((product.id, name), (None, None))
            if not lot_id:
                if name in elsewhere:
                    problems.append(
                        (
                            0,
                            _(
                                "%(name)s is a lot of %(other)s, not of %(product)s: give a lot of %(product)s.",
                                name=name,
                                other=", ".join(sorted(elsewhere[name])),
                                product=product.display_name,
                            ),
                        )
                    )
                elif not creates:
                    unknown[product].append(name)
            elif lot_company_id not in (False, company_id):
                foreign[product].append(name)
            elif serial[product]:
                if float_compare(available[lot_id], 1, precision_digits=6) < 0:
                    not_available[product].append(name)
            elif float_compare(available[lot_id], qty, precision_rounding=product.uom_id.rounding) < 0:
                problems.append(
                    (
                        0,
                        _(
                            "Component lot %(name)s of %(product)s: %(needed)s %(uom)s needed, %(available)s "
                            "available in %(location)s: choose another lot or put stock in it.",
                            name=name,
                            product=product.display_name,
                            needed=self._lst_qty_text(qty),
                            available=self._lst_qty_text(max(available[lot_id], 0)),
                            uom=product.uom_id.name,
                            location=location.display_name,
                        ),
                    )
                )

        for grouped, template in (
            (
                unknown,
                _(
                    "Component lots/serials of %(product)s that do not exist: %(names)s (check the first name, "
                    "or receive them first)."
                ),
            ),
            (foreign, _("Component lots/serials of %(product)s that belong to another company: %(names)s.")),
            (
                not_available,
                _(
                    "Component serials of %(product)s not available in %(location)s (already used, elsewhere or "
                    "reserved by another operation): %(names)s."
                ),
            ),
        ):
            for product, names in grouped.items():
                shown = ", ".join(names[:5])
                if len(names) > 5:
                    shown += _(" and %(count)s more", count=len(names) - 5)
                values = {"product": product.display_name, "names": shown, "location": location.display_name}
                problems.append((0, template % values))
        return problems

    # ------------------------------------------------------------ faster Produce for batches
    def _lst_batch_done_context(self):
        """Context of button_mark_done on the MOs of a batch (these MOs): components consumed with one write
        per quant, push rules looked up once, and Odoo's per-MO serial query skipped for the serials the
        batch validation has checked. Each value is a ServerState: a client sending these keys changes
        nothing (see lst_guards)."""
        return {
            "lst_batch_quants": ServerState(True),
            "lst_push_rule_cache": ServerState({}),
            "lst_bom_find_cache": ServerState({}),
            "lst_checked_lot_ids": ServerState(frozenset(self.lot_producing_id.ids)),
        }

    def _lst_prepare_mark_done(self):
        """What Produce All does before closing each MO (Odoo's _set_quantities: qty_producing and
        consumed components), for a batch of MOs in a few statements.

        Odoo's _set_qty_producing calls _set_quantity_done on every component move, which rewrites
        each move line's quantity even when it is already the reserved quantity needed: every such
        write unreserves and re-reserves the quants (about 12 queries per MO). Here a component move
        whose reserved quantity already is the quantity to consume is only marked picked; any other
        move goes through Odoo's _set_quantity_done. MOs this shortcut does not cover (tracked or
        manually consumed components, by-products, multi-step manufacturing, already started) are
        left to Odoo's own path in button_mark_done."""
        fast = self.filtered(
            lambda p: p.lot_producing_id
            and p.product_tracking == "serial"
            and p.product_uom_id == p.product_id.uom_id
            and float_is_zero(p.qty_producing, precision_rounding=p.product_uom_id.rounding)
            and not p.qty_produced
            and p.warehouse_id.manufacture_steps == "mrp_one_step"
            and not p.move_byproduct_ids
            and not p.workorder_ids
            and all(m.has_tracking == "none" and not m.manual_consumption for m in p.move_raw_ids)
        )
        if not fast:
            return self
        to_pick = []  # ids: `recordset |= move` in this loop would be quadratic
        for production in fast:
            for move in production.move_raw_ids:
                if move.state in ("done", "cancel") or move.sudo()._should_bypass_set_qty_producing():
                    continue
                new_qty = float_round(move.unit_factor, precision_rounding=move.product_uom.rounding)
                if float_compare(move.quantity, new_qty, precision_rounding=move.product_uom.rounding):
                    move._set_quantity_done(new_qty)
                to_pick.append(move.id)
        fast._lst_write_many({"qty_producing": 1})
        self.env["stock.move"].browse(to_pick).write({"picked": True})
        return fast

    def _check_sn_uniqueness(self):
        """Batch production has already checked, under its per-product lock and in this same
        transaction, that each MO's serial is unused (wizard validation); skip Odoo's per-MO query
        for those MOs when no tracked component or by-product needs checking. The ids travel in a
        ServerState: a client sending `lst_checked_lot_ids` still gets Odoo's check."""
        checked = server_state(self.env, "lst_checked_lot_ids")
        if (
            checked
            and self.lot_producing_id.id in checked
            and all(m.has_tracking == "none" for m in self.move_raw_ids | self.move_byproduct_ids)
        ):
            return None
        return super()._check_sn_uniqueness()
