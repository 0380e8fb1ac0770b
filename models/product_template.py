# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from contextlib import contextmanager

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

from .lst_company_guard import lst_check_readable, lst_visible
from .lst_guards import server_state
from .lst_text import CAPTURE_SELECTION, format_qty

GUARDED_USAGES = ("internal", "transit")


class ProductTemplate(models.Model):
    _inherit = "product.template"

    tracking_rule_id = fields.Many2one(
        "stock.tracking.rule",
        ondelete="restrict",
        check_company=True,
        help="Lot/serial tracking policy of this product. Leave empty to use the category's rule "
        "(or the nearest parent category's); with no rule anywhere, Track Inventory is set by hand "
        "as in standard Odoo.",
    )
    effective_tracking_rule_id = fields.Many2one(
        "stock.tracking.rule",
        compute="_compute_effective_tracking_rule_id",
        store=True,
        precompute=True,
        index=True,
        help="The product's own rule, else its category's (nearest parent first).",
    )
    tracking_capture = fields.Selection(
        CAPTURE_SELECTION,
        string="Capture Lots/Serials",
        compute="_compute_tracking_capture",
        store=True,
        precompute=True,
        help="Where lot/serial numbers are captured, from the effective tracking rule.",
    )

    @api.depends("tracking_rule_id", "categ_id.effective_tracking_rule_id")
    def _compute_effective_tracking_rule_id(self):
        for template in self:
            template.effective_tracking_rule_id = (
                template.tracking_rule_id or template.categ_id.effective_tracking_rule_id
            )

    @api.depends("is_storable", "effective_tracking_rule_id.tracking", "effective_tracking_rule_id.active")
    def _compute_tracking(self):
        res = super()._compute_tracking()
        for template in self:
            rule = template.effective_tracking_rule_id
            if rule.active and template.is_storable and template.tracking != rule.tracking:
                template.tracking = rule.tracking
        return res

    @api.depends("tracking", "effective_tracking_rule_id.capture", "effective_tracking_rule_id.active")
    def _compute_tracking_capture(self):
        for template in self:
            rule = template.effective_tracking_rule_id
            if rule.active and template.tracking != "none":
                template.tracking_capture = rule.capture
            else:
                template.tracking_capture = "every_operation"

    # ------------------------------------------------------------ the tracking-change guard
    @contextmanager
    def _lst_guard_tracking_change(self):
        """Around a write that may change the tracking or capture of these products (their own write,
        their category's, their rule's): refuse the change, after the write, where they have stock on
        hand (see _lst_check_tracking_change)."""
        tracking_before = self._lst_tracking_snapshot()
        yield
        self._lst_check_tracking_change(tracking_before)

    def _lst_tracking_snapshot(self):
        return {t.id: (t.tracking, t.tracking_capture) for t in self}

    def _lst_check_tracking_change(self, before):
        """Block a change of tracking or capture mode on products with on-hand stock.

        `before` is `_lst_tracking_snapshot()` taken before the write. Stock without numbers under a
        tracked policy (or numbered stock under a plain one) is inconsistent: the Change Tracking
        wizard is the way to convert it; only its own write (context key `lst_tracking_change_wizard`, a
        ServerState that a client cannot send) is let through, the stock being converted by then."""
        if server_state(self.env, "lst_tracking_change_wizard") or not before:
            return
        changed = self.browse(
            [tid for tid, old in before.items() if old != self.browse(tid)._lst_tracking_snapshot()[tid]]
        )
        if not changed:
            return
        stock = changed._lst_onhand_by_location()
        if not stock:
            return
        label = dict(self._fields["tracking"]._description_selection(self.env))
        capture_label = dict(self._fields["tracking_capture"]._description_selection(self.env))
        lines = []
        hidden = 0  # products of companies the user may not see: counted, never named
        for template, locations in stock.items():
            if not lst_visible(template):
                hidden += 1
                continue
            old_tracking, old_capture = before[template.id]
            old = "%s / %s" % (label.get(old_tracking), capture_label.get(old_capture))
            new = "%s / %s" % (label.get(template.tracking), capture_label.get(template.tracking_capture))
            seen = lst_visible(self.env["stock.location"].union(*(location for location, _qty in locations)))
            where = [
                "%s %s in %s" % (format_qty(qty), template.uom_id.name, location.display_name)
                for location, qty in locations
                if location in seen
            ]
            if any(location not in seen for location, _qty in locations):
                where.append(_("stock in other companies"))
            lines.append("- %s (%s → %s): %s" % (template.display_name, old, new, ", ".join(where)))
        if hidden:
            lines.append(
                _(
                    "- %(count)s product(s) of other companies (their users must convert them first)",
                    count=hidden,
                )
            )
        raise UserError(
            _(
                "The tracking of these products cannot change while they have stock on hand: the "
                "existing quantities would be left without (or with meaningless) lot/serial numbers.\n"
                '%(lines)s\n\nUse the "Change Tracking" button on the product form: it converts the '
                "stock in one step (numbers per location, through inventory adjustments). For a category or "
                "tracking rule change, convert these products first (give each the new rule there), then "
                "change the category or the rule.",
                lines="\n".join(lines),
            )
        )

    def _lst_tracking_change_warning(self, template, old, new):
        """Onchange warning when the tracking (or capture) of `template` would go from `old` to `new`
        while it has stock: Save will be refused, Change Tracking converts the stock."""
        if not template or old == new:
            return None
        stock = template._lst_onhand_by_location().get(template)
        if not stock:
            return None
        where = ", ".join(
            "%s %s in %s" % (format_qty(qty), template.uom_id.name, location.display_name) for location, qty in stock
        )
        return {
            "warning": {
                "title": _("This product has stock"),
                "message": _(
                    "%(product)s has stock (%(where)s): its tracking cannot change by saving the product. Click "
                    '"Change Tracking" (next to Tracking Rule): it opens with this change and gives the stock its '
                    "lots/serial numbers (or drops them) in one step.",
                    product=template.display_name,
                    where=where,
                ),
            }
        }

    @api.onchange("tracking", "tracking_rule_id")
    def _onchange_tracking(self):
        """Odoo says "do an inventory adjustment" when a product with stock becomes tracked; with this
        module the save is refused: point to Change Tracking instead."""
        origin = self._origin
        if origin:
            old = (origin.tracking, origin.tracking_capture)
            warning = self._lst_tracking_change_warning(origin, old, (self.tracking, self.tracking_capture))
            if warning:
                return warning
            if self.tracking == origin.tracking:
                return None
        return super()._onchange_tracking()

    def _lst_onhand_by_location(self):
        """{template: [(location, qty), ...]} of non-zero stock in internal/transit locations."""
        groups = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("product_id.product_tmpl_id", "in", self.ids),
                    ("location_id.usage", "in", GUARDED_USAGES),
                ],
                ["product_id", "location_id"],
                ["quantity:sum"],
            )
        )
        result = defaultdict(list)
        for product, location, qty in groups:
            if not float_is_zero(qty, precision_rounding=product.uom_id.rounding):
                result[product.product_tmpl_id].append((location, qty))
        return dict(result)

    @api.model_create_multi
    def create(self, vals_list):
        lst_check_readable(self, vals_list, ["tracking_rule_id"], "create")  # before check_company names it
        # `tracking` has a default ('none'), so Odoo never precomputes it on create: apply the
        # effective rule now, otherwise a new product of a tracked category would start untracked.
        templates = super().create(vals_list)
        ruled = templates.filtered(lambda t: t.effective_tracking_rule_id.active and t.is_storable)
        if ruled:
            ruled._compute_tracking()
        return templates

    def write(self, vals):
        lst_check_readable(self, vals, ["tracking_rule_id"], "write")  # before check_company names it
        if not {"tracking", "tracking_rule_id", "categ_id", "is_storable"} & set(vals):
            return super().write(vals)
        with self._lst_guard_tracking_change():
            return super().write(vals)

    # ------------------------------------------------------------ numbering
    def _lst_active_rule(self):
        """The active effective tracking rule of this product, or an empty recordset."""
        rule = self.effective_tracking_rule_id
        return rule if rule.active else rule.browse()
