# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .lst_company_guard import lst_visible
from .lst_guards import check_record_ids
from .lst_text import CAPTURE_SELECTION, RULE_TRACKING_SELECTION, is_printable_name

MAX_SEQUENCE_NUMBER = 2**31 - 2  # ir_sequence.number_next is a PostgreSQL integer


# The placeholders of ir.sequence prefixes (the keys of the _interpolation_dict nested in
# ir.sequence._get_prefix_suffix): date parts, also as range_<key> and current_<key>.
SEQUENCE_DATE_KEYS = ("year", "month", "day", "y", "doy", "woy", "weekday", "h24", "h12", "min", "sec")
SEQUENCE_PLACEHOLDERS = frozenset(
    key for base in SEQUENCE_DATE_KEYS for key in (base, f"range_{base}", f"current_{base}")
)
# "%%" (a literal %) or exactly "%(key)s": no width, precision or flags ("%(year)10000000s" would make
# every proposed name 10 MB), no bare "%s" (Python would print the whole dictionary of dates)
PLACEHOLDER = re.compile(r"%(?:%|\(([a-z0-9_]+)\)s)")


def has_bad_placeholder(prefix):
    """True when `prefix` holds a % that is not %% or one of Odoo's %(date)s placeholders as such."""
    rest = PLACEHOLDER.sub(lambda m: "" if m.group(1) is None or m.group(1) in SEQUENCE_PLACEHOLDERS else "%", prefix)
    return "%" in rest


class StockTrackingRule(models.Model):
    _name = "stock.tracking.rule"
    _inherit = ["lst.nul.guard.mixin"]
    _lst_nul_fields = ("name", "lot_prefix", "note")
    _description = "Lot/Serial Tracking Rule"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the rule between companies.",
    )
    tracking = fields.Selection(
        RULE_TRACKING_SELECTION,
        required=True,
        default="serial",
        help="By Lots: one number covers many units made or received together.\n"
        "By Unique Serial Number: one number per unit.",
    )
    capture = fields.Selection(
        CAPTURE_SELECTION,
        required=True,
        default="every_operation",
        help="At Every Operation: numbers from receipt or production onward, carried on every move "
        "(standard Odoo).\nAt Delivery Only: receipts, transfers and manufacturing move plain "
        "quantities; the number is captured on the outgoing delivery.",
    )
    sequence_id = fields.Many2one(
        "ir.sequence",
        string="Numbering Sequence",
        readonly=True,
        copy=False,
        ondelete="restrict",
        help="Sequence behind the numbers this rule proposes.",
    )
    lot_prefix = fields.Char(
        string="Prefix",
        help="Text before the number of proposed lots/serials. Odoo sequence placeholders such as "
        "%(year)s are allowed.",
    )
    lot_padding = fields.Integer(string="Digits", default=5, help="The number is zero-padded to this many digits.")
    lot_number_next = fields.Integer(
        string="Next Number",
        default=1,  # a new rule (no sequence yet) starts at 1, as its Next Name preview says
        compute="_compute_lot_number_next",
        inverse="_inverse_lot_number_next",
        help="The number of the next proposed lot/serial. Names already in use are skipped.",
    )
    lot_name_preview = fields.Char(string="Next Name", compute="_compute_lot_name_preview")
    unique_across_products = fields.Boolean(
        help="A lot/serial name may exist on only one product of the company (Odoo only requires "
        "the name to be unique per product).",
    )
    category_ids = fields.One2many("product.category", "tracking_rule_id", string="Categories")
    product_tmpl_ids = fields.One2many(
        "product.template", "effective_tracking_rule_id", string="Products", readonly=True
    )
    product_count = fields.Integer(compute="_compute_product_count", string="# Products")
    note = fields.Text(string="Notes", translate=True)

    # ------------------------------------------------------------ computes
    @api.depends("sequence_id.number_next_actual")
    def _compute_lot_number_next(self):
        for rule in self:
            rule.lot_number_next = rule.sequence_id.number_next_actual or 1

    def _inverse_lot_number_next(self):
        for rule in self:
            if rule.lot_number_next < 0 or rule.lot_number_next > MAX_SEQUENCE_NUMBER:
                raise ValidationError(
                    _(
                        "The next number of rule %(rule)s must be between 1 and %(max)s.",
                        rule=rule.name,
                        max=MAX_SEQUENCE_NUMBER,
                    )
                )
            # 0 is what the web client sends for an untouched field on a new record: keep the sequence
            if rule.lot_number_next and rule.sequence_id:
                rule.sequence_id.sudo().number_next_actual = rule.lot_number_next

    @api.depends("lot_prefix", "lot_padding", "lot_number_next")
    def _compute_lot_name_preview(self):
        for rule in self:
            try:
                rule.lot_name_preview = rule._format_lot_name(rule.lot_number_next or 1)
            except UserError:
                rule.lot_name_preview = False

    @api.depends("product_tmpl_ids")
    def _compute_product_count(self):
        data = self.env["product.template"]._read_group(
            [("effective_tracking_rule_id", "in", self.ids)], ["effective_tracking_rule_id"], ["__count"]
        )
        counts = {rule.id: count for rule, count in data}
        for rule in self:
            rule.product_count = counts.get(rule.id, 0)

    # ------------------------------------------------------------ constraints
    @api.constrains("lot_prefix", "lot_padding")
    def _check_numbering(self):
        for rule in self:
            if rule.lot_prefix and (not is_printable_name(rule.lot_prefix) or len(rule.lot_prefix) > 64):
                raise ValidationError(
                    _(
                        "The prefix of rule %s must be at most 64 printable characters "
                        "(no tabs, line breaks or control characters).",
                        rule.name,
                    )
                )
            if not 1 <= rule.lot_padding <= 12:
                raise ValidationError(_("Digits of rule %s must be between 1 and 12.", rule.name))
            rule._format_lot_name(1)  # raises a UserError on a bad placeholder

    # ------------------------------------------------------------ CRUD
    def _sequence_vals(self, vals):
        return {
            "name": _("Tracking rule: %s", vals.get("name") or self.name or ""),
            "code": False,
            "implementation": "no_gap",
            "prefix": vals.get("lot_prefix", self.lot_prefix) or False,
            "padding": vals.get("lot_padding", self.lot_padding or 5),
            "number_increment": 1,
            "company_id": vals.get("company_id", self.company_id.id) or False,
        }

    @api.model_create_multi
    def create(self, vals_list):
        seq_model = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            self._lst_check_own_sequence(vals)
            self._lst_check_nul(vals)  # before the sequence named after the rule is created
            if not vals.get("sequence_id"):
                vals["sequence_id"] = seq_model.create(self.new(vals)._sequence_vals(vals)).id
            elif "lot_number_next" not in vals:  # a given sequence keeps its number (not the default 1)
                vals["lot_number_next"] = seq_model.browse(vals["sequence_id"]).number_next_actual
        rules = super().create(vals_list)
        return rules

    def _lst_check_own_sequence(self, vals, on_write=False):
        """The rule makes, renumbers (in sudo) and deletes its own sequence: a user may not point it to
        another sequence (another company's, or an invoice numbering), which it would then change or delete."""
        given = "sequence_id" in vals if on_write else vals.get("sequence_id")  # create: False makes its own
        if given and not self.env.su:
            raise UserError(
                _("The numbering sequence of a tracking rule is its own: leave Numbering Sequence (sequence_id) out.")
            )

    def write(self, vals):
        self._lst_check_own_sequence(vals, on_write=True)
        if not self.env.su:
            self._lst_check_outside_users()
            if vals.get("company_id"):
                self._lst_check_company_of_users(vals["company_id"])
        with self._lst_affected_templates(vals)._lst_guard_tracking_change():
            res = super().write(vals)
            if {"lot_prefix", "lot_padding", "company_id", "name"} & set(vals):
                for rule in self.filtered("sequence_id"):
                    seq_vals = rule._sequence_vals({})
                    rule.sequence_id.sudo().write({k: seq_vals[k] for k in ("name", "prefix", "padding", "company_id")})
        return res

    def _lst_user_templates(self):
        """Products (all companies, archived too) whose effective rule or own rule is one of these."""
        return (
            self.env["product.template"]
            .sudo()
            .with_context(active_test=False)
            .search(["|", ("effective_tracking_rule_id", "in", self.ids), ("tracking_rule_id", "in", self.ids)])
        )

    def _lst_check_outside_users(self):
        """A rule used by products of a company the user does not belong to belongs to that company too:
        only its users may change it (its numbering, tracking, capture, company ...). Otherwise an
        administrator of company B could rename, renumber or take over (company_id) the shared rule that
        company A's products use."""
        outside = self._lst_user_templates().company_id - self.env.user.company_ids
        if outside:
            raise UserError(
                _(
                    "Tracking rule(s) %(rules)s are also used by products of companies you do not belong to: only "
                    "their users may change them. Create a rule of your own for your products instead.",
                    rules=", ".join(self.mapped("name")),
                )
            )

    def _lst_check_company_of_users(self, company_id):
        """A rule given to company `company_id` must only be used by that company's products: products
        without company and categories are shared by all companies and need a shared rule (what Odoo's
        check_company asks of the product's and category's tracking_rule_id)."""
        company = self.env["res.company"].browse(company_id)
        templates = self._lst_user_templates().filtered(lambda t: t.company_id != company)
        categories = self.env["product.category"].sudo().search([("tracking_rule_id", "in", self.ids)])
        if not templates and not categories:
            return
        seen = lst_visible(templates)
        used_by = seen.mapped("display_name")[:10] + categories.mapped("display_name")[:10]
        if templates - seen:
            used_by.append(_("%(count)s product(s) of other companies", count=len(templates - seen)))
        raise ValidationError(
            _(
                "Tracking rule(s) %(rules)s cannot belong to company %(company)s: they are used by products or "
                "categories of other companies or shared by all companies (%(used_by)s). Leave the rule shared "
                "(no company), or first give those products and categories another rule.",
                rules=", ".join(self.mapped("name")),
                company=company.display_name,
                used_by=", ".join(used_by),
            )
        )

    def _lst_affected_templates(self, vals):
        """Products whose tracking or capture may change with `vals` (for the guard); none when `vals`
        changes neither."""
        if not {"tracking", "capture", "active"} & set(vals):
            return self.env["product.template"]
        # sudo: products of companies the user has not selected are concerned just the same
        return (
            self.env["product.template"]
            .sudo()
            .with_context(active_test=False)
            .search([("effective_tracking_rule_id", "in", self.ids)])
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_if_unused(self):
        used = self.filtered(lambda r: r.product_count or r.category_ids)
        if used:
            raise UserError(
                _(
                    "Tracking rule(s) %s are still used by products or categories; "
                    "remove them there first, or archive the rule.",
                    ", ".join(used.mapped("name")),
                )
            )

    def unlink(self):
        sequences = self.sequence_id
        res = super().unlink()
        sequences.sudo().unlink()
        return res

    # ------------------------------------------------------------ numbering
    def _format_lot_name(self, number):
        """Odoo's own formatting of a sequence number (prefix placeholders, padding)."""
        return self._lst_format_lot_names([number])[0]

    def _lst_format_lot_names(self, numbers):
        """_format_lot_name of each of `numbers`, the prefix interpolated once: Odoo's
        ir.sequence.get_next_char (base/models/ir_sequence.py lines 235-237: interpolated prefix +
        number padded + interpolated suffix) without a new ir.sequence per name (10,000 names: 3.7 s)."""
        self.ensure_one()
        padding = max(self.lot_padding or 1, 1)
        seq = (
            self.env["ir.sequence"]
            .sudo()
            .new({"prefix": self.lot_prefix or False, "padding": padding, "name": self.name})
        )
        if self.lot_prefix and has_bad_placeholder(self.lot_prefix):
            raise self._lst_placeholder_error()
        try:
            prefix, suffix = seq._get_prefix_suffix()
            return [f"{prefix}{number:0{padding}d}{suffix}" for number in numbers]
        except (KeyError, ValueError, TypeError) as exc:  # ir.sequence lets an unknown %(key)s through
            raise self._lst_placeholder_error() from exc

    def _lst_placeholder_error(self):
        return UserError(
            _(
                "The prefix %(prefix)s of rule %(rule)s has an unknown placeholder; use only Odoo's date "
                "placeholders exactly as written, e.g. %%(year)s, %%(month)s, %%(day)s, %%(y)s (no width or "
                "other format), or write %%%% for a literal %%.",
                prefix=(self.lot_prefix or "")[:70],
                rule=self.name,
            )
        )

    def _lst_existing_names(self, names, product):
        """Names among `names` that already exist for `product` (or, under a unique rule, for any
        product of the company)."""
        domain = [
            ("name", "in", list(names)),
            ("company_id", "in", [False, product.company_id.id or self.env.company.id]),
        ]
        if not self.unique_across_products:
            domain.append(("product_id", "=", product.id))
        return set(self.env["stock.lot"].sudo().search(domain).mapped("name"))

    def _lst_next_names(self, product, count=1, consume=False):
        """The next `count` free names of this rule for `product`.

        Names already used by a lot of the product (or of the company, under a unique rule) are
        skipped. With `consume`, the sequence moves past the returned names (one UPDATE); without it
        this only proposes, and the sequence catches up when the lots are created
        (see stock.lot.create)."""
        self.ensure_one()
        if count < 1:
            return []
        number = self.lot_number_next or 1
        names = []
        while len(names) < count:
            batch = self._lst_format_lot_names(range(number, number + (count - len(names)) + 10))
            taken = self._lst_existing_names(batch, product)
            for name in batch:
                number += 1
                if name not in taken:
                    names.append(name)
                    if len(names) == count:
                        break
        if consume:
            self._lst_bump_sequence(number)
        return names

    def _lst_first_free_number(self, product, start):
        """The first number from `start` whose name is not used for `product` (see _lst_existing_names)."""
        self.ensure_one()
        number, size = start, 20
        while number <= MAX_SEQUENCE_NUMBER:
            batch = dict(
                zip(range(number, number + size), self._lst_format_lot_names(range(number, number + size)), strict=True)
            )
            taken = self._lst_existing_names(batch.values(), product)
            for n, name in batch.items():
                if name not in taken:
                    return n
            number, size = number + size, min(size * 2, 1000)
        return number

    def _lst_bump_sequence(self, number_next):
        """Move the sequence to at least `number_next` (never backwards), in one statement."""
        self.ensure_one()
        if not self.sequence_id or number_next > MAX_SEQUENCE_NUMBER:
            return
        self.env.cr.execute(
            "UPDATE ir_sequence SET number_next = %s WHERE id = %s AND number_next < %s",
            (number_next, self.sequence_id.id, number_next),
        )
        self.sequence_id.invalidate_recordset(["number_next", "number_next_actual"])
        self.invalidate_recordset(["lot_number_next"])

    def _lst_number_of(self, name):
        """The number in `name` if it is a name of this rule's pattern, else None."""
        self.ensure_one()
        prefix = self._format_lot_name(0)[: -max(self.lot_padding, 1)]
        if not name.startswith(prefix):
            return None
        rest = name[len(prefix) :]
        if not rest.isdigit() or len(rest) < self.lot_padding or not rest.isascii():
            return None
        return int(rest)

    # ------------------------------------------------------------ actions
    def action_view_products(self):
        check_record_ids(self).ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.product_template_action_product")
        action.update(
            {
                "domain": [("effective_tracking_rule_id", "=", self.id)],
                "context": {"default_tracking_rule_id": self.id},
                "display_name": _("Products under %s", self.name),
            }
        )
        return action
