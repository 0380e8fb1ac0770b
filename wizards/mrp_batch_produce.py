# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

from ..models.lst_guards import check_one_record
from ..models.mrp_production_batch import IN_PROCESS_CHUNK, BatchSeparators


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
    lst_component_ids = fields.One2many(
        "mrp.batch.produce.component",
        "wizard_id",
        "Components",
        compute="_compute_lst_component_ids",
        store=True,
        readonly=False,
        help="Tracked components: a lot for every unit, or consecutive serials paired with the units in order, "
        "for the lines that give no column for them.",
    )

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

    @api.depends("production_id")
    def _compute_lst_component_ids(self):
        for wizard in self:
            products = wizard.production_id._lst_tracked_component_products() if wizard.production_id else []
            wizard.lst_component_ids = [Command.clear()] + [Command.create({"product_id": p.id}) for p in products]

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
        return self.env["mrp.production"]._lst_qty_text(qty)

    def _lst_separators(self):
        """The separators typed in the wizard, for the batch engine (mrp.production, models/mrp_production_batch.py)."""
        return BatchSeparators(self.component_separator, self.lots_separator, self.lots_quantity_separator)

    def _lst_component_plan(self):
        """{component product id: ("lot", name) or ("serials", first name)} from the Components list."""
        return dict(entry for entry in (line._lst_plan_entry() for line in self.lst_component_ids) if entry)

    def _lst_production(self):
        """The MO, with the component plan for the batch engine."""
        return self.production_id._lst_with_component_plan(self._lst_component_plan())

    def _lst_read(self):
        """The text box read by the batch engine (BatchParse, database problems included)."""
        return self._lst_production()._lst_batch_read(self.production_text, self._lst_separators())

    # ------------------------------------------------------------------ generate
    def action_generate_production_text(self):
        """Odoo's Generate (super(): stock.lot.generate_lot_names from "First Lot/SN"), checked first
        (never more units than the MO), then: the rule's free names instead when "First Lot/SN" is the
        rule's proposal (so used numbers are skipped), and "name;size" lines in lot mode."""
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
        if self.lot_name != self.lot_name.strip():
            self.lot_name = self.lot_name.strip()
        action = super().action_generate_production_text()
        rule_names = product.with_company(company)._lst_next_lot_names(self.lot_qty)
        if rule_names and rule_names[0] == self.lot_name:
            names = rule_names
        else:
            names = self.production_text.split("\n")
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
        return action

    # ------------------------------------------------------------------ summary
    def _lst_backorder_text(self, backorder_qty):
        production = self.production_id
        return _(
            "Backorder: %(qty)s %(uom)s of the %(total)s %(uom)s stay in a new MO, to produce later.",
            qty=self._lst_qty_text(backorder_qty),
            total=self._lst_qty_text(production.product_qty),
            uom=production.product_uom_id.name,
        )

    @api.depends(
        "production_text",
        "production_id",
        "lots_quantity_separator",
        "component_separator",
        "lots_separator",
        "lst_component_ids.lot_id",
        "lst_component_ids.first_serial",
    )
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
            for line in wizard.lst_component_ids:
                entry = line._lst_plan_entry()
                if not entry:
                    continue
                mode, name = entry[1]
                if mode == "lot":
                    text = _("%(product)s: lot %(lot)s for every unit", product=line.product_id.display_name, lot=name)
                else:
                    text = _(
                        "%(product)s: serials from %(first)s, paired with the units in order",
                        product=line.product_id.display_name,
                        first=name,
                    )
                html += Markup('<div class="o_lst_summary_component text-muted">%s</div>') % text
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
                    for text in self.env["mrp.production"]._lst_batch_listed_problems(problems)
                )
                html += Markup(
                    '<div class="o_lst_summary_problems alert alert-danger mb-0 py-1">'
                    '<strong>%s</strong><ul class="mb-0">%s</ul></div>'
                ) % (title, items)
            else:
                html += Markup('<div class="o_lst_summary_ok text-success">%s</div>') % _("No problem found.")
            wizard.lst_summary = html

    def action_prepare(self):
        self._lst_one()
        return super().action_prepare()

    def action_done(self):
        self._lst_one()
        return super().action_done()

    # ------------------------------------------------------------------ run
    def _production_text_to_object(self, mark_done=False):
        """Odoo's Prepare MO / Produce, done by the batch engine on the MO: validated first (one error
        listing every bad line, nothing written), lots matched to MOs by name.

        Replaces Odoo's method instead of calling super(): it has no hook between reading the text
        and splitting the MO (where the validation and the lock must happen), and it pairs MOs with
        `search(existing lots) + create(new lots)` by position, which gives an MO the wrong serial
        as soon as one of the names already exists. mrp.production._lst_split_for_lots follows Odoo's
        steps (_split_productions, the component lots, set_qty_producing, button_mark_done)."""
        self._lst_one()
        if not self.production_id:
            raise UserError(_("No manufacturing order to produce."))
        count = sum(1 for line in (self.production_text or "").split("\n") if line.strip())
        if count >= self.production_id._lst_background_from():
            return self._lst_run_in_background(count, mark_done)
        if count > IN_PROCESS_CHUNK:
            # produced in parts, in this transaction (background_from set above IN_PROCESS_CHUNK by the administrator)
            self._lst_production()._lst_batch_run(self.production_text, mark_done, self._lst_separators())
            return None
        productions, _backorder = self._lst_production()._lst_split_for_lots(
            self.production_text, self._lst_separators()
        )
        if mark_done:
            return productions._lst_produce_split()
        return None

    def _lst_run_in_background(self, count, mark_done):
        """A large batch (ir.config_parameter lot_serial_tracking.batch_background_from lines or more) is checked
        now, then produced by a background job (mrp.production.batch.job): the user can leave the page, the MO
        shows the job and its progress."""
        # the job works in chunks: the component plan is written out as columns first (serial n stays with
        # unit n whichever chunk produces it)
        text = self._lst_production()._lst_text_with_component_plan(self.production_text, self._lst_separators())
        job = self.env["mrp.production.batch.job"]._lst_start(
            self.production_id, text, mark_done, self._lst_separators()
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": _("Batch production started in the background"),
                "message": _(
                    "%(count)s lines of %(mo)s are being %(what)s in the background (%(job)s). You can leave this "
                    "page: the MO shows the progress, and you get a message when it is finished.",
                    count=count,
                    mo=self.production_id.name,
                    what=_("produced") if mark_done else _("prepared"),
                    job=job.display_name,
                ),
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
