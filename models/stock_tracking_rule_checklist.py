# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The setup checklist of the practical guide, as live checks (issue 15).

`stock.tracking.rule.get_checklist()` runs every check in a fixed number of grouped SQL queries (four,
whatever the number of products, quants or lots) over the records of the companies of the environment
(``env.companies``: the allowed companies of the user's session), never another company's.
Each check returns its count, the first _lst_checklist_limit (1,000) offending record ids (to open them)
and, where the fix is one action, what that action opens or does."""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

MAX_OPEN_IDS = 1000  # records an "Open" shows at most (the count says how many there are)
EPSILON = 1e-6  # quantities below this are zero (quant quantities are rounded to their UoM by Odoo)
# serials_created_at_shipping: a serial product is flagged when more than half of its serials (and at
# least this many) were created on the delivery that shipped them
MIN_SERIALS_AT_SHIPPING = 3
CHECK_CODES = (
    "lots_disabled",
    "tracked_without_rule",
    "stock_without_numbers",
    "expiry_without_fefo",
    "lots_without_expiry",
    "expired_in_stock",
    "serials_created_at_shipping",
    "lot_names_shared",
)


def _ids(values):
    return [i for i in (values or []) if i]


class StockTrackingRule(models.Model):
    _inherit = "stock.tracking.rule"
    _lst_checklist_limit = MAX_OPEN_IDS

    # ------------------------------------------------------------ public API
    @api.model
    def get_checklist(self):
        """The traceability checklist of the user's allowed companies: a list of dicts, one per check, in a
        fixed order, each with: ``code``, ``title``, ``count`` (offending records), ``ok`` (count is 0),
        ``how_to_fix`` (text), ``res_model`` and ``res_ids`` (the offending records, at most 1,000: open
        them with the domain ``[("id", "in", res_ids)]``), ``fix_label`` (False when the fix is not one action),
        ``fix_model`` and ``fix_ids`` (records the fix opens) or ``fix_method`` (a method of
        stock.traceability.checklist that does it). Inventory Administrators only."""
        self._lst_check_checklist_access()
        data = self._lst_checklist_data()
        return [self._lst_checklist_line(code, data) for code in CHECK_CODES]

    def _lst_check_checklist_access(self):
        if not self.env.su and not self.env.user.has_group("stock.group_stock_manager"):
            raise AccessError(
                _(
                    "Only Inventory Administrators can run the traceability checklist (it reads the whole stock "
                    "of your companies)."
                )
            )

    # ------------------------------------------------------------ the queries
    def _lst_checklist_params(self):
        return {
            "companies": list(self.env.companies.ids),
            "limit": self._lst_checklist_limit,
            "eps": EPSILON,
            "now": fields.Datetime.now(),
        }

    def _lst_rule_removal_sql(self):
        """The removal method the product's effective rule forces (NULL: none), when the rule has a removal
        strategy (the shelf-life fields of issue 15): it wins over the category's and the location's, as in
        stock.quant._get_removal_strategy with the module."""
        if "removal_strategy_id" not in self._fields:
            return SQL("NULL::varchar")
        return SQL(
            "(SELECT rr.method->>'en_US' FROM stock_tracking_rule r"
            " JOIN product_removal rr ON rr.id = r.removal_strategy_id"
            " WHERE r.id = pt.effective_tracking_rule_id AND r.active)"
        )

    def _lst_checklist_data(self):
        self.env.flush_all()  # the queries read the tables: pending ORM writes first
        cr = self.env.cr
        p = self._lst_checklist_params()
        xmlid_to_id = self.env["ir.model.data"]._xmlid_to_res_id  # cached, without env.ref's exists() query
        group_user = xmlid_to_id("base.group_user")
        group_lot = xmlid_to_id("stock.group_production_lot")
        data = {}
        # 1. products: the Lots & Serial Numbers setting, rules, hand-tracked products, and the removal
        # strategy of products using expiration dates. Effective removal strategy as in Odoo's
        # stock.quant._get_removal_strategy (stock/models/stock_quant.py, lines 637-647 of Odoo 18.0; checked by
        # tests/test_odoo_copies.py and TestChecklistRemovalLikeOdoo): the product category's, else the
        # nearest location (itself, then its parents) with one, else FIFO; evaluated at every warehouse stock
        # location of the product's companies and at every internal location holding its stock.
        cr.execute(
            SQL(
                """
            WITH tmpl AS (
                SELECT pt.id, pt.company_id, pt.tracking, pt.categ_id, pt.effective_tracking_rule_id,
                       pt.use_expiration_date,
                       r.id IS NOT NULL AND r.active AS ruled,
                       COALESCE(%(rule_method)s, cr.method->>'en_US') AS forced_method
                  FROM product_template pt
                  LEFT JOIN stock_tracking_rule r ON r.id = pt.effective_tracking_rule_id
                  LEFT JOIN product_category c ON c.id = pt.categ_id
                  LEFT JOIN product_removal cr ON cr.id = c.removal_strategy_id
                 WHERE pt.active AND pt.is_storable
                   AND (pt.company_id IS NULL OR pt.company_id = ANY(%(companies)s))
            ),
            expiry AS (SELECT * FROM tmpl WHERE use_expiration_date),
            loc_method AS (
                SELECT DISTINCT ON (l.id) l.id AS location_id, pr.method->>'en_US' AS method
                  FROM stock_location l
                  JOIN stock_location a ON a.removal_strategy_id IS NOT NULL
                                       AND starts_with(l.parent_path, a.parent_path)
                  JOIN product_removal pr ON pr.id = a.removal_strategy_id
                 WHERE l.usage = 'internal'
                 ORDER BY l.id, length(a.parent_path) DESC
            ),
            from_where AS (
                SELECT e.id AS tmpl_id, w.lot_stock_id AS location_id
                  FROM expiry e
                  JOIN stock_warehouse w ON w.active AND w.company_id = ANY(%(companies)s)
                                        AND (e.company_id IS NULL OR w.company_id = e.company_id)
                 WHERE e.forced_method IS NULL
                UNION
                SELECT pp.product_tmpl_id, q.location_id
                  FROM stock_quant q
                  JOIN product_product pp ON pp.id = q.product_id
                  JOIN stock_location l ON l.id = q.location_id AND l.usage = 'internal'
                 WHERE q.company_id = ANY(%(companies)s) AND q.quantity > %(eps)s
                   AND pp.product_tmpl_id IN (SELECT id FROM expiry WHERE forced_method IS NULL)
            ),
            not_fefo_where AS (
                SELECT f.tmpl_id FROM from_where f LEFT JOIN loc_method lm ON lm.location_id = f.location_id
                 GROUP BY f.tmpl_id
                HAVING bool_or(COALESCE(lm.method, 'fifo') <> 'fefo')
            ),
            not_fefo AS (
                SELECT id, categ_id, effective_tracking_rule_id FROM expiry WHERE forced_method <> 'fefo'
                UNION ALL
                SELECT e.id, e.categ_id, e.effective_tracking_rule_id
                  FROM expiry e JOIN not_fefo_where nw ON nw.tmpl_id = e.id
                 WHERE e.forced_method IS NULL
            )
            SELECT
                EXISTS (SELECT 1 FROM res_groups_implied_rel WHERE gid = %(group_user)s AND hid = %(group_lot)s),
                (SELECT array_agg(id ORDER BY id) FROM stock_tracking_rule
                  WHERE active AND (company_id IS NULL OR company_id = ANY(%(companies)s))),
                (SELECT count(*) FROM tmpl WHERE tracking <> 'none'),
                (SELECT (array_agg(id ORDER BY id))[1:%(limit)s] FROM tmpl WHERE tracking <> 'none'),
                (SELECT count(*) FROM tmpl WHERE tracking <> 'none' AND NOT ruled),
                (SELECT (array_agg(id ORDER BY id))[1:%(limit)s] FROM tmpl WHERE tracking <> 'none' AND NOT ruled),
                (SELECT count(*) FROM not_fefo),
                (SELECT (array_agg(id ORDER BY id))[1:%(limit)s] FROM not_fefo),
                (SELECT array_agg(DISTINCT categ_id) FROM not_fefo),
                (SELECT array_agg(DISTINCT effective_tracking_rule_id) FROM not_fefo)
            """,
                rule_method=self._lst_rule_removal_sql(),
                group_user=group_user,
                group_lot=group_lot,
                **p,
            )
        )
        row = cr.fetchone()
        data["lots_enabled"] = row[0]
        data["rule_ids"] = _ids(row[1])
        data["tracked"] = (row[2], _ids(row[3]))
        data["tracked_without_rule"] = (row[4], _ids(row[5]))
        data["expiry_without_fefo"] = (row[6], _ids(row[7]))
        data["expiry_without_fefo_fix"] = (_ids(row[8]), _ids(row[9]))

        # 2. quants of internal locations: stock without numbers, lots without (or past) their expiration date
        cr.execute(
            SQL(
                """
            WITH q AS (
                SELECT q.id, q.lot_id, pt.use_expiration_date, lot.expiration_date,
                       q.quantity > %(eps)s AS positive,
                       pt.tracking <> 'none' AND pt.tracking_capture <> 'delivery_only' AND (
                           (q.lot_id IS NULL AND abs(q.quantity) > %(eps)s)
                        OR (pt.tracking = 'serial' AND q.lot_id IS NOT NULL
                            AND abs(q.quantity) > %(eps)s AND abs(q.quantity - 1) > %(eps)s)
                        OR (pt.tracking = 'lot' AND q.lot_id IS NOT NULL AND q.quantity < -%(eps)s)
                       ) AS without_numbers
                  FROM stock_quant q
                  JOIN stock_location l ON l.id = q.location_id AND l.usage = 'internal'
                  JOIN product_product pp ON pp.id = q.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  LEFT JOIN stock_lot lot ON lot.id = q.lot_id
                 WHERE q.company_id = ANY(%(companies)s)
                   AND (pt.company_id IS NULL OR pt.company_id = ANY(%(companies)s))
            )
            SELECT
                count(*) FILTER (WHERE without_numbers),
                (array_agg(id ORDER BY id) FILTER (WHERE without_numbers))[1:%(limit)s],
                count(DISTINCT lot_id) FILTER (WHERE positive AND use_expiration_date AND expiration_date IS NULL),
                (array_agg(DISTINCT lot_id)
                    FILTER (WHERE positive AND use_expiration_date AND expiration_date IS NULL))[1:%(limit)s],
                count(DISTINCT lot_id) FILTER (WHERE positive AND expiration_date < %(now)s),
                (array_agg(DISTINCT lot_id) FILTER (WHERE positive AND expiration_date < %(now)s))[1:%(limit)s]
              FROM q
            """,
                **p,
            )
        )
        row = cr.fetchone()
        data["stock_without_numbers"] = (row[0], _ids(row[1]))
        data["lots_without_expiry"] = (row[2], _ids(row[3]))
        data["expired_in_stock"] = (row[4], _ids(row[5]))

        # 3. serials created on the delivery that shipped them: the first done move line of the serial goes
        # from an internal location to a customer (Odoo creates the lot typed on that line when it is done)
        cr.execute(
            SQL(
                """
            WITH first_line AS (
                SELECT DISTINCT ON (ml.lot_id) ml.lot_id, pt.id AS tmpl_id, pt.effective_tracking_rule_id,
                       src.usage = 'internal' AND dst.usage = 'customer' AS at_shipping
                  FROM stock_move_line ml
                  JOIN product_product pp ON pp.id = ml.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN stock_location src ON src.id = ml.location_id
                  JOIN stock_location dst ON dst.id = ml.location_dest_id
                 WHERE ml.state = 'done' AND ml.lot_id IS NOT NULL AND ml.company_id = ANY(%(companies)s)
                   AND pt.tracking = 'serial' AND pt.tracking_capture <> 'delivery_only' AND pt.active
                   AND (pt.company_id IS NULL OR pt.company_id = ANY(%(companies)s))
                 ORDER BY ml.lot_id, ml.date, ml.id
            ),
            flagged AS (
                SELECT tmpl_id, max(effective_tracking_rule_id) AS rule_id
                  FROM first_line
                 GROUP BY tmpl_id
                HAVING count(*) FILTER (WHERE at_shipping) >= %(min_serials)s
                   AND 2 * count(*) FILTER (WHERE at_shipping) > count(*)
            )
            SELECT count(*), (array_agg(tmpl_id ORDER BY tmpl_id))[1:%(limit)s], array_agg(DISTINCT rule_id)
              FROM flagged
            """,
                min_serials=MIN_SERIALS_AT_SHIPPING,
                **p,
            )
        )
        row = cr.fetchone()
        data["serials_created_at_shipping"] = (row[0], _ids(row[1]))
        data["serials_created_at_shipping_fix"] = _ids(row[2])

        # 4. one lot name on several products of a company, not all of them under a Unique Across Products rule
        # (the module's constraint refuses a new shared name under such a rule; Odoo allows it otherwise)
        cr.execute(
            SQL(
                """
            WITH names AS (  -- names on two products or more: a hash aggregate over the lots alone
                SELECT name, company_id FROM stock_lot
                 WHERE company_id IS NULL OR company_id = ANY(%(companies)s)
                 GROUP BY name, company_id
                HAVING min(product_id) <> max(product_id)
            ),
            lots AS (
                SELECT lot.id, lot.name, lot.company_id, lot.product_id, pt.effective_tracking_rule_id,
                       COALESCE(r.active AND r.unique_across_products, false) AS unique_rule
                  FROM names
                  JOIN stock_lot lot ON lot.name = names.name AND lot.company_id IS NOT DISTINCT FROM names.company_id
                  JOIN product_product pp ON pp.id = lot.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  LEFT JOIN stock_tracking_rule r ON r.id = pt.effective_tracking_rule_id
                 WHERE pt.company_id IS NULL OR pt.company_id = ANY(%(companies)s)
            ),
            shared AS (
                SELECT name, company_id FROM lots
                 GROUP BY name, company_id
                HAVING count(DISTINCT product_id) > 1 AND bool_or(NOT unique_rule)
            )
            SELECT count(*), (array_agg(lots.id ORDER BY lots.id))[1:%(limit)s],
                   array_agg(DISTINCT lots.effective_tracking_rule_id)
              FROM lots
              JOIN shared ON shared.name = lots.name AND shared.company_id IS NOT DISTINCT FROM lots.company_id
            """,
                **p,
            )
        )
        row = cr.fetchone()
        data["lot_names_shared"] = (row[0], _ids(row[1]))
        data["lot_names_shared_fix"] = _ids(row[2])
        return data

    # ------------------------------------------------------------ the lines
    def _lst_checklist_line(self, code, data):
        line = {
            "code": code,
            "fix_label": False,
            "fix_model": False,
            "fix_ids": [],
            "fix_method": False,
        }
        if code == "lots_disabled":
            tracked_count, tracked_ids = data["tracked"]
            rules = data["rule_ids"]
            off = not data["lots_enabled"] and bool(rules or tracked_count)
            count = (len(rules) + tracked_count) if off else 0
            line.update(
                title=_("Lots & Serial Numbers is on (tracking rules and tracked products need it)"),
                how_to_fix=_(
                    "Inventory > Configuration > Settings > Traceability: tick Lots & Serial Numbers and save "
                    "(an administrator's right). Without it no one can enter a lot or serial number on a receipt "
                    "or a delivery of the tracked products."
                ),
                count=count,
                res_model="product.template" if tracked_count else "stock.tracking.rule",
                res_ids=(tracked_ids if tracked_count else rules[: self._lst_checklist_limit]) if off else [],
            )
            if off:
                line.update(fix_label=_("Enable Lots & Serial Numbers"), fix_method="action_enable_lots")
        elif code == "tracked_without_rule":
            count, ids = data[code]
            line.update(
                title=_("Tracked products follow a tracking rule"),
                how_to_fix=_(
                    "These products are tracked by hand. Give their category (or each product) a tracking rule, "
                    "so that tracking, capture and numbering are one policy; create the rule in Inventory > "
                    "Configuration > Tracking Rules."
                ),
                count=count,
                res_model="product.template",
                res_ids=ids,
            )
            if count:
                line.update(fix_label=_("Tracking Rules"), fix_model="stock.tracking.rule", fix_ids=data["rule_ids"])
        elif code == "stock_without_numbers":
            count, ids = data[code]
            line.update(
                title=_("Stock of tracked products has its lots/serial numbers"),
                how_to_fix=_(
                    "These quants of tracked products (captured at every operation) have no lot/serial number, "
                    "a serial with a quantity other than 1, or a negative lot quantity. Correct them with an "
                    "inventory adjustment (count the stock with its numbers), or convert the product with "
                    "Change Tracking on its form."
                ),
                count=count,
                res_model="stock.quant",
                res_ids=ids,
            )
        elif code == "expiry_without_fefo":
            count, ids = data[code]
            categ_ids, rule_ids = data["expiry_without_fefo_fix"]
            by_rule = "removal_strategy_id" in self._fields
            line.update(
                title=_("Products with expiration dates ship first-expiry-first-out (FEFO)"),
                how_to_fix=(
                    _(
                        "These products use expiration dates but Odoo removes their stock by another strategy "
                        "(FIFO by default), so a lot expiring sooner can stay on the shelf. Set FEFO as the removal "
                        "strategy of their tracking rule, or as the Force Removal Strategy of their category."
                    )
                    if by_rule
                    else _(
                        "These products use expiration dates but Odoo removes their stock by another strategy "
                        "(FIFO by default), so a lot expiring sooner can stay on the shelf. Set FEFO as the Force "
                        "Removal Strategy of their category (or the Removal Strategy of their stock locations)."
                    )
                ),
                count=count,
                res_model="product.template",
                res_ids=ids,
            )
            if count and by_rule and rule_ids:
                line.update(fix_label=_("Open their Rules"), fix_model="stock.tracking.rule", fix_ids=rule_ids)
            elif count and categ_ids:
                line.update(fix_label=_("Open their Categories"), fix_model="product.category", fix_ids=categ_ids)
        elif code == "lots_without_expiry":
            count, ids = data[code]
            line.update(
                title=_("Lots in stock of products with expiration dates have an expiration date"),
                how_to_fix=_(
                    "Open each lot and set its Expiration Date (the dates of the label): without one, FEFO ships it "
                    "last and no alert is raised."
                ),
                count=count,
                res_model="stock.lot",
                res_ids=ids,
            )
        elif code == "expired_in_stock":
            count, ids = data[code]
            line.update(
                title=_("No expired lot is left in stock"),
                how_to_fix=_(
                    "These lots are past their expiration date and still in internal locations: scrap them, "
                    "return them to the vendor, or move them to a quarantine location."
                ),
                count=count,
                res_model="stock.lot",
                res_ids=ids,
            )
        elif code == "serials_created_at_shipping":
            count, ids = data[code]
            rule_ids = data["serials_created_at_shipping_fix"]
            line.update(
                title=_("Serial numbers are not invented at shipping"),
                how_to_fix=_(
                    "Most serials of these products were created on the delivery that shipped them: the sign of "
                    "numbers typed to get the goods out. If the per-unit trace matters only at the customer, make "
                    "their rule capture At Delivery Only; if the batch is enough, track By Lots."
                ),
                count=count,
                res_model="product.template",
                res_ids=ids,
            )
            if count:
                line.update(
                    fix_label=_("Open their Rules") if rule_ids else _("Tracking Rules"),
                    fix_model="stock.tracking.rule",
                    fix_ids=rule_ids or data["rule_ids"],
                )
        elif code == "lot_names_shared":
            count, ids = data[code]
            rule_ids = data["lot_names_shared_fix"]
            line.update(
                title=_("Lot names are not shared between products"),
                how_to_fix=_(
                    "The same lot/serial name is used on several products: a number scanned alone (a barcode, a "
                    "recall call) does not say which product it is. Rename the lots, and tick Unique Across Products "
                    "on their tracking rule so it cannot happen again."
                ),
                count=count,
                res_model="stock.lot",
                res_ids=ids,
            )
            if count and rule_ids:
                line.update(fix_label=_("Open their Rules"), fix_model="stock.tracking.rule", fix_ids=rule_ids)
        line["ok"] = not line["count"]
        line["fix_ids"] = line["fix_ids"][: self._lst_checklist_limit]
        return line
