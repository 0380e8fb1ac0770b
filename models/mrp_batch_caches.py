# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Per-MO lookups that batch production repeats for hundreds of identical MOs, answered once per batch.
Each cache lives in a ServerState of the context set by the batch engine (models/mrp_production_batch.py):
a client sending the same keys gets Odoo's own lookups."""

from collections import defaultdict

from odoo import api, models

from .lst_guards import ServerState, server_state


def lst_companies_consistent(records, fnames=None):
    """True when Odoo's BaseModel._check_company(fnames) on ``records`` would pass (odoo/models.py lines 4319-4391),
    checked with one filtered_domain per field and company instead of one per record and field; False when it
    might not (then Odoo's own check runs and raises its message). Odoo compares each record's values of the
    company-checked fields with the domain `comodel._check_company_domain(the record's company)` (the
    company-dependent fields with the current company); the values of all the records of one company are
    checked together here."""
    if "company_id" not in records._fields:
        return False
    if fnames is None or {"company_id", "company_ids"} & set(fnames):
        fnames = records._fields
    fields_ = [records._fields[name] for name in fnames]
    fields_ = [field for field in fields_ if field.relational and field.check_company]
    records = records.sudo()
    for field in fields_:
        by_company = defaultdict(list)
        for record in records:
            company = records.env.company if field.company_dependent else record.company_id
            by_company[company].extend(record[field.name]._ids)
        for company, ids in by_company.items():
            corecords = records.env[field.comodel_name].browse(dict.fromkeys(ids))
            if not corecords:
                continue
            domain = corecords._check_company_domain(company)
            if domain and corecords != corecords.with_context(active_test=False).filtered_domain(domain):
                return False
    return True


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


# the values of Odoo's per-MO write closing each MO in button_mark_done (mrp/models/mrp_production.py lines 2070-2076)
CLOSING_KEYS = frozenset({"date_finished", "priority", "is_locked", "state"})
# a batch creating at least this many MOs, moves or move lines at once asks PostgreSQL for fresh plans (lst_replan)
REPLAN_FROM = 100
# recordset unions followed at once within a batch's split (StockMove.__or__)
UNION_CHAINS = 1000


def lst_replan(env):
    """Make PostgreSQL plan this connection's foreign-key checks again (DISCARD PLANS: no lock, no data).

    Every UPDATE of a row inserted in the same transaction checks all the foreign keys of the row again, and a
    batch updates each of its thousands of new moves and move lines several times. PostgreSQL runs those checks
    with plans it keeps per connection, made the first time: if that was while a table was nearly empty (a new
    database, or a table that grows by the batch itself), the kept plan reads the whole table on every check,
    so the batch slows down as it grows. Measured after 10,000 serials: 5.7 ms per move line for the check of
    stock_move_line.move_id with the kept plan, 0.05 ms planned again. Called after the batch's large inserts and
    before each part of its close; the plans are made again on their next use, on the tables as they are."""
    env.cr.execute("DISCARD PLANS")


class LstBatchCompanyCheck(models.AbstractModel):
    """Closing a batch checks the companies of thousands of MOs, moves and move lines: within a batch (ServerState
    `lst_batch_quants`) one check per field and company (lst_companies_consistent), Odoo's own when that one finds
    a mismatch (its message)."""

    _name = "lst.batch.company.check"
    _description = "Company check of a batch, once per field and company"

    def _check_company(self, fnames=None):
        if server_state(self.env, "lst_batch_quants") and lst_companies_consistent(self, fnames):
            return None
        return super()._check_company(fnames)


class LstBatchReplan(models.AbstractModel):
    """Within a batch (ServerState `lst_batch_quants`), fresh PostgreSQL plans after creating REPLAN_FROM records or
    more at once (lst_replan)."""

    _name = "lst.batch.replan"
    _description = "Fresh PostgreSQL plans after a batch's large inserts"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if len(records) >= REPLAN_FROM and server_state(self.env, "lst_batch_quants"):
            lst_replan(self.env)
        return records


class MrpProduction(models.Model):
    _name = "mrp.production"
    _inherit = ["mrp.production", "lst.batch.company.check", "lst.batch.replan"]

    def write(self, vals):
        """Odoo's button_mark_done closes its MOs one write each (date_finished, priority, is_locked, state done): a
        batch of 1,000 MOs makes 1,000 writes of the same values. Within the batch's button_mark_done (ServerState
        `lst_closing_writes`, set by _lst_produce_split), those writes are collected and made by
        _lst_write_closing as one write per set of values, before anything else reads them."""
        pending = server_state(self.env, "lst_closing_writes")
        if pending is not None and len(self) == 1 and vals.keys() == CLOSING_KEYS and vals["state"] == "done":
            key = tuple(sorted((name, value) for name, value in vals.items() if name != "date_finished"))
            pending.setdefault(key, {"date_finished": vals["date_finished"], "ids": []})["ids"].append(self.id)
            return True
        return super().write(vals)

    def _lst_write_closing(self, pending):
        """The closing writes collected by write() above: one per set of values, with the first MO's date_finished
        (Odoo's loop takes the time of each MO's write: the same second, or the next)."""
        for key, entry in pending.items():
            self.browse(entry["ids"])._lst_write_many(dict(key, date_finished=entry["date_finished"]))
        pending.clear()

    def _lst_write_many(self, vals):
        """write(vals) on many MOs of a batch, where `vals` change no work order and no start date: Odoo's write
        then asks whether these MOs have work orders once, not once per MO (_has_workorders)."""
        return self.with_context(lst_has_workorders=ServerState({})).write(vals)

    def _has_workorders(self):
        """Odoo's write asks `self._has_workorders()` once per MO of the write, on all the MOs of the write
        (mrp/models/mrp_production.py line 945: `self`, where `production` was meant), so closing N MOs in one
        write reads the work orders of the N MOs N times: quadratic (one write closing 10,000 MOs: 11 s). Within
        a batch's writes of values that change no work order and no start date (ServerState
        `lst_has_workorders`, set by _lst_write_many: the closing writes, qty_producing), the answer for the same
        recordset is given once per write. (Odoo then only uses it with `date_start` in the values.)"""
        memo = server_state(self.env, "lst_has_workorders")
        if memo is None:
            return super()._has_workorders()
        if memo.get("ids") is not self._ids:
            memo["ids"], memo["result"] = self._ids, super()._has_workorders()
        return memo["result"]


class StockMove(models.Model):
    _name = "stock.move"
    _inherit = ["stock.move", "lst.batch.company.check", "lst.batch.replan"]

    def __or__(self, other):
        """Odoo's _split_productions (mrp/models/mrp_production.py lines 1911-1912) gathers the backorder moves of
        each move one `|=` at a time, and BaseModel.union builds the set of the whole growing recordset each time:
        quadratic in the backorders (10,000 serials: 150 million set insertions, about 5 s). Within the batch's
        split (ServerState `lst_move_unions`), a recordset this method built keeps the set of its ids, so adding
        one move costs one lookup and one tuple copy. The result is the one union() gives: the ids of self in
        order, then the new id unless it is already there. Any other union goes to Odoo's."""
        unions = server_state(self.env, "lst_move_unions")
        if unions is None or not isinstance(other, models.BaseModel) or other._name != self._name or len(other) != 1:
            return super().__or__(other)
        ids = self._ids
        if ids:
            # only a recordset made below (the very same tuple of ids) is known to have no duplicates
            entry = unions.pop(id(ids), None)
            if entry is None or entry[0] is not ids:
                return super().__or__(other)
            seen = entry[1]
        else:
            seen = set()
            if len(unions) > UNION_CHAINS:
                unions.clear()  # a bound: the chains dropped go back to Odoo's union
        new_id = other._ids[0]
        if new_id not in seen:
            seen.add(new_id)
            ids += (new_id,)
        result = self.browse(ids)
        unions[id(ids)] = (ids, seen)
        return result

    def _inverse_picked(self):
        """Odoo's inverse (stock/models/stock_move.py lines 267-269) writes `picked` on each move's lines, one
        write per move: within a batch (ServerState `lst_batch_quants`) the lines of all the moves with the
        same value are written at once."""
        if not server_state(self.env, "lst_batch_quants") or len(self) < 2:
            return super()._inverse_picked()
        for picked in (True, False):
            moves = self.filtered(lambda move, picked=picked: bool(move.picked) == picked)
            if moves.move_line_ids:
                moves.move_line_ids.picked = picked
        return None

    def _get_backorder_move_vals(self):
        """Batch production splits an MO into hundreds: Odoo's create of the new moves then reads
        `scrapped` (the domain of move_raw_ids / move_finished_ids) of each MO's new moves, one query per
        MO and side. The new move has the same destination as this one, so the same value: given here
        within a batch (ServerState `lst_batch_quants`), it is stored as Odoo would compute it."""
        vals = super()._get_backorder_move_vals()
        if server_state(self.env, "lst_batch_quants"):
            vals["scrapped"] = self.scrapped
        return vals

    def _push_apply(self):
        """Odoo's _push_apply (stock/models/stock_move.py lines 1048-1096) looks for a push rule for each done move
        and then rewrites its move_dest_ids even when it has none and no rule applies: a write per move, three per MO
        of a batch. Within a batch (ServerState `lst_push_rule_cache`), when no active push rule leaves the moves'
        destinations or their parent locations (one query), the moves without destination moves are left out:
        Odoo's loop finds no rule for them and changes nothing."""
        if server_state(self.env, "lst_push_rule_cache") is None:
            return super()._push_apply()
        idle = self.filtered(lambda move: not move.move_dest_ids)
        if idle and self.env["stock.rule"].sudo().search_count(
            [("action", "in", ("push", "pull_push")), ("location_src_id", "parent_of", idle.location_dest_id.ids)],
            limit=1,
        ):
            idle = self.browse()
        return super(StockMove, self - idle)._push_apply()

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


class StockMoveLine(models.Model):
    _name = "stock.move.line"
    _inherit = ["stock.move.line", "lst.batch.company.check", "lst.batch.replan"]

    def write(self, vals):
        """Odoo's _split_productions (mrp/models/mrp_production.py lines 1954-1957) gives the finished move's lines,
        one per unit, to the backorder moves one write each. The ORM then removes each line from the cached
        `move_line_ids` of the move it leaves by copying that whole list (fields.Many2one._remove_inverses):
        quadratic in the units (10,000 serials: 50 million steps). Within a batch (ServerState
        `lst_batch_quants`), that cached list is dropped first (the cache only: nothing is flushed or read), so the
        write has nothing to copy; the next read of the list is one query."""
        if "move_id" in vals and server_state(self.env, "lst_batch_quants"):
            moves = self.move_id
            if moves:
                self.env.cache.invalidate([(moves._fields["move_line_ids"], moves._ids)])
        return super().write(vals)
