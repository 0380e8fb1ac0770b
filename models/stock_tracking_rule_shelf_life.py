# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Shelf life in the tracking rule: the rule carries product_expiry's settings (expiration dates, their delays
in days, the removal strategy) and two checks of its own (dates required on receipt/production, expired lots
never delivered or consumed). The products under the rule take its values in their own product_expiry
fields (see product.template._compute_lst_shelf_life), so everything Odoo does with expiry keeps working."""

import logging
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import RedirectWarning, UserError, ValidationError
from odoo.tools import SQL

from .lst_company_guard import lst_visible
from .lst_guards import check_record_ids

# product.template fields of product_expiry that the rule drives, {template field: rule field}
SHELF_LIFE_FIELDS = {
    "use_expiration_date": "use_expiration_date",
    "expiration_time": "expiration_time",
    "use_time": "use_time",
    "removal_time": "removal_time",
    "alert_time": "alert_time",
}
MAX_DAYS = 36500  # 100 years: a delay in days beyond that is a typing error (and overflows dates)
_logger = logging.getLogger(__name__)
MAX_LISTED = 20  # lots named in a message; the rest are counted


class StockTrackingRule(models.Model):
    _inherit = "stock.tracking.rule"

    use_expiration_date = fields.Boolean(
        string="Expiration Dates",
        help="Lots and serial numbers of the products under this rule carry an expiration date (and best "
        "before, removal and alert dates), as product_expiry's Expiration Date box on the product form.",
    )
    expiration_time = fields.Integer(
        string="Expiration Date",
        help="Days after the receipt (or production) after which the goods may become dangerous and must not "
        "be consumed; computed on each new lot. 0: the date is entered on the receipt or production.",
    )
    use_time = fields.Integer(
        string="Best Before Date",
        help="Days before the expiration date after which the goods start deteriorating.",
    )
    removal_time = fields.Integer(
        string="Removal Date",
        help="Days before the expiration date after which the goods should be removed from stock (the date "
        "FEFO sorts by).",
    )
    alert_time = fields.Integer(
        string="Alert Date",
        help="Days before the expiration date after which an alert is raised on the lot.",
    )
    removal_strategy_id = fields.Many2one(
        "product.removal",
        help="Which lot leaves stock first for the products under this rule (FIFO, LIFO, FEFO, ...). It wins "
        "over the strategy of the product category and of the location. Empty: the category's or "
        "location's, as in standard Odoo.",
    )
    require_expiration_date = fields.Boolean(
        string="Require Expiration Dates",
        help="A receipt or a production of a lot without an expiration date is refused. When Expiration Date "
        "(days) is set, Odoo computes the date, which counts; otherwise it must be entered.",
    )
    block_expired = fields.Boolean(
        string="Strict Expiry",
        help="An expired lot can never be delivered or consumed, even picked by hand and confirmed in "
        "Odoo's expired-lots dialog. Scrapping it and returning it to the vendor stay possible.",
    )
    lst_undated_lot_count = fields.Integer(
        string="Lots without Dates",
        compute="_compute_lst_undated_lot_count",
        help="Lots in stock of the products under this rule without an expiration date.",
    )

    @api.constrains(
        "use_expiration_date", "expiration_time", "use_time", "removal_time", "alert_time", "capture",
        "require_expiration_date", "block_expired",
    )  # fmt: skip
    def _check_shelf_life(self):
        for rule in self:
            for fname in ("expiration_time", "use_time", "removal_time", "alert_time"):
                if not 0 <= rule[fname] <= MAX_DAYS:
                    raise ValidationError(
                        _(
                            "%(field)s of rule %(rule)s must be between 0 and %(max)s days.",
                            field=rule._fields[fname].get_description(self.env)["string"],
                            rule=rule.name,
                            max=MAX_DAYS,
                        )
                    )
            if (rule.require_expiration_date or rule.block_expired) and not rule.use_expiration_date:
                raise ValidationError(
                    _(
                        "Rule %s: Require Expiration Dates and Strict Expiry need Expiration Dates: tick it too, "
                        "or untick them.",
                        rule.name,
                    )
                )
            if rule.use_expiration_date and rule.capture == "delivery_only":
                raise ValidationError(
                    _(
                        "Rule %s captures numbers at delivery only: its stock carries no lots, so no expiration "
                        "dates either. Use Expiration Dates with At Every Operation.",
                        rule.name,
                    )
                )

    @api.onchange("use_expiration_date")
    def _onchange_use_expiration_date(self):
        if not self.use_expiration_date:
            self.require_expiration_date = False
            self.block_expired = False

    # ------------------------------------------------------------ lots in stock without dates
    def _lst_undated_lots_domain(self):
        """stock.lot domain: lots with stock in internal locations, of the products under these rules, without
        an expiration date."""
        return [
            ("product_id.product_tmpl_id.effective_tracking_rule_id", "in", self.ids),
            ("expiration_date", "=", False),
            ("quant_ids", "any", [("location_id.usage", "=", "internal"), ("quantity", ">", 0)]),
        ]

    @api.depends("use_expiration_date")
    def _compute_lst_undated_lot_count(self):
        dated = self.filtered("use_expiration_date")
        counts = dict(
            self.env["stock.lot"]._read_group(
                dated._lst_undated_lots_domain(),
                ["product_id"],
                ["__count"],
            )
        )
        per_rule = dict.fromkeys(self.ids, 0)
        for product, count in counts.items():
            rule = product.product_tmpl_id.effective_tracking_rule_id
            if rule.id in per_rule:
                per_rule[rule.id] += count
        for rule in self:
            rule.lst_undated_lot_count = per_rule.get(rule.id, 0) if rule in dated else 0

    def _lst_undated_lots_action(self):
        """The lots without dates in an editable list, to give them their expiration dates."""
        return {
            "type": "ir.actions.act_window",
            "name": _("Lots without Expiration Date"),
            "res_model": "stock.lot",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("lot_serial_tracking.stock_lot_view_list_shelf_life").id, "list"),
                (False, "form"),
            ],
            "domain": self._lst_undated_lots_domain(),
            "context": {"create": False},
            "target": "current",
        }

    def action_view_undated_lots(self):
        check_record_ids(self)
        return self._lst_undated_lots_action()

    def _lst_check_undated_lots(self):
        """Expiration dates turned on while lots in stock have none: FEFO would send them first or last at
        random and no alert would ever come. Refused with the lots named (bounded) and a button that opens
        them in an editable list."""
        # sudo: lots of companies the user has not selected count just the same; only visible ones are named
        Lot = self.env["stock.lot"].sudo()
        total = Lot.search_count(self._lst_undated_lots_domain())
        if not total:
            return
        lots = lst_visible(Lot.search(self._lst_undated_lots_domain(), limit=MAX_LISTED, order="id"))
        lines = ["- %s: %s" % (lot.product_id.display_name, lot.name) for lot in lots]
        if total > len(lots):
            lines.append(_("- ... and %(count)s more", count=total - len(lots)))
        raise RedirectWarning(
            _(
                "Rule(s) %(rules)s cannot use expiration dates yet: these lots are in stock without an expiration "
                "date:\n%(lines)s\n\nGive them their expiration dates first (the button opens them in an editable "
                "list; the rule's Lots without Dates button does too), then turn Expiration Dates on again.",
                rules=", ".join(self.mapped("name")),
                lines="\n".join(lines),
            ),
            self._lst_undated_lots_action(),
            _("Set the Dates"),
        )

    def _lst_enable_lots_group(self):
        """Odoo shows expiration dates (product form, lots, operations) only with Lots & Serial Numbers on:
        turn it on as product_expiry's install hook does (_enable_tracking_numbers), or say who can."""
        group = self.env.ref("stock.group_production_lot")
        user_group = self.env.ref("base.group_user")
        if group in user_group.implied_ids:
            return
        if not self.env.user.has_group("base.group_system"):
            raise UserError(
                _(
                    "Expiration dates need Lots & Serial Numbers, which is off (Inventory > Configuration > "
                    "Settings): ask an administrator to turn it on, then turn on Expiration Dates on the rule."
                )
            )
        groups = user_group + self.env.ref("base.group_portal")
        groups.sudo().write({"implied_ids": [fields.Command.link(group.id)]})

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        if rules.filtered("use_expiration_date"):
            rules._lst_enable_lots_group()
        return rules

    def write(self, vals):
        turned_on = self.browse()
        if vals.get("use_expiration_date"):
            turned_on = self.filtered(lambda rule: not rule.use_expiration_date)
        res = super().write(vals)
        if turned_on:
            turned_on._lst_check_undated_lots()
            turned_on._lst_enable_lots_group()
        return res

    # ------------------------------------------------------------ upgrade
    @api.model
    def _lst_adopt_products_shelf_life(self):
        """Upgrade to 18.0.1.3.0 (migrations/): before it, product_expiry's fields were set by hand on each
        product; now the rule sets them, and a rule (all new fields off) would turn expiry off on its products
        at its next shelf-life edit. A rule whose products all used the same expiry settings takes them; a rule
        whose products differ is logged and left off (its products keep their values until the rule's shelf
        life is edited). Written in SQL: nothing to recompute (the products already hold these values), and
        no check to pass (the lots were received under those settings). Returns (adopted, mixed) rules."""
        rules = self.sudo().with_context(active_test=False).search([("use_expiration_date", "=", False)])
        names = list(SHELF_LIFE_FIELDS)
        groups = (
            self.env["product.template"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [("effective_tracking_rule_id", "in", rules.ids), ("is_storable", "=", True)],
                ["effective_tracking_rule_id", *names],
                ["__count"],
            )
        )
        by_rule = defaultdict(set)
        for rule, use_expiration_date, *days, _count in groups:  # NULL (False) in a group is 0 days
            by_rule[rule].add((bool(use_expiration_date), *(value or 0 for value in days)))
        adopted, mixed = self.browse(), self.browse()
        for rule, settings in by_rule.items():
            if not any(values[0] for values in settings):
                continue  # none of its products used expiration dates
            if len(settings) > 1:
                mixed |= rule
                continue
            assignments = SQL(", ").join(
                SQL("%s = %s", SQL.identifier(SHELF_LIFE_FIELDS[name]), value)
                for name, value in zip(names, next(iter(settings)), strict=True)
            )
            self.env.cr.execute(SQL("UPDATE stock_tracking_rule SET %s WHERE id = %s", assignments, rule.id))
            adopted |= rule
        self.invalidate_model(list(SHELF_LIFE_FIELDS.values()))
        if adopted:
            _logger.info("Tracking rules %s take their products' expiration settings", adopted.ids)
        if mixed:
            _logger.warning(
                "Tracking rules %s: their products use different expiration settings; the rules are left "
                "without expiration dates (edit their Shelf Life to set one for all their products)",
                mixed.ids,
            )
        return adopted, mixed
