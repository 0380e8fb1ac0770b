# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Change Tracking engine: change the tracking (or tracking rule) of a product that has stock.

In one transaction the stock of each internal/transit location is zeroed by an inventory adjustment,
the tracking is switched, and the same quantities are put back (with the lots/serials given, or as
plain quantities), again by inventory adjustments. The Change Tracking wizard
(wizards/stock_tracking_change.py) collects the numbers per location and calls
product.template._lst_change_tracking."""

from collections import Counter, defaultdict

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from .lst_guards import ServerState
from .lst_text import TRACKING_SELECTION, format_qty, listed
from .product_template import GUARDED_USAGES


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # ------------------------------------------------------------ what the change does
    def _lst_tracking_after(self, tracking_rule, tracking=None):
        """What this product becomes with `tracking_rule` as its own rule (empty: the category's) and
        `tracking` (used when no rule applies; default: the current one): {"rule", "tracking", "capture",
        "conversion"}, conversion being "numbers" (the stock needs lots/serials), "drop" (its numbers are
        dropped) or "none" (the stock stays as it is)."""
        self.ensure_one()
        rule = tracking_rule or self.categ_id.effective_tracking_rule_id
        rule = rule if rule.active else rule.browse()
        if not self.is_storable:
            new_tracking = "none"
        elif rule:
            new_tracking = rule.tracking
        else:
            new_tracking = tracking or self.tracking
        capture = rule.capture if rule and new_tracking != "none" else "every_operation"
        old_numbered = self.tracking != "none" and self.tracking_capture == "every_operation"
        new_numbered = new_tracking != "none" and capture == "every_operation"
        if new_numbered and (not old_numbered or self.tracking != new_tracking):
            conversion = "numbers"
        elif old_numbered and not new_numbered:
            conversion = "drop"
        else:
            conversion = "none"
        return {"rule": rule, "tracking": new_tracking, "capture": capture, "conversion": conversion}

    # ------------------------------------------------------------ the stock to convert
    def _lst_tracking_quants(self):
        """Quants of this product (all variants, archived too) in internal/transit locations."""
        variants = self.with_context(active_test=False).product_variant_ids
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

    def _lst_reserving_moves(self):
        """Open moves holding a reservation on this product's stock in internal/transit locations."""
        if not self:
            return self.env["stock.move"]
        self.ensure_one()
        variants = self.with_context(active_test=False).product_variant_ids
        lines = self.env["stock.move.line"].search(
            [
                ("product_id", "in", variants.ids),
                ("location_id.usage", "in", GUARDED_USAGES),
                ("state", "not in", ("done", "cancel")),
                ("move_id", "!=", False),
            ]
        )
        return lines.move_id.sorted(lambda m: (m.picking_id.name or m.reference or "", m.id))

    # ------------------------------------------------------------ the engine
    def _lst_change_tracking(self, tracking_rule, tracking=None, lots_by_key=None, problems=(), moves_to_reserve=None):
        """Validate everything, then convert the stock and switch the tracking of this product in one
        transaction (see the module docstring).

        `tracking_rule`, `tracking`: as in _lst_tracking_after. `lots_by_key`, when the change needs
        numbers: {(product, location): [(name, qty)]} covering the stock of each location (the wizard
        reads them from its lines, checked against _lst_stock_by_key). `problems`: the caller's problems
        with its input, listed in the same error. `moves_to_reserve`: moves unreserved beforehand, reserved
        again once the stock is converted. Raises one UserError listing every problem, nothing changed."""
        self.ensure_one()
        after = self._lst_tracking_after(tracking_rule, tracking)
        conversion = after["conversion"]
        lots_by_key = lots_by_key or {}
        quants = self._lst_tracking_quants()
        stock = self._lst_stock_by_key(quants)
        # stock of other companies: refused for every change (one that keeps the stock too: the product's
        # tracking would change under that company's stock without its users)
        all_problems = self._lst_check_hidden_stock(quants)
        all_problems += self._lst_check_convertible_stock(stock) if conversion != "none" else []
        if conversion == "numbers":  # every problem in one error, the numbers' too
            # the caller's problems with its input first; what it gives is checked against the stock when
            # it has none (the wizard's parse already says what a line lacks: not said twice)
            all_problems += list(problems) or self._lst_check_coverage(stock, lots_by_key, after)
            all_problems += self._lst_check_new_names(lots_by_key, after)
        if all_problems:
            raise UserError(
                _(
                    "The tracking of %(product)s was not changed:\n%(problems)s",
                    product=self.display_name,
                    problems="\n".join("- %s" % p for p in all_problems),
                )
            )
        label = _(
            "Tracking change: %(product)s (%(old)s → %(new)s)",
            product=self.display_name,
            old=dict(TRACKING_SELECTION)[self.tracking],
            new=dict(TRACKING_SELECTION)[after["tracking"]],
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
        vals = {"tracking_rule_id": tracking_rule.id}
        if not after["rule"] and self.is_storable:
            vals["tracking"] = after["tracking"]
        # stock users may change the tracking this way (it keeps the stock consistent)
        self.sudo().with_context(lst_tracking_change_wizard=ServerState(True)).write(vals)
        if conversion == "numbers":
            new_quants = Quant.browse()
            for (product, location), entries in lots_by_key.items():
                lots = self.env["stock.lot"]._lst_get_or_create(
                    product, [name for name, _qty in entries], location.company_id or self.env.company
                )
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
        if moves_to_reserve:
            variants = self.with_context(active_test=False).product_variant_ids
            moves_to_reserve.filtered(
                lambda m: m.product_id in variants and m.state in ("confirmed", "partially_available", "waiting")
            )._action_assign()
        return True

    # ------------------------------------------------------------ checks
    def _lst_check_convertible_stock(self, stock):
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
                    ("product_id", "in", self.with_context(active_test=False).product_variant_ids.ids),
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
        variants = self.with_context(active_test=False).product_variant_ids
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

    @api.model
    def _lst_check_coverage(self, stock, lots_by_key, after):
        """Problems of `lots_by_key` against `stock` (_lst_stock_by_key): every location with stock gets
        names for exactly its quantity (one unit per serial), and only those locations."""
        problems = []
        for (product, location), (qty, _quants) in stock.items():
            where = _("%(product)s in %(location)s", product=product.display_name, location=location.display_name)
            entries = lots_by_key.get((product, location))
            if not entries:
                problems.append(
                    _("%(where)s: %(qty)s on hand but no lots/serials given for it.", where=where, qty=format_qty(qty))
                )
                continue
            rounding = product.uom_id.rounding
            if after["tracking"] == "serial" and any(
                float_compare(entry_qty, 1, precision_rounding=rounding) for _name, entry_qty in entries
            ):
                problems.append(_("%(where)s: a serial number covers one unit.", where=where))
            given = sum(entry_qty for _name, entry_qty in entries)
            if float_compare(given, qty, precision_rounding=rounding):
                problems.append(
                    _(
                        "%(where)s: the lots/serials given cover %(given)s but %(qty)s is on hand.",
                        where=where,
                        given=format_qty(given),
                        qty=format_qty(qty),
                    )
                )
        for product, location in set(lots_by_key) - set(stock):
            problems.append(
                _(
                    "%(product)s in %(location)s: lots/serials given but there is no stock there.",
                    product=product.display_name,
                    location=location.display_name,
                )
            )
        return problems

    @api.model
    def _lst_check_new_names(self, lots_by_key, after):
        """Problems of the names given for the stock, over all its locations: a serial number given in
        two locations, a name another product uses under a unique-across-products rule."""
        problems = []
        by_product = defaultdict(list)
        for (product, _location), entries in lots_by_key.items():
            by_product[product] += [name for name, _qty in entries]
        for product, names in by_product.items():
            if after["tracking"] == "serial":
                dupes = sorted(name for name, count in Counter(names).items() if count > 1)  # linear
                if dupes:
                    problems.append(
                        _(
                            "%(product)s: serial numbers given in more than one location: %(names)s.",
                            product=product.display_name,
                            names=listed(dupes),
                        )
                    )
            problems += self._lst_check_unique_names(product, set(names), after["rule"])
        return problems

    @api.model
    def _lst_check_unique_names(self, product, names, rule):
        """Names used by another product when `rule` (or the other product's) is unique across products."""
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
        unique = rule.unique_across_products
        clash = others.filtered(lambda o: unique or o.product_id.effective_tracking_rule_id.unique_across_products)
        return [
            _(
                "%(name)s is already used by %(other)s (tracking rule with unique names across products).",
                name=lot.name,
                other=lot.product_id.display_name,
            )
            for lot in clash.sorted("name")
        ]
