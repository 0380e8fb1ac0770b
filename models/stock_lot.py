# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import _, api, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import sql

from .lst_company_guard import lst_visible
from .lst_guards import check_ids, is_id, server_state
from .lst_text import MAX_LOT_NAME, is_printable_name


class StockLot(models.Model):
    _inherit = "stock.lot"

    def init(self):
        """A b-tree index on the lot name, beside Odoo's trigram one. Odoo indexes stock_lot.name for
        `ilike` only (gin_trgm_ops); PostgreSQL also uses that index for `name IN (...)`, where every name
        costs a scan of the trigrams all serials share ("SN-", "000"): with 300,000 lots, checking 1,000
        serials of a batch took 6 s (0.002 s with this index). Batch production, Generate and Odoo's own
        _check_unique_lot search lots by exact names."""
        res = super().init()
        sql.create_index(self.env.cr, "stock_lot_lst_name_index", self._table, ["name"])
        return res

    @api.model
    def _get_next_serial(self, company, product):
        """The rule's next free name when the product has a rule; else Odoo's (last serial + 1, or
        nothing: then the MO "+" button refuses, as in Odoo, when Odoo's serial sequence is archived)."""
        if product.tracking != "none":
            names = product.with_company(company)._lst_next_lot_names(1)
            if names:
                return names[0]
        return super()._get_next_serial(company, product)

    @api.model
    def _lst_check_lot_name(self, name, product=None):
        """A lot name PostgreSQL can store (no NUL) of at most MAX_LOT_NAME characters (every lot, with or
        without a rule: the one length check, before anything is written) and, for products under a
        tracking rule, a name that prints on a label: no control characters, no surrounding spaces."""
        if not isinstance(name, str):
            return
        if "\x00" in name:
            raise ValidationError(_("A lot/serial number cannot contain a NUL character."))
        if len(name) > MAX_LOT_NAME:
            raise ValidationError(
                _(
                    "Lot/serial number %(name)s... is %(length)s characters long; at most %(max)s.",
                    name=name[:20],
                    length=len(name),
                    max=MAX_LOT_NAME,
                )
            )
        if product and product.product_tmpl_id._lst_active_rule():
            if not is_printable_name(name) or name != name.strip() or not name:
                raise ValidationError(
                    _(
                        "Lot/serial number %(name)r of %(product)s is not valid: use 1 to %(max)s printable "
                        "characters, without tabs, line breaks or surrounding spaces.",
                        name=name[:60],
                        product=product.display_name,
                        max=MAX_LOT_NAME,
                    )
                )

    @api.model
    def generate_lot_names(self, first_lot, count):
        """With context `lst_generate_product_id` (a ServerState set by stock.move when generating from
        the rule), the rule's next `count` free names (skipping used ones) instead of plain increments."""
        product_id = server_state(self.env, "lst_generate_product_id")
        if product_id:
            names = self.env["product.product"].browse(product_id)._lst_next_lot_names(count)
            if names:
                return [{"lot_name": name} for name in names]
        return super().generate_lot_names(first_lot, count)

    @api.model
    def lst_propose_first_name(self, product_id):
        """XML-RPC/JS: the rule's next free lot/serial name for product.product `product_id`, or ""
        when the product has no rule. A product id that is not an integer or does not exist is refused
        (UserError) rather than answered with "" or an SQL error."""
        if not isinstance(product_id, int) or isinstance(product_id, bool):
            raise UserError(_("Give a product id (an integer), not %r.", product_id))
        self.check_access("read")  # portal/public: Odoo's AccessError, as for any stock.lot call
        product = lst_visible(self.env["product.product"].browse(product_id).exists())
        if not product:  # or another company's: its numbering is not shown
            raise UserError(_("Product %s does not exist (or was deleted).", product_id))
        names = product._lst_next_lot_names(1)
        return names[0] if names else ""

    @api.model_create_multi
    def create(self, vals_list):
        product_ids = [v["product_id"] for v in vals_list if v.get("product_id")]
        products = self.env["product.product"].browse(check_ids(self.env, product_ids, _("Product")))
        products.fetch(["product_tmpl_id"])
        for vals in vals_list:
            self._lst_check_lot_name(vals.get("name"), self.env["product.product"].browse(vals.get("product_id")))
        self._lst_lock_products(products)
        lots = super().create(vals_list)
        lots._lst_advance_rule_sequences()
        return lots

    def write(self, vals):
        if "name" in vals:
            for lot in self:
                self._lst_check_lot_name(vals["name"], lot.product_id)
        if "name" in vals or "product_id" in vals:
            self._lst_lock_products(self.product_id | self.env["product.product"].browse(vals.get("product_id")))
        return super().write(vals)

    # ------------------------------------------------------------ one lot factory, one lock
    @api.model
    def _lst_lock_products(self, products):
        """Serialise the creation of lots (and the arrival of serials in stock) per product.

        Odoo's lot uniqueness (product, name, company) is a Python check (_check_unique_lot), so two
        transactions creating the same name at the same moment both pass it. Every lot creation takes this
        lock first: a real (no-op) update of the product rows, in id order. Of two concurrent transactions,
        the second waits for the first and then, if the first committed, fails with a serialization error
        (PostgreSQL's repeatable read: the row changed since its snapshot); Odoo retries the request, and
        the retry sees the first one's lots: it reuses them or reports the name (Odoo's own checks, e.g.
        "The combination of lot/serial number and product must be unique ..."). Batch production takes the
        same lock. An advisory lock would not do: the second transaction would then go on with a snapshot
        that misses the first one's lots."""
        ids = sorted({product_id for product_id in products._ids if is_id(product_id)})  # no NewId (onchange)
        if not ids:
            return
        self.env.cr.execute(
            """UPDATE product_product SET write_date = write_date
                WHERE id IN (SELECT id FROM product_product WHERE id = ANY(%s) ORDER BY id FOR UPDATE)""",
            [ids],
        )

    @api.model
    def _lst_get_or_create(self, product, names, company, lot_company=True, move_lines=None):
        """{name: lot} for `names` of `product`: the lots `company` uses (its own and shared ones), and
        new lots for the other names. The module's one lot factory: set_lot_names, the capture on a
        delivery, Change Tracking and batch production create their lots here, in one create;
        create() takes the per-product lock and applies the name checks (length, NUL, printable under a
        rule) and Unique Across Products.

        A new lot's values come from Odoo's stock.move.line._prepare_new_lot_vals when a move line of
        `move_lines` carries that name (as Odoo's _create_and_assign_production_lot does, so the modules
        extending that hook, e.g. product_expiry's dates, keep working); otherwise the lot belongs to
        `company` (with `lot_company` False to no company, as Odoo does for products without one)."""
        names = list(dict.fromkeys(names))
        lots = {
            lot.name: lot
            for lot in self.search(
                [("product_id", "=", product.id), ("name", "in", names), ("company_id", "in", [False, company.id])]
            )
        }
        missing = [name for name in names if name not in lots]
        if missing:
            line_of = {}
            for line in move_lines or ():
                line_of.setdefault(line.lot_name, line)
            default = {"product_id": product.id}
            if lot_company:
                default["company_id"] = company.id
            vals_list = [
                line_of[name]._prepare_new_lot_vals() if name in line_of else dict(default, name=name)
                for name in missing
            ]
            lots.update({lot.name: lot for lot in self.create(vals_list)})
        return lots

    def _lst_advance_rule_sequences(self):
        """Move a rule's "next number" past the names it proposed once they are used: when one of the
        new lots is the rule's next name (generated by Generate Serials, the MO "+" button, Batch
        Production, Change Tracking, or typed as proposed), the counter goes to the next free name.
        A name typed further ahead (CHAIR-00100 while the next is CHAIR-00008) leaves it where it is:
        the numbers in between stay available, and that name is skipped when the counter reaches it."""
        numbers = defaultdict(lambda: defaultdict(set))  # rule -> product -> numbers of the new names
        for lot in self:
            rule = lot.product_id.product_tmpl_id._lst_active_rule()
            if not rule:
                continue
            number = rule._lst_number_of(lot.name)
            if number is not None:
                numbers[rule][lot.product_id].add(number)
        for rule, by_product in numbers.items():
            start = rule.lot_number_next or 1
            number_next = max(
                (rule._lst_first_free_number(product, start) for product, used in by_product.items() if start in used),
                default=None,
            )
            if number_next:
                rule._lst_bump_sequence(number_next)

    @api.constrains("name", "product_id", "company_id")
    def _check_unique_across_products(self):
        """Under a rule with "Unique Across Products", a name may exist on one product only."""
        concerned = self.filtered(lambda lot: lot.product_id.effective_tracking_rule_id)
        if not concerned:
            return
        others = (
            self.sudo().search(
                [
                    ("name", "in", list(set(concerned.mapped("name")))),
                    ("id", "not in", concerned.ids),
                ]
            )
            | concerned.sudo()
        )
        by_name = defaultdict(lambda: self.browse())
        for lot in others:
            by_name[lot.name] |= lot
        problems = []
        for lot in concerned:
            clash = by_name[lot.name].filtered(
                lambda o, lot=lot: o.product_id != lot.product_id
                and (not o.company_id or not lot.company_id or o.company_id == lot.company_id)
                and (
                    lot.product_id.effective_tracking_rule_id.unique_across_products
                    or o.product_id.effective_tracking_rule_id.unique_across_products
                )
            )
            if clash:
                # only what the user may see: another company's lot or product is not named
                seen = lst_visible(clash.product_id & lst_visible(clash).product_id)
                others = seen.mapped("display_name")
                if clash.product_id - seen:
                    others.append(_("another product"))
                problems.append(
                    _(
                        "- %(name)s (%(product)s) is already used by %(other)s",
                        name=lot.name,
                        product=lot.product_id.display_name,
                        other=", ".join(others),
                    )
                )
        if problems:
            raise ValidationError(
                _(
                    "These lot/serial numbers must be unique across products (tracking rule "
                    '"Unique Across Products"); choose other names:\n%s',
                    "\n".join(problems),
                )
            )
