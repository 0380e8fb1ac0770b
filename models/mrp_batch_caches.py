# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Per-MO lookups that batch production repeats for hundreds of identical MOs, answered once per batch.
Each cache lives in a ServerState of the context set by the batch engine (models/mrp_production_batch.py):
a client sending the same keys gets Odoo's own lookups."""

from collections import defaultdict

from odoo import api, models

from .lst_guards import server_state


class MrpBom(models.Model):
    _inherit = "mrp.bom"

    @api.model
    def _bom_find(self, products, picking_type=None, company_id=False, bom_type=False):
        """Producing a batch checks each MO's consumption (Odoo's _get_consumption_issues explodes the
        BoM, which looks for a BoM of every component: one search per MO). Within a batch (context key
        `lst_bom_find_cache`), the answer for the same products, operation type, company and type is reused;
        BoMs are not written meanwhile."""
        cache = server_state(self.env, "lst_bom_find_cache")
        if cache is None:
            return super()._bom_find(products, picking_type=picking_type, company_id=company_id, bom_type=bom_type)
        key = (
            self.env.uid,
            self.env.su,
            self.env.context.get("company_id"),
            tuple(products.ids),
            picking_type.id if picking_type else None,
            company_id.id if isinstance(company_id, models.BaseModel) else company_id,
            bom_type,
        )
        if key not in cache:
            found = super()._bom_find(products, picking_type=picking_type, company_id=company_id, bom_type=bom_type)
            cache[key] = [(product.id, bom.id) for product, bom in found.items()]
        result = defaultdict(lambda: self.env["mrp.bom"])
        for product_id, bom_id in cache[key]:
            result[self.env["product.product"].browse(product_id)] = self.browse(bom_id)
        return result


class StockMove(models.Model):
    _inherit = "stock.move"

    def _get_backorder_move_vals(self):
        """Batch production splits an MO into hundreds: Odoo's create of the new moves then reads
        `scrapped` (the domain of move_raw_ids / move_finished_ids) of each MO's new moves, one query per
        MO and side. The new move has the same destination as this one, so the same value: given here
        within a batch (ServerState `lst_batch_quants`), it is stored as Odoo would compute it."""
        vals = super()._get_backorder_move_vals()
        if server_state(self.env, "lst_batch_quants"):
            vals["scrapped"] = self.scrapped
        return vals

    def _trigger_assign(self):
        """Odoo's _trigger_assign (stock/models/stock_move.py) ORs one (product, destination) domain per done
        move: closing a batch of 10,000 MOs sends PostgreSQL 10,000 nested ORs of the same pair, which it refuses
        ("memory exhausted" while parsing). One move per distinct (product, destination) gives the same domain,
        hence the same moves to reserve."""
        firsts = {}
        for move in self:
            firsts.setdefault((move.product_id.id, move.location_dest_id.id), move.id)
        if len(firsts) == len(self):
            return super()._trigger_assign()
        return super(StockMove, self.browse(list(firsts.values())))._trigger_assign()
