# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The per-record steps of Odoo that batch production answers once for all its records
(models/mrp_batch_caches.py): they must give Odoo's verdict and result."""

from contextlib import contextmanager
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.models import BaseModel
from odoo.sql_db import Cursor
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from odoo.addons.mrp.models.mrp_production import MrpProduction as OdooMrpProduction

from ..models.lst_guards import ServerState
from ..models.mrp_batch_caches import REPLAN_FROM, lst_companies_consistent
from .test_batch_produce import BatchProduceCommon


@contextmanager
def count_has_workorders():
    """The sizes of the recordsets Odoo's _has_workorders answers for, in order (the list is yielded)."""
    calls = []
    odoo_has_workorders = OdooMrpProduction._has_workorders

    def has_workorders(records):
        calls.append(len(records))
        return odoo_has_workorders(records)

    with patch.object(OdooMrpProduction, "_has_workorders", has_workorders):
        yield calls


@tagged("post_install", "-at_install")
class TestBatchShortcuts(BatchProduceCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_batch_data()
        cls.company_b = cls.env["res.company"].create({"name": "BS Company B"})
        warehouse_b = cls.env["stock.warehouse"].search([("company_id", "=", cls.company_b.id)], limit=1)
        cls.stock_b, cls.out_type_b = warehouse_b.lot_stock_id, warehouse_b.out_type_id

    def _moves(self, count):
        moves = self.env["stock.move"].create(
            [
                {
                    "name": f"BS move {i}",
                    "product_id": self.comp_a.id,
                    "product_uom_qty": 1,
                    "product_uom": self.comp_a.uom_id.id,
                    "location_id": self.stock.id,
                    "location_dest_id": self.customer.id,
                }
                for i in range(count)
            ]
        )
        moves._action_confirm()
        moves._action_assign()
        self.assertEqual(len(moves.move_line_ids), count)
        return moves

    def _break_company(self, table, record, column, value):
        """What a write would refuse: a value of another company, written past the ORM."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL("UPDATE %s SET %s = %s WHERE id = %s", SQL.identifier(table), SQL.identifier(column), value, record.id)
        )
        record.invalidate_recordset()

    def test_company_check_gives_odoos_verdict_and_message(self):
        moves = self._moves(3)
        batch = {"lst_batch_quants": ServerState(True)}
        for records in (moves, moves.move_line_ids):
            self.assertTrue(lst_companies_consistent(records))
            self.assertIsNone(records.with_context(**batch)._check_company())
        self._break_company("stock_move", moves[1], "picking_type_id", self.out_type_b.id)
        self._break_company("stock_move_line", moves[2].move_line_ids, "location_dest_id", self.stock_b.id)
        for records in (moves, moves.move_line_ids):
            self.assertFalse(lst_companies_consistent(records), f"{records._name}: a value of company B")
            with self.assertRaises(UserError) as odoo:
                records._check_company()
            with self.assertRaises(UserError) as in_batch:
                records.with_context(**batch)._check_company()
            self.assertEqual(str(in_batch.exception), str(odoo.exception))
            self.assertIn("belongs to another company", str(in_batch.exception))

    def test_company_check_of_a_client_context_is_odoos(self):
        """A client sending lst_batch_quants (not a ServerState) gets Odoo's check."""
        moves = self._moves(2)
        self._break_company("stock_move", moves[0], "picking_type_id", self.out_type_b.id)
        with self.assertRaises(UserError):
            moves.with_context(lst_batch_quants=True)._check_company()

    def test_picked_written_on_the_lines_of_each_move(self):
        moves = self._moves(4)
        batch = moves.with_context(lst_batch_quants=ServerState(True))
        batch.write({"picked": True})
        self.assertEqual(moves.move_line_ids.mapped("picked"), [True] * 4)
        batch[:2].write({"picked": False})
        self.assertEqual(
            [(ml.move_id.id, ml.picked) for ml in moves.move_line_ids.sorted("move_id")],
            [(m.id, i >= 2) for i, m in enumerate(moves.sorted("id"))],
        )
        # the inverse on a mix of values (an assignment of each move's own value)
        for i, move in enumerate(batch):
            move.picked = i % 2 == 0
        self.assertEqual([m.picked for m in moves], [True, False, True, False])
        self.assertEqual([m.move_line_ids.picked for m in moves], [True, False, True, False])

    def test_closing_values_written_on_every_mo(self):
        """Odoo's per-MO closing write (date_finished, priority, is_locked, state) made once for the batch."""
        mo = self._mo(self.serial_product, 3)
        mo.priority = "1"
        ids = mo.batch_produce(["BS-C1", "BS-C2", "BS-C3"])
        productions = self.env["mrp.production"].browse(ids)
        self.assertEqual(len(productions), 3)
        for production in productions:
            self.assertEqual(
                (production.state, production.is_locked, production.priority), ("done", True, "0"), production.name
            )
            self.assertTrue(production.date_finished)
            self.assertEqual(set(production.move_finished_ids.mapped("date")), {production.date_finished})

    def test_closing_write_asks_for_work_orders_once(self):
        """Odoo's write asks _has_workorders() of all its MOs once per MO (quadratic in one closing write of a batch):
        within the batch's closing writes, once per write, with the same answer; elsewhere, every time."""
        productions = self.env["mrp.production"].browse(
            self._mo(self.serial_product, 3).batch_produce(["BS-W1", "BS-W2", "BS-W3"])
        )
        date_finished = productions[0].date_finished
        pending = {
            (("is_locked", True), ("priority", "0"), ("state", "done")): {
                "date_finished": date_finished,
                "ids": productions.ids,
            }
        }
        with count_has_workorders() as calls:
            productions._lst_write_closing(pending)
            self.assertEqual(calls, [3], "the closing write of the 3 MOs asked once")
            self.assertEqual(set(productions.mapped("date_finished")), {date_finished})
            # a value sent by a client is not the server's: Odoo's answer each time
            calls.clear()
            client = productions.with_context(lst_has_workorders={})
            client._has_workorders()
            client._has_workorders()
            self.assertEqual(calls, [3, 3])
            # within a closing write, a recordset asked once, another one asked again
            calls.clear()
            in_write = productions.with_context(lst_has_workorders=ServerState({}))
            self.assertFalse(in_write._has_workorders())
            self.assertFalse(in_write._has_workorders())
            self.assertFalse(in_write[0]._has_workorders())
            self.assertEqual(calls, [3, 1])

    def test_qty_producing_write_asks_for_work_orders_once(self):
        """The batch's qty_producing write (_lst_prepare_mark_done) is one write of all its MOs: it asks
        _has_workorders() once, where Odoo's write asks once per MO."""
        productions = self.env["mrp.production"].browse(
            self._mo(self.serial_product, 3).batch_produce(["BS-Q1", "BS-Q2", "BS-Q3"], mark_done=False)
        )
        self.assertEqual(productions.mapped("qty_producing"), [0.0, 0.0, 0.0])
        with count_has_workorders() as calls:
            fast = productions._lst_prepare_mark_done()
        self.assertEqual(fast, productions, "all three take the batch's path")
        self.assertEqual(calls, [3], "one write of the 3 MOs asked once")
        self.assertEqual(productions.mapped("qty_producing"), [1.0, 1.0, 1.0])
        self.assertTrue(all(productions.move_raw_ids.mapped("picked")))

    def test_push_rules_still_applied_to_a_batch(self):
        """Moves of a batch skip Odoo's push lookup only when no push rule leaves their destination."""
        shelf = self.env["stock.location"].create({"name": "BS pushed shelf", "location_id": self.stock.id})
        route = self.env["stock.route"].create({"name": "BS push route", "product_selectable": True})
        self.env["stock.rule"].create(
            {
                "name": "BS stock -> shelf",
                "action": "push",
                "route_id": route.id,
                "location_src_id": self.stock.id,
                "location_dest_id": shelf.id,
                "picking_type_id": self.env.ref("stock.picking_type_internal").id,
            }
        )
        self.serial_product.route_ids = [(4, route.id)]
        mo = self._mo(self.serial_product, 2)
        productions = self.env["mrp.production"].browse(mo.batch_produce(["BS-P1", "BS-P2"]))
        pushed = productions.move_finished_ids.move_dest_ids
        self.assertTrue(pushed, "the push rule moved the produced serials on")
        self.assertEqual(sum(pushed.mapped("product_uom_qty")), 2, "both serials (Odoo merges the pushed moves)")
        self.assertEqual(pushed.location_dest_id, shelf)

    def _statements(self, func):
        """The SQL statements `func` sends (observed, then executed as they are)."""
        seen = []
        execute = Cursor.execute

        def record(cr, query, params=None, log_exceptions=True):
            seen.append(query.code if isinstance(query, SQL) else str(query))
            return execute(cr, query, params, log_exceptions)

        with patch.object(Cursor, "execute", record):
            func()
        return seen

    def test_fresh_plans_after_the_large_inserts_of_a_batch(self):
        """A batch of REPLAN_FROM units or more drops PostgreSQL's kept plans (lst_replan) after its large inserts
        and before its close; a smaller batch, and the same creates outside a batch, do not."""
        mo = self._mo(self.serial_product, REPLAN_FROM)
        names = [f"BS-R{n:03d}" for n in range(REPLAN_FROM)]
        seen = self._statements(lambda: mo.batch_produce(names) and self.env.flush_all())
        self.assertEqual(mo.procurement_group_id.mrp_production_ids.mapped("state"), ["done"] * REPLAN_FROM)
        discards = [i for i, query in enumerate(seen) if query == "DISCARD PLANS"]
        first_move_insert = next(i for i, query in enumerate(seen) if 'INSERT INTO "stock_move"' in query)
        closing = next(i for i, query in enumerate(seen) if 'INSERT INTO "stock_move_line_consume_rel"' in query)
        # after the split's moves, its move lines and the lots; then before the close (consumed lines linked)
        self.assertEqual(len(discards), 4)
        self.assertGreater(discards[0], first_move_insert)
        self.assertLess(discards[-1], closing)
        small = self._mo(self.serial_product, 3)
        self.assertNotIn("DISCARD PLANS", self._statements(lambda: small.batch_produce(["BS-R-a", "BS-R-b", "BS-R-c"])))
        self.assertNotIn("DISCARD PLANS", self._statements(lambda: self._moves(REPLAN_FROM)))

    def test_move_unions_in_a_split_give_odoos_union(self):
        """Within a batch's split (lst_move_unions), adding one move at a time gives BaseModel.union's result and
        does not go through it; anything else does."""
        moves = self._moves(6)
        m = [moves[i] for i in range(6)]
        odoo_union = BaseModel.union
        big_unions = []

        def union(records, *args):
            if records._name == "stock.move" and len(records) >= 3:
                big_unions.append(len(records))
            return odoo_union(records, *args)

        split = self.env["stock.move"].with_context(lst_move_unions=ServerState({}))
        with patch.object(BaseModel, "union", union):
            chain = split
            for move in (m[0], m[1], m[0], m[2], m[3], m[2]):
                chain |= move
            self.assertEqual(chain.ids, [m[0].id, m[1].id, m[2].id, m[3].id])
            self.assertEqual(big_unions, [], "each move added in constant time, not by Odoo's union")
            self.assertEqual(split.browse(chain.ids)._ids, chain._ids)
            # a recordset the chain has moved on from, one with duplicates, a union of two: Odoo's union
            early = split | m[4]
            later = early | m[5]
            self.assertEqual((early | m[1]).ids, [m[4].id, m[1].id])
            self.assertEqual(later.ids, [m[4].id, m[5].id])
            with_duplicates = split.browse([m[0].id, m[1].id, m[0].id, m[2].id])
            self.assertEqual((with_duplicates | m[3]).ids, [m[0].id, m[1].id, m[2].id, m[3].id])
            self.assertEqual((chain | (m[4] | m[5])).ids, moves.ids[:4] + [m[4].id, m[5].id])
            self.assertEqual(big_unions, [4, 4], "with_duplicates | a move, chain | two moves")
            # outside a split: Odoo's union
            big_unions.clear()
            outside = self.env["stock.move"].browse(moves.ids[:4]) | m[5]
            self.assertEqual(outside.ids, moves.ids[:4] + [m[5].id])
            self.assertEqual(big_unions, [4])

    def test_split_move_lines_leave_no_stale_cache(self):
        """Within a batch, a line given to another move drops the old move's cached list of lines (Odoo's ORM copies
        it for every line otherwise): without a query, and both moves then list the right lines."""
        moves = self._moves(2)
        old, new = moves[0], moves[1]
        old.move_line_ids.copy({"move_id": old.id, "quantity": 0})
        field = self.env["stock.move"]._fields["move_line_ids"]
        old_lines, new_lines = old.move_line_ids, new.move_line_ids
        self.assertEqual((len(old_lines), len(new_lines)), (2, 1))
        self.env.flush_all()
        in_batch = old_lines.with_context(lst_batch_quants=ServerState(True))
        seen = self._statements(lambda: [line.write({"move_id": new.id}) for line in in_batch])
        self.assertEqual(seen, [], "the writes touch the cache only")
        self.assertFalse(self.env.cache.contains(old, field), "the old move's cached lines were dropped")
        self.assertEqual(old.move_line_ids, self.env["stock.move.line"])
        self.assertEqual(new.move_line_ids, new_lines | old_lines)
        # outside a batch, the ORM's own update of the cached list
        old_lines[0].write({"move_id": old.id})
        self.assertTrue(self.env.cache.contains(new, field))
        self.assertEqual(new.move_line_ids, new_lines | old_lines[1])
        self.assertEqual(old.move_line_ids, old_lines[0])
