# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter, defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from ..models.lst_company_guard import lst_check_readable
from ..models.lst_guards import ServerState, check_ids, check_many2one_vals, check_record_ids
from ..models.lst_text import CAPTURE_SELECTION, TRACKING_SELECTION, format_qty, listed
from ..models.product_template import GUARDED_USAGES
from .stock_tracking_change_line import SEPARATOR


class StockTrackingChange(models.TransientModel):
    """Change the tracking (or tracking rule) of a product that has stock, safely.

    In one transaction: the stock of each internal/transit location is zeroed by an inventory
    adjustment, the tracking is switched, and the same quantities are put back (with the lots/serials
    the user gave, or as plain quantities), again by inventory adjustments: the moves history shows
    what happened and the quantities per location do not change."""

    _name = "stock.tracking.change"
    _inherit = ["lst.readable.refs.mixin"]
    _description = "Change Tracking"
    _check_company_auto = True
    _lst_readable_fields = ("product_tmpl_id", "tracking_rule_id", "unreserved_move_ids")

    product_tmpl_id = fields.Many2one("product.template", string="Product", required=True, readonly=True)
    company_id = fields.Many2one(related="product_tmpl_id.company_id")
    current_rule_id = fields.Many2one("stock.tracking.rule", compute="_compute_current", readonly=True)
    current_tracking = fields.Selection(TRACKING_SELECTION, compute="_compute_current")
    current_capture = fields.Selection(CAPTURE_SELECTION, compute="_compute_current")
    tracking_rule_id = fields.Many2one(
        "stock.tracking.rule",
        string="New Rule",
        check_company=True,
        help="The product's own tracking rule after the change. Leave empty to follow the category's rule "
        "(or, with none, the tracking chosen below).",
    )
    tracking = fields.Selection(
        TRACKING_SELECTION, string="New Tracking", help="Used when the product ends up without a tracking rule."
    )
    new_rule_id = fields.Many2one("stock.tracking.rule", string="Effective Rule", compute="_compute_new")
    new_tracking = fields.Selection(TRACKING_SELECTION, string="Tracking After", compute="_compute_new")
    new_capture = fields.Selection(CAPTURE_SELECTION, string="Capture After", compute="_compute_new")
    conversion = fields.Selection(
        [
            ("none", "The stock stays as it is"),
            ("numbers", "Give lots/serials for the stock"),
            ("drop", "The lots/serials of the stock are dropped (quantities are kept)"),
        ],
        string="Stock",
        compute="_compute_new",
    )
    line_ids = fields.One2many("stock.tracking.change.line", "wizard_id", string="Stock per Location")
    reserved_info = fields.Text(
        string="Reserved Stock",
        compute="_compute_reserved_info",
        help="Transfers and manufacturing orders holding a reservation on the stock to convert.",
    )
    unreserved_move_ids = fields.Many2many(
        "stock.move",
        string="Unreserved Moves",
        readonly=True,
        help="Moves unreserved by this wizard: they are reserved again once the tracking is changed.",
    )
    unreserved_info = fields.Char(string="Unreserved", compute="_compute_reserved_info")

    # ------------------------------------------------------------ defaults and computes
    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        ctx = self.env.context
        active_id = ctx.get("active_id")
        if active_id and ctx.get("active_model") in ("product.template", "product.product"):
            check_ids(self.env, active_id, _("Product"))
        if not res.get("product_tmpl_id") and ctx.get("active_model") == "product.template" and active_id:
            res["product_tmpl_id"] = active_id
        if not res.get("product_tmpl_id") and ctx.get("active_model") == "product.product" and active_id:
            res["product_tmpl_id"] = self.env["product.product"].browse(active_id).product_tmpl_id.id
        if res.get("product_tmpl_id"):
            check_ids(self.env, res["product_tmpl_id"], self._fields["product_tmpl_id"].string)
        template = self.env["product.template"].browse(res.get("product_tmpl_id"))
        if template:
            if "tracking_rule_id" in fields_list and "tracking_rule_id" not in res:
                res["tracking_rule_id"] = template.tracking_rule_id.id
            if "tracking" in fields_list and "tracking" not in res:
                res["tracking"] = template.tracking
            if "line_ids" in fields_list and not res.get("line_ids"):
                res["line_ids"] = [(0, 0, vals) for vals in self._lst_line_vals(template)]
        return res

    @api.model_create_multi
    def create(self, vals_list):
        lst_check_readable(self, vals_list, self._lst_readable_fields, "create")  # before the product is read below
        for vals in vals_list:
            check_many2one_vals(self, vals)
            template = self.env["product.template"].browse(vals.get("product_tmpl_id"))
            if template and "tracking" not in vals:
                vals["tracking"] = template.tracking
            if template and not vals.get("line_ids"):
                vals["line_ids"] = [(0, 0, line) for line in self._lst_line_vals(template)]
        return super().create(vals_list)

    @api.depends("product_tmpl_id")
    def _compute_current(self):
        for wizard in self:
            template = wizard.product_tmpl_id
            wizard.current_rule_id = template.effective_tracking_rule_id
            wizard.current_tracking = template.tracking
            wizard.current_capture = template.tracking_capture

    @api.depends("product_tmpl_id", "tracking_rule_id", "tracking")
    def _compute_new(self):
        for wizard in self:
            template = wizard.product_tmpl_id
            rule = wizard.tracking_rule_id or template.categ_id.effective_tracking_rule_id
            rule = rule if rule.active else rule.browse()
            if not template.is_storable:
                tracking = "none"
            elif rule:
                tracking = rule.tracking
            else:
                tracking = wizard.tracking or template.tracking
            wizard.new_rule_id = rule
            wizard.new_tracking = tracking
            wizard.new_capture = rule.capture if rule and tracking != "none" else "every_operation"
            old_numbered = template.tracking != "none" and template.tracking_capture == "every_operation"
            new_numbered = tracking != "none" and wizard.new_capture == "every_operation"
            if new_numbered and (not old_numbered or template.tracking != tracking):
                wizard.conversion = "numbers"
            elif old_numbered and not new_numbered:
                wizard.conversion = "drop"
            else:
                wizard.conversion = "none"

    @api.depends("product_tmpl_id", "conversion", "unreserved_move_ids")
    def _compute_reserved_info(self):
        for wizard in self:
            moves = wizard._lst_reserving_moves() if wizard.conversion != "none" else []
            wizard.reserved_info = (
                "\n".join(
                    _(
                        "%(ref)s: %(qty)s %(uom)s%(picked)s",
                        ref=move.picking_id.name or move.reference or move.name,
                        qty=format_qty(sum(move.move_line_ids.mapped("quantity_product_uom"))),
                        uom=move.product_id.uom_id.name,
                        picked=_(" (picked: process or unpick it first)") if move.picked else "",
                    )
                    for move in moves
                )
                or False
            )
            wizard.unreserved_info = ", ".join(
                dict.fromkeys(m.picking_id.name or m.reference or m.name for m in wizard.unreserved_move_ids)
            )

    def _lst_reserving_moves(self):
        """Open moves holding a reservation on the product's stock in internal/transit locations."""
        self.ensure_one()
        if not self.product_tmpl_id:
            return self.env["stock.move"]
        variants = self.product_tmpl_id.with_context(active_test=False).product_variant_ids
        lines = self.env["stock.move.line"].search(
            [
                ("product_id", "in", variants.ids),
                ("location_id.usage", "in", GUARDED_USAGES),
                ("state", "not in", ("done", "cancel")),
                ("move_id", "!=", False),
            ]
        )
        return lines.move_id.sorted(lambda m: (m.picking_id.name or m.reference or "", m.id))

    def action_unreserve(self):
        """Unreserve the moves holding the stock to convert; Change Tracking reserves them again."""
        check_record_ids(self).ensure_one()
        moves = self._lst_reserving_moves().filtered(lambda m: not m.picked)
        moves._do_unreserve()
        self.unreserved_move_ids |= moves
        return self._lst_reopen()

    def _lst_reserve_again(self):
        """After the change: reserve the moves this wizard unreserved (only this product's open moves)."""
        variants = self.product_tmpl_id.with_context(active_test=False).product_variant_ids
        moves = self.unreserved_move_ids.filtered(
            lambda m: m.product_id in variants and m.state in ("confirmed", "partially_available", "waiting")
        )
        moves._action_assign()

    # ------------------------------------------------------------ stock
    @api.model
    def _lst_quants(self, template):
        variants = template.with_context(active_test=False).product_variant_ids
        return self.env["stock.quant"].search(
            [("product_id", "in", variants.ids), ("location_id.usage", "in", GUARDED_USAGES)],
            order="product_id, location_id, id",
        )

    @api.model
    def _lst_stock_by_key(self, quants):
        """{(product, location): [quantity, quants]} of non-zero stock."""
        stock = {}
        for quant in quants:
            entry = stock.setdefault((quant.product_id, quant.location_id), [0.0, quant.browse()])
            entry[0] += quant.quantity
            entry[1] |= quant
        return {
            key: entry
            for key, entry in stock.items()
            if not float_is_zero(entry[0], precision_rounding=key[0].uom_id.rounding)
        }

    @api.model
    def _lst_line_vals(self, template):
        vals_list = []
        for (product, location), (qty, quants) in self._lst_stock_by_key(self._lst_quants(template)).items():
            lots = ", ".join(
                "%s (%s)" % (quant.lot_id.name, format_qty(quant.quantity))
                for quant in quants
                if quant.lot_id and quant.quantity
            )
            vals_list.append(
                {"product_id": product.id, "location_id": location.id, "quantity": qty, "current_lots": lots}
            )
        return vals_list

    # ------------------------------------------------------------ numbering
    def action_generate(self):
        """Fill the lines left empty with names from the rule's numbering (else Odoo's pattern)."""
        check_record_ids(self).ensure_one()
        if self.conversion != "numbers":
            raise UserError(_("This change keeps or drops the numbers: there are no lots/serials to give."))
        taken = set()
        for line in self.line_ids:
            taken.update(
                SEPARATOR.split(text)[0].strip() for text in (line.lot_text or "").splitlines() if text.strip()
            )
        for product, lines in self._lst_group_lines(self.line_ids.filtered(lambda ln: not (ln.lot_text or "").strip())):
            counts = []
            for line in lines:
                if self.new_tracking == "serial":
                    count = line.quantity
                    if float_compare(count, round(count), precision_digits=6) != 0:
                        raise UserError(
                            _(
                                "%(where)s: %(qty)s is not a whole number of units; serial numbers cannot cover it.",
                                where=line._lst_where(),
                                qty=format_qty(line.quantity),
                            )
                        )
                    counts.append(round(count))
                else:
                    counts.append(1)
            names = [n for n in self._lst_propose_names(product, sum(counts) + len(taken)) if n not in taken]
            for line, count in zip(lines, counts, strict=True):
                line.lot_text = "\n".join(names[:count])
                names = names[count:]
        return self._lst_reopen()

    @api.model
    def _lst_group_lines(self, lines):
        grouped = defaultdict(lambda: self.env["stock.tracking.change.line"])
        for line in lines:
            grouped[line.product_id] |= line
        return list(grouped.items())

    def _lst_propose_names(self, product, count):
        """`count` free names for `product` under the target rule, else from Odoo's pattern."""
        if count < 1:
            return []
        if self.new_rule_id:
            return self.new_rule_id._lst_next_names(product, count=count)
        Lot = self.env["stock.lot"]
        last = Lot.search([("product_id", "=", product.id)], limit=1, order="id desc")
        first = Lot.generate_lot_names(last.name, 2)[1]["lot_name"] if last else product._lst_default_first_name()
        names = []
        while len(names) < count:
            batch = [v["lot_name"] for v in Lot.generate_lot_names(first, count - len(names) + 10)]
            used = set(Lot.search([("product_id", "=", product.id), ("name", "in", batch)]).mapped("name"))
            names += [name for name in batch if name not in used][: count - len(names)]
            first = Lot.generate_lot_names(batch[-1], 2)[1]["lot_name"]
        return names

    def _lst_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Change Tracking"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    # ------------------------------------------------------------ confirm
    def action_confirm(self):
        """Validate everything, then convert the stock and switch the tracking in one transaction.

        Returns an action closing the dialog (XML-RPC safe). Raises UserError listing every problem,
        with nothing changed."""
        check_record_ids(self).ensure_one()
        template = self.product_tmpl_id
        quants = self._lst_quants(template)
        stock = self._lst_stock_by_key(quants)
        conversion = self.conversion
        # stock of other companies: refused for every change (one that keeps the stock too: the product's
        # tracking would change under that company's stock without its users)
        problems = self._lst_check_hidden_stock(quants)
        problems += self._lst_check_stock(stock) if conversion != "none" else []
        lots_by_key = {}
        if conversion == "numbers":  # every problem in one error, the numbers' too
            lots_by_key, number_problems = self._lst_check_numbers(stock)
            problems += number_problems
        if problems:
            raise UserError(
                _(
                    "The tracking of %(product)s was not changed:\n%(problems)s",
                    product=template.display_name,
                    problems="\n".join("- %s" % p for p in problems),
                )
            )
        label = _(
            "Tracking change: %(product)s (%(old)s → %(new)s)",
            product=template.display_name,
            old=dict(TRACKING_SELECTION)[template.tracking],
            new=dict(TRACKING_SELECTION)[self.new_tracking],
        )
        Quant = self.env["stock.quant"].with_context(inventory_mode=True, inventory_name=label)
        if conversion != "none":
            to_zero = quants.filtered(
                lambda q: not float_is_zero(q.quantity, precision_rounding=q.product_uom_id.rounding)
            )
            to_zero = Quant.browse(to_zero.ids)
            to_zero.write({"inventory_quantity": 0})
            # _apply_inventory, not action_apply_inventory: the latter returns the "tracked products
            # without lot" confirmation dialog instead of applying when stock goes back unnumbered.
            to_zero._apply_inventory()
        vals = {"tracking_rule_id": self.tracking_rule_id.id}
        if not self.new_rule_id and template.is_storable:
            vals["tracking"] = self.new_tracking
        # stock users may change the tracking through this wizard (it keeps the stock consistent)
        template.sudo().with_context(lst_tracking_change_wizard=ServerState(True)).write(vals)
        if conversion == "numbers":
            new_quants = Quant.browse()
            for (product, location), entries in lots_by_key.items():
                lots = self._lst_get_or_create_lots(product, location, [name for name, _qty in entries])
                for name, qty in entries:
                    new_quants |= Quant.create(
                        {
                            "product_id": product.id,
                            "location_id": location.id,
                            "lot_id": lots[name].id,
                            "inventory_quantity": qty,
                        }
                    )
            new_quants._apply_inventory()
        elif conversion == "drop":
            new_quants = Quant.browse()
            for (product, location), (qty, _quants) in stock.items():
                new_quants |= Quant.create(
                    {"product_id": product.id, "location_id": location.id, "inventory_quantity": qty}
                )
            new_quants._apply_inventory()
        self._lst_reserve_again()
        return {"type": "ir.actions.act_window_close"}

    def _lst_check_stock(self, stock):
        """Stock that cannot be converted: reserved, packed, owned by a partner or negative."""
        problems = []
        reserved_locations = self.env["stock.location"]
        for (product, location), (qty, quants) in stock.items():
            rounding = product.uom_id.rounding
            where = _("%(product)s in %(location)s", product=product.display_name, location=location.display_name)
            if float_compare(qty, 0, precision_rounding=rounding) < 0:
                problems.append(
                    _("%(where)s: negative quantity %(qty)s; correct it first.", where=where, qty=format_qty(qty))
                )
            if quants.package_id or quants.owner_id:
                problems.append(
                    _(
                        "%(where)s: stock in packages or owned by a partner (%(what)s); unpack it or move it first.",
                        where=where,
                        what=", ".join(quants.package_id.mapped("name") + quants.owner_id.mapped("name")),
                    )
                )
            if any(not float_is_zero(q.reserved_quantity, precision_rounding=rounding) for q in quants):
                reserved_locations |= location
        if reserved_locations:
            move_lines = self.env["stock.move.line"].search(
                [
                    ("product_id", "in", self.product_tmpl_id.with_context(active_test=False).product_variant_ids.ids),
                    ("location_id", "in", reserved_locations.ids),
                    ("state", "not in", ("done", "cancel")),
                ]
            )
            refs = sorted(set(move_lines.mapped(lambda ml: ml.picking_id.name or ml.reference or ml.move_id.name)))
            problems.append(
                _(
                    "stock is reserved by %(refs)s; unreserve it with the Unreserve button of this dialog (Change "
                    "Tracking reserves it again afterwards), or process these transfers first.",
                    refs=", ".join(r for r in refs if r) or _("other operations"),
                )
            )
        return problems

    def _lst_check_hidden_stock(self, quants):
        """Stock of the product in companies the user has not selected would stay unconverted."""
        variants = self.product_tmpl_id.with_context(active_test=False).product_variant_ids
        hidden = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("product_id", "in", variants.ids),
                    ("location_id.usage", "in", GUARDED_USAGES),
                    ("id", "not in", quants.ids),
                    ("quantity", "!=", 0),
                ]
            )
        )
        if not hidden:
            return []
        problems = []
        mine = hidden.company_id & self.env.user.company_ids
        if mine:
            problems.append(
                _(
                    "there is stock in companies not selected (%(companies)s); select them too (company switcher) "
                    "so that their stock is converted as well.",
                    companies=", ".join(sorted(set(mine.mapped("name")))),
                )
            )
        if hidden.company_id - mine:
            # never named: the user does not belong to them
            problems.append(
                _(
                    "there is stock in other companies, which you do not belong to; only a user of every company "
                    "holding stock of this product can change its tracking."
                )
            )
        return problems

    def _lst_check_numbers(self, stock):
        """({(product, location): [(name, qty)]}, problems) from the lines, checked against `stock`."""
        problems = []
        lines = {(line.product_id, line.location_id): line for line in self.line_ids}
        lots_by_key = {}
        for key, (qty, _quants) in stock.items():
            line = lines.get(key)
            if not line:
                problems.append(
                    _(
                        "%(product)s in %(location)s: %(qty)s on hand but no line for it; reopen the wizard.",
                        product=key[0].display_name,
                        location=key[1].display_name,
                        qty=format_qty(qty),
                    )
                )
                continue
            entries, errors = line._lst_parse(self.new_tracking, quantity=qty)
            problems += errors
            lots_by_key[key] = entries
        for key, line in lines.items():
            if key not in stock and (line.lot_text or "").strip():
                problems.append(
                    _("%(where)s: there is no stock there any more; reopen the wizard.", where=line._lst_where())
                )
        # a serial number is one unit: unique over all locations of a product
        by_product = defaultdict(list)
        for (product, _location), entries in lots_by_key.items():
            by_product[product] += [name for name, _qty in entries]
        for product, names in by_product.items():
            if self.new_tracking == "serial":
                dupes = sorted(name for name, count in Counter(names).items() if count > 1)  # linear
                if dupes:
                    problems.append(
                        _(
                            "%(product)s: serial numbers given in more than one location: %(names)s.",
                            product=product.display_name,
                            names=listed(dupes),
                        )
                    )
            problems += self._lst_check_unique_names(product, set(names))
        return lots_by_key, problems

    def _lst_check_unique_names(self, product, names):
        """Names used by another product when the target rule (or the other product's) is unique."""
        if not names:
            return []
        others = (
            self.env["stock.lot"]
            .sudo()
            .search(
                [
                    ("name", "in", list(names)),
                    ("product_id", "!=", product.id),
                    ("company_id", "in", [False, product.company_id.id or self.env.company.id]),
                ]
            )
        )
        unique = self.new_rule_id.unique_across_products
        clash = others.filtered(lambda o: unique or o.product_id.effective_tracking_rule_id.unique_across_products)
        return [
            _(
                "%(name)s is already used by %(other)s (tracking rule with unique names across products).",
                name=lot.name,
                other=lot.product_id.display_name,
            )
            for lot in clash.sorted("name")
        ]

    def _lst_get_or_create_lots(self, product, location, names):
        return self.env["stock.lot"]._lst_get_or_create(product, names, location.company_id or self.env.company)
