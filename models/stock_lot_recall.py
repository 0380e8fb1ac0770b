# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.tools import SQL, float_compare, float_is_zero

from .lst_company_guard import lst_visible
from .lst_guards import check_record_ids

# The recall list opens with its customer groups unfolded up to this many customers (the web client
# loads each open group with its own request); beyond, the groups stay folded.
RECALL_EXPAND_MAX_CUSTOMERS = 50

# Every lot a recalled lot reached through manufacturing orders, several levels deep, as edges
# (root lot, reached lot, parent lot, MO). A component line of an MO is linked to the MO's finished
# lines by stock_move_line_consume_rel (finished.consume_line_ids: column consume_line_id holds the
# FINISHED line, produce_line_id the COMPONENT line; see mrp_production._post_inventory). Only
# consumption -> production of the same MO is followed: unbuild orders reuse the same relation the
# other way round (finished -> recovered components) and must not turn a recall upstream.
# UNION (not UNION ALL) drops rows already found, which stops cycles and diamond-shaped histories.
_REACH_SQL = """
WITH RECURSIVE reach(root_lot_id, lot_id, parent_lot_id, production_id) AS (
    SELECT lot.id, lot.id, NULL::int4, NULL::int4
      FROM stock_lot lot
     WHERE lot.id = ANY(%(lot_ids)s)
    UNION
    SELECT reach.root_lot_id, fml.lot_id, reach.lot_id, cm.raw_material_production_id
      FROM reach
      JOIN stock_move_line cml ON cml.lot_id = reach.lot_id AND cml.state = 'done'
      JOIN stock_move cm ON cm.id = cml.move_id AND cm.raw_material_production_id IS NOT NULL
      JOIN stock_move_line_consume_rel rel ON rel.produce_line_id = cml.id
      JOIN stock_move_line fml ON fml.id = rel.consume_line_id AND fml.state = 'done'
                              AND fml.lot_id IS NOT NULL AND fml.lot_id <> reach.lot_id
      JOIN stock_move fm ON fm.id = fml.move_id AND fm.production_id = cm.raw_material_production_id
)
SELECT reach.root_lot_id, reach.lot_id, reach.parent_lot_id, reach.production_id, lot.name, mo.name
  FROM reach
  JOIN stock_lot lot ON lot.id = reach.lot_id
  LEFT JOIN mrp_production mo ON mo.id = reach.production_id
"""

# Done move lines of those lots that went from a non-customer location to a customer location,
# one row per (move, lot): several lines of one move (several source locations) are one delivery.
_DELIVERY_SQL = """
SELECT ml.move_id, ml.lot_id, ml.product_id, ml.picking_id,
       COALESCE(picking.partner_id, move.partner_id) AS partner_id, partner.commercial_partner_id,
       ml.company_id, MAX(ml.date) AS date, SUM(ml.quantity_product_uom) AS quantity, tmpl.uom_id
  FROM stock_move_line ml
  JOIN stock_move move ON move.id = ml.move_id
  JOIN stock_location src ON src.id = ml.location_id AND src.usage <> 'customer'
  JOIN stock_location dst ON dst.id = ml.location_dest_id AND dst.usage = 'customer'
  JOIN product_product product ON product.id = ml.product_id
  JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
  LEFT JOIN stock_picking picking ON picking.id = ml.picking_id
  LEFT JOIN res_partner partner ON partner.id = COALESCE(picking.partner_id, move.partner_id)
 WHERE ml.lot_id = ANY(%(lot_ids)s) AND ml.state = 'done' AND ml.company_id = ANY(%(company_ids)s)
 GROUP BY ml.move_id, ml.lot_id, ml.product_id, ml.picking_id, picking.partner_id, move.partner_id,
          partner.commercial_partner_id, ml.company_id, tmpl.uom_id
"""

# Done move lines of those lots coming back from a customer location, with the delivery move they
# return (set by Odoo's return wizard) or, for a plain receipt from a customer, the customer
# (commercial partner: the return may come from another contact of the same customer).
_RETURN_SQL = """
SELECT move.origin_returned_move_id, ml.lot_id, partner.commercial_partner_id, SUM(ml.quantity_product_uom)
  FROM stock_move_line ml
  JOIN stock_move move ON move.id = ml.move_id
  JOIN stock_location src ON src.id = ml.location_id AND src.usage = 'customer'
  JOIN stock_location dst ON dst.id = ml.location_dest_id AND dst.usage <> 'customer'
  LEFT JOIN stock_picking picking ON picking.id = ml.picking_id
  LEFT JOIN res_partner partner ON partner.id = COALESCE(picking.partner_id, move.partner_id)
 WHERE ml.lot_id = ANY(%(lot_ids)s) AND ml.state = 'done' AND ml.company_id = ANY(%(company_ids)s)
 GROUP BY move.origin_returned_move_id, ml.lot_id, partner.commercial_partner_id
"""


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    # Odoo 18 indexes stock_move_line by move, picking, product and company, not by lot: every query of the
    # recall starts from lots (the MO trail, the deliveries, the returns), and so do holding a lot (its open
    # reservations) and a case's figures. Without it each of them reads the whole table (bench_recall.py,
    # 1,000,000 move lines: the MO trail 1.27 s -> 0.006 s, a case 3.5 s -> see README). Lines without a
    # lot (untracked products) stay out of the index (btree_not_null), which keeps it small and its cost
    # on move line writes that of one more Many2one index.
    lot_id = fields.Many2one(index="btree_not_null")


class StockLot(models.Model):
    _inherit = "stock.lot"

    # ------------------------------------------------------------------ user actions
    def action_lst_recall(self):
        """Open the recall list of the selected lots/serials (a recall case's Customers button)."""
        check_record_ids(self)
        rows = self._lst_recall_rows()
        lines = self.env["stock.recall.line"]._lst_insert_rows(rows)
        action = self.env["ir.actions.act_window"]._for_xml_id("lot_serial_tracking.stock_recall_line_action")
        names = ", ".join(self[:5].mapped("display_name")) + (", ..." if len(self) > 5 else "")
        title = _("Recall: %s", names)
        customers = len({row["partner_id"] for row in rows})
        action.update(
            name=title,
            display_name=title,
            domain=[("id", "in", lines.ids)],
            context={
                "search_default_group_by_partner": 1,
                "lst_recall_lot_ids": self.ids,
                # the list opens its customer groups (one request per open group): up to a screenful
                "lst_recall_expand": customers <= RECALL_EXPAND_MAX_CUSTOMERS,
            },
        )
        return action

    def action_lst_recall_print(self):
        """The recall list as a PDF, totals per customer."""
        check_record_ids(self)
        return self.env.ref("lot_serial_tracking.stock_recall_line_report_action").report_action(self)

    # ------------------------------------------------------------------ integrator API
    def get_recall_lines(self):
        """Every delivery that sent these lots/serials to a customer, directly or inside finished
        products, net of returns, as XML-RPC-safe dicts (see README, Integrator API)."""
        check_record_ids(self)
        rows = self._lst_recall_rows()
        names = self._lst_recall_names(rows)
        result = []
        for row in rows:
            result.append(
                {
                    "partner_id": row["partner_id"],
                    "partner_name": names["res.partner"].get(row["partner_id"], ""),
                    "picking_id": row["picking_id"],
                    "picking_name": names["stock.picking"].get(row["picking_id"], ""),
                    "product_id": row["product_id"],
                    "product_name": names["product.product"].get(row["product_id"], ""),
                    "lot_id": row["lot_id"],
                    "lot_name": names["stock.lot"].get(row["lot_id"], ""),
                    "delivered_product_id": row["delivered_product_id"],
                    "delivered_product_name": names["product.product"].get(row["delivered_product_id"], ""),
                    "date": row["date"].replace(microsecond=0).isoformat() if row["date"] else False,
                    "quantity": row["quantity"],
                    "returned_quantity": row["returned_qty"],
                    "net_quantity": row["net_qty"],
                    "uom_name": names["uom.uom"].get(row["product_uom_id"], ""),
                    "state": row["state"],
                    "via_lot_id": row["via_lot_id"],
                    "via_lot_name": names["stock.lot"].get(row["via_lot_id"], False),
                    "via_production_id": row["via_production_id"],
                    "via_production_name": names["mrp.production"].get(row["via_production_id"], False),
                    "via_path": row["via_path"] or False,
                    "company_id": row["company_id"],
                }
            )
        result.sort(key=lambda r: (r["partner_name"].lower(), r["date"] or "", r["picking_name"], r["lot_name"]))
        return result

    def _lst_recall_report_groups(self):
        """Rows of the PDF: one group per customer with its contact details, its lines and one total
        per unit (quantities of different units are not added up)."""
        groups = {}
        for line in self.get_recall_lines():
            group = groups.setdefault(
                line["partner_id"],
                {
                    **self._lst_recall_contact(line["partner_id"]),
                    "partner_name": line["partner_name"] or _("(no customer)"),
                    "lines": [],
                    "totals": {},
                },
            )
            group["lines"].append(line)
            total = group["totals"].setdefault(
                line["uom_name"],
                {"uom_name": line["uom_name"], "quantity": 0.0, "returned_quantity": 0.0, "net_quantity": 0.0},
            )
            for key in ("quantity", "returned_quantity", "net_quantity"):
                total[key] += line[key]
        for group in groups.values():
            group["totals"] = list(group["totals"].values())
        return list(groups.values())

    @api.model
    def _lst_recall_contact(self, partner_id):
        """Address (one line), phone, mobile and e-mail of a recalled customer; a contact without a
        phone or e-mail of its own gives its company's."""
        partner = self.env["res.partner"].browse(partner_id or [])
        if not partner:
            return {"address": "", "phone": "", "mobile": "", "email": ""}
        company = partner.commercial_partner_id
        lines = partner._display_address(without_company=True).split("\n")
        return {
            "address": ", ".join(part.strip() for part in lines if part.strip()),
            "phone": partner.phone or company.phone or "",
            "mobile": partner.mobile or company.mobile or "",
            "email": partner.email or company.email or "",
        }

    # ------------------------------------------------------------------ computation
    @api.model
    def _lst_recall_names(self, rows):
        """Display names of every record the rows point to: one batch per model, whatever the
        number of rows (the user's own access rights apply)."""
        ids = defaultdict(set)
        for row in rows:
            ids["res.partner"].add(row["partner_id"])
            ids["stock.picking"].add(row["picking_id"])
            ids["product.product"].update((row["product_id"], row["delivered_product_id"]))
            ids["stock.lot"].update((row["lot_id"], row["via_lot_id"]))
            ids["mrp.production"].add(row["via_production_id"])
            ids["uom.uom"].add(row["product_uom_id"])
        names = {}
        for model, model_ids in ids.items():
            records = self.env[model].browse(sorted(i for i in model_ids if i))
            names[model] = {rec.id: rec.display_name for rec in records}
        return names

    def _lst_recall_rows(self):
        """The recall of these lots, set-based: three queries whatever the size of the history.

        One row per (recalled lot, delivery move, delivered lot), as a dict of plain values (ids,
        False when empty) with the columns of ``stock.recall.line``. Deliveries of companies the
        user has not enabled are left out. Returns are netted per row: a return made with Odoo's
        return wizard counts against the move it returns; a plain receipt from a customer location
        counts against that customer's latest deliveries of the lot."""
        self.check_access("read")
        self.env["stock.picking"].check_access("read")
        self.env["stock.move.line"].flush_model()
        self.env["stock.move"].flush_model()
        self.env["stock.picking"].flush_model(["partner_id"])
        if not self:
            return []
        cr = self.env.cr
        cr.execute(SQL(_REACH_SQL, lot_ids=list(self.ids)))
        edges = cr.fetchall()
        parent_of = {}  # (root, lot) -> (parent lot, production id)
        lot_name, mo_name = {}, {}
        roots_of = defaultdict(set)
        for root, lot, parent, production, name, production_name in edges:
            roots_of[lot].add(root)
            lot_name[lot] = name
            if production:
                mo_name[production] = production_name
            if parent is not None and ((root, lot) not in parent_of or parent < parent_of[(root, lot)][0]):
                parent_of[(root, lot)] = (parent, production)

        # the MO trail may cross companies (a shared lot made into another shared lot by company A's MO):
        # lots and MOs the user may not read are not named, and no row points to them
        hidden_mos = set(mo_name) - set(lst_visible(self.env["mrp.production"].browse(list(mo_name))).ids)
        hidden_lots = set(lot_name) - set(lst_visible(self.env["stock.lot"].browse(list(lot_name))).ids)
        mo_name.update(dict.fromkeys(hidden_mos, _("a manufacturing order of another company")))
        lot_name.update(dict.fromkeys(hidden_lots, _("a lot of another company")))

        params = {"lot_ids": list(roots_of), "company_ids": self.env.companies.ids}
        cr.execute(SQL(_DELIVERY_SQL, **params))
        deliveries = cr.dictfetchall()
        returned = self._lst_recall_returned(deliveries, params)

        product_of_root = {lot.id: lot.product_id.id for lot in self}
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        rows = []
        for delivery in deliveries:
            key = (delivery["move_id"], delivery["lot_id"])
            returned_qty = min(returned.get(key, 0.0), delivery["quantity"])
            net_qty = delivery["quantity"] - returned_qty
            if float_is_zero(returned_qty, precision_digits=digits):
                state = "delivered"
            elif float_compare(net_qty, 0.0, precision_digits=digits) <= 0:
                state = "returned"
            else:
                state = "partial"
            for root in sorted(roots_of[delivery["lot_id"]]):
                via_lot, via_production, path = self._lst_recall_via(root, delivery["lot_id"], parent_of)
                rows.append(
                    {
                        "lot_id": root,
                        "product_id": product_of_root[root],
                        "partner_id": delivery["partner_id"] or False,
                        "picking_id": delivery["picking_id"] or False,
                        "move_id": delivery["move_id"],
                        "date": delivery["date"],
                        "delivered_product_id": delivery["product_id"],
                        "via_lot_id": via_lot if via_lot not in hidden_lots else False,
                        "via_production_id": via_production if via_production not in hidden_mos else False,
                        "via_path": " → ".join(
                            f"{lot_name[lot]} ({mo_name[mo]})" if mo else lot_name[lot] for lot, mo in path
                        )
                        or False,
                        "product_uom_id": delivery["uom_id"],
                        "quantity": delivery["quantity"],
                        "returned_qty": returned_qty,
                        "net_qty": net_qty,
                        "state": state,
                        "company_id": delivery["company_id"],
                    }
                )
        return rows

    @api.model
    def _lst_recall_via(self, root, lot, parent_of):
        """(via lot, its MO, [(lot, MO), ...] from the first finished lot to ``lot``) for a lot
        reached from ``root``; (False, False, []) for the root itself."""
        path, seen = [], {lot}
        current = lot
        while current != root and (root, current) in parent_of:
            parent, production = parent_of[(root, current)]
            path.append((current, production or False))
            if parent in seen:  # defensive: the SQL never yields a cycle back to a visited lot
                break
            seen.add(parent)
            current = parent
        if not path:
            return False, False, []
        path.reverse()
        return lot, path[-1][1], path

    @api.model
    def _lst_recall_returned(self, deliveries, params):
        """{(delivery move, lot): quantity returned}, one query. A return beyond what its delivery
        sent, or with no delivery to point at, counts against the same customer's (commercial
        partner's) other deliveries of the lot, latest first."""
        if not deliveries:
            return {}
        lot_ids = list({d["lot_id"] for d in deliveries})
        self.env.cr.execute(SQL(_RETURN_SQL, lot_ids=lot_ids, company_ids=params["company_ids"]))
        by_key = {(d["move_id"], d["lot_id"]): d for d in deliveries}
        returned = defaultdict(float)
        unlinked = defaultdict(float)  # (lot, partner) -> quantity not matched to a delivery move
        for origin_move, lot, partner, qty in self.env.cr.fetchall():
            key = (origin_move, lot)
            if origin_move and key in by_key:
                room = by_key[key]["quantity"] - returned[key]
                taken = min(room, qty)
                returned[key] += taken
                qty -= taken
                partner = by_key[key]["commercial_partner_id"]
            if qty > 0:
                unlinked[(lot, partner)] += qty
        if unlinked:
            latest_first = sorted(deliveries, key=lambda d: d["date"], reverse=True)
            for (lot, partner), qty in unlinked.items():
                for delivery in latest_first:
                    if qty <= 0:
                        break
                    if delivery["lot_id"] != lot or delivery["commercial_partner_id"] != partner:
                        continue
                    key = (delivery["move_id"], lot)
                    taken = min(delivery["quantity"] - returned[key], qty)
                    if taken > 0:
                        returned[key] += taken
                        qty -= taken
        return returned
