# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged


class BatchProduceCommon:
    @classmethod
    def _setup_batch_data(cls):
        env = cls.env
        cls.stock = env.ref("stock.stock_location_stock")
        cls.customer = env.ref("stock.stock_location_customers")
        Rule = env["stock.tracking.rule"]
        cls.serial_rule = Rule.create(
            {"name": "BP serial", "tracking": "serial", "lot_prefix": "BPS-", "lot_padding": 4}
        )
        cls.lot_rule = Rule.create({"name": "BP lot", "tracking": "lot", "lot_prefix": "BPL-", "lot_padding": 3})
        cls.delivery_rule = Rule.create(
            {"name": "BP delivery", "tracking": "serial", "capture": "delivery_only", "lot_prefix": "BPD-"}
        )
        Product = env["product.product"]
        cls.comp_a = Product.create({"name": "BP part A", "is_storable": True})
        cls.comp_b = Product.create({"name": "BP part B", "is_storable": True})
        cls.serial_product = cls._make_product("BP chair", cls.serial_rule)
        cls.lot_product = cls._make_product("BP paint", cls.lot_rule)
        cls.delivery_product = cls._make_product("BP lamp", cls.delivery_rule)
        for comp in (cls.comp_a, cls.comp_b):
            env["stock.quant"]._update_available_quantity(comp, cls.stock, 5000)

    @classmethod
    def _make_product(cls, name, rule):
        product = cls.env["product.product"].create(
            {"name": name, "is_storable": True, "tracking_rule_id": rule.id, "default_code": name.replace(" ", "")}
        )
        cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": product.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    (0, 0, {"product_id": cls.comp_a.id, "product_qty": 1}),
                    (0, 0, {"product_id": cls.comp_b.id, "product_qty": 2}),
                ],
            }
        )
        return product

    def _mo(self, product, qty, user=None):
        form = Form(self.env["mrp.production"].with_user(user or self.env.user))
        form.product_id = product
        form.product_qty = qty
        mo = form.save()
        mo.action_confirm()
        return mo.with_user(self.env.user)

    def _wizard(self, mo):
        action = mo.button_mark_done()
        self.assertEqual(action["res_model"], "mrp.batch.produce", "Produce All opens Batch Production")
        return Form(self.env["mrp.batch.produce"].with_context(**action["context"]))

    def _snapshot(self, product):
        """What an error must leave untouched."""
        env = self.env
        env.flush_all()
        return (
            env["mrp.production"].search_count([("product_id", "=", product.id)]),
            env["stock.lot"].search_count([]),
            env["stock.move.line"].search_count([]),
            env["stock.move"].search_count([]),
        )


@tagged("post_install", "-at_install")
class TestBatchProduce(BatchProduceCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_batch_data()

    # ---------------------------------------------------------------- single unit
    def test_single_unit_produce_all_and_plus(self):
        mo = self._mo(self.serial_product, 1)
        self.assertIs(mo.button_mark_done(), True, "no wizard for one unit")
        self.assertEqual(mo.state, "done")
        self.assertEqual(mo.lot_producing_id.name, "BPS-0001", "rule numbering")
        self.assertEqual(mo.name[-4:], mo.name[-4:])
        mo2 = self._mo(self.serial_product, 1)
        mo2.action_generate_serial()
        self.assertEqual(mo2.lot_producing_id.name, "BPS-0002", "+ gives the next serial")
        self.assertEqual(mo2.state, "to_close", "+ does not close the MO (Odoo: ready to close)")
        self.assertEqual(mo2.qty_producing, 1)

    def test_default_pattern_without_rule_or_history(self):
        plain = self.env["product.product"].create({"name": "No rule", "is_storable": True, "default_code": "NR"})
        plain.tracking = "serial"
        self.env["mrp.bom"].create(
            {
                "product_tmpl_id": plain.product_tmpl_id.id,
                "bom_line_ids": [(0, 0, {"product_id": self.comp_a.id, "product_qty": 1})],
            }
        )
        mo = self._mo(plain, 3)
        wizard = self._wizard(mo)
        self.assertEqual(wizard.lot_name, "NR-0001", "default pattern instead of an empty field")
        self.assertEqual(wizard.lot_qty, 3)
        # without a rule but with an earlier serial: Odoo's next serial (last + 1)
        self.env["stock.lot"].create({"name": "AB-0041", "product_id": plain.id})
        wizard = self._wizard(self._mo(plain, 2)).save()
        self.assertEqual(wizard.lot_name, "AB-0042")
        wizard.action_generate_production_text()
        self.assertEqual(wizard.production_text, "AB-0042\nAB-0043")

    # ---------------------------------------------------------------- the documented flow
    def _documented_flow(self, qty, button):
        mo = self._mo(self.serial_product, qty)
        original_name = mo.name
        form = self._wizard(mo)
        self.assertEqual(form.lot_name, "BPS-0001", "First Lot/SN from the rule")
        self.assertEqual(form.lot_qty, qty, "Number of SN defaults to the MO quantity")
        wizard = form.save()
        wizard.action_generate_production_text()
        expected = [f"BPS-{i:04d}" for i in range(1, qty + 1)]
        self.assertEqual(wizard.production_text.split("\n"), expected)
        self.assertIn(f"{qty} serials: first BPS-0001, last {expected[-1]}", wizard.lst_summary)
        self.assertIn("No problem found", wizard.lst_summary)
        getattr(wizard, button)()
        mos = mo.procurement_group_id.mrp_production_ids.sorted("backorder_sequence")
        self.assertEqual(len(mos), qty)
        self.assertEqual(mos.mapped("name"), [f"{original_name}-{i:03d}" for i in range(1, qty + 1)])
        self.assertEqual(mos[0], mo, "the original MO is the first split MO (-001), the one shown")
        self.assertEqual(mos.mapped("lot_producing_id.name"), expected)
        self.assertEqual(set(mos.mapped("product_qty")), {1.0})
        self.assertEqual(mo.mrp_production_backorder_count, qty, "Backorders smart button")
        action = mo.action_view_mrp_production_backorders()
        self.assertEqual(sorted(action["domain"][0][2]), sorted(mos.ids))
        return mos

    def test_flow_2_units_produce(self):
        mos = self._documented_flow(2, "action_done")
        self.assertEqual(set(mos.mapped("state")), {"done"})
        quants = self.env["stock.quant"].search([("product_id", "=", self.serial_product.id), ("quantity", ">", 0)])
        self.assertEqual(sorted(quants.lot_id.mapped("name")), ["BPS-0001", "BPS-0002"])
        self.assertEqual(self.serial_product.qty_available, 2)

    def test_flow_5_units_prepare_then_close_one(self):
        mos = self._documented_flow(5, "action_prepare")
        self.assertEqual(set(mos.mapped("state")), {"confirmed"}, "Prepare MO leaves them open")
        self.assertEqual(self.serial_product.qty_available, 0)
        mos[2].button_mark_done()
        self.assertEqual(mos[2].state, "done", "each MO can be closed on its own")
        self.assertEqual(mos[2].lot_producing_id.name, "BPS-0003")
        self.assertEqual(mos[3].state, "confirmed")

    def test_flow_5_units_produce(self):
        mos = self._documented_flow(5, "action_done")
        self.assertEqual(set(mos.mapped("state")), {"done"})
        self.assertEqual(self.serial_product.qty_available, 5)
        self.assertEqual(self.comp_b.qty_available, 5000 - 10)
        for mo in mos:
            self.assertTrue(mo.message_ids, "each MO keeps its history")
            self.assertEqual(mo.move_finished_ids.move_line_ids.lot_id, mo.lot_producing_id)

    def test_edited_list_and_tracked_component(self):
        """The text box is editable; component lot columns keep working as in Odoo."""
        glue = self.env["product.product"].create({"name": "BP glue", "is_storable": True, "tracking": "lot"})
        glue_lot = self.env["stock.lot"].create({"name": "GLUE-1", "product_id": glue.id})
        self.env["stock.quant"]._update_available_quantity(glue, self.stock, 10, lot_id=glue_lot)
        self.serial_product.bom_ids.bom_line_ids = [(0, 0, {"product_id": glue.id, "product_qty": 1})]
        mo = self._mo(self.serial_product, 2)
        wizard = self._wizard(mo).save()
        wizard.production_text = "  MY-A,GLUE-1 \n\n MY-B,GLUE-1\n"
        wizard.action_done()
        mos = mo.procurement_group_id.mrp_production_ids.sorted("backorder_sequence")
        self.assertEqual(mos.mapped("lot_producing_id.name"), ["MY-A", "MY-B"])
        glue_lines = mos.move_raw_ids.filtered(lambda m: m.product_id == glue).move_line_ids
        self.assertEqual(glue_lines.lot_id, glue_lot)
        self.assertEqual(sum(glue_lines.mapped("quantity")), 2)
        self.assertEqual(set(mos.mapped("state")), {"done"})

    def test_existing_unused_serial_goes_to_its_own_mo(self):
        """Odoo pairs MOs with search(existing) + create(new) by position: with an existing but
        unused lot (e.g. made by "+"), the MOs got each other's serial. Here each keeps its line."""
        self.env["stock.lot"].create({"name": "Q-2", "product_id": self.serial_product.id})
        mo = self._mo(self.serial_product, 2)
        ids = mo.batch_produce(["Q-1", "Q-2"])
        mos = self.env["mrp.production"].browse(ids)
        self.assertEqual(mos.mapped("lot_producing_id.name"), ["Q-1", "Q-2"])
        self.assertEqual(mos[0].move_finished_ids.move_line_ids.lot_id.name, "Q-1")
        self.assertEqual(self.env["stock.lot"].search_count([("name", "=", "Q-2")]), 1, "reused, not duplicated")

    # ---------------------------------------------------------------- lots
    def test_lot_product_plus_and_produce_all(self):
        mo = self._mo(self.lot_product, 10)
        mo.action_generate_serial()
        self.assertEqual(mo.lot_producing_id.name, "BPL-001", "+ gives the next lot")
        mo.button_mark_done()
        self.assertEqual(mo.state, "done")
        mo2 = self._mo(self.lot_product, 10)
        mo2.button_mark_done()
        self.assertEqual(mo2.state, "done", "Produce All without a lot closes the MO")
        self.assertEqual(mo2.lot_producing_id.name, "BPL-002", "and generates the next lot")

    def test_lot_mode_k_lots(self):
        for button, state in (("action_done", "done"), ("action_prepare", "to_close")):
            mo = self._mo(self.lot_product, 1000)
            action = mo.action_lst_batch_produce()
            form = Form(self.env["mrp.batch.produce"].with_context(**action["context"]))
            self.assertEqual(form.lot_qty, 1)
            self.assertEqual(form.lst_lot_size, 1000)
            form.lot_qty = 10
            self.assertEqual(form.lst_lot_size, 100)
            wizard = form.save()
            wizard.action_generate_production_text()
            lines = wizard.production_text.split("\n")
            self.assertEqual(len(lines), 10)
            self.assertTrue(all(line.endswith(";100") for line in lines), lines)
            self.assertIn("10 lots, 1000 units", wizard.lst_summary)
            getattr(wizard, button)()
            mos = mo.procurement_group_id.mrp_production_ids
            self.assertEqual(len(mos), 10)
            self.assertEqual(set(mos.mapped("product_qty")), {100.0})
            self.assertEqual(set(mos.mapped("state")), {state})
            self.assertEqual(len(mos.lot_producing_id), 10)
        self.assertEqual(self.lot_product.qty_available, 1000)

    # ---------------------------------------------------------------- delivery-only
    def test_delivery_only_not_split(self):
        mo = self._mo(self.delivery_product, 3)
        lots_before = self.env["stock.lot"].search_count([])
        self.assertIs(mo.pre_button_mark_done(), True, "no Batch Production wizard")
        self.assertEqual(mo.qty_producing, 3, "produced as plain quantity, not capped to one serial")
        self.assertFalse(mo.lot_producing_id)
        self.assertEqual(self.env["stock.lot"].search_count([]), lots_before, "no number needed")
        self.assertEqual(mo.product_qty, 3)
        self.assertEqual(self.env["mrp.production"].search_count([("product_id", "=", self.delivery_product.id)]), 1)
        self.assertEqual(mo.move_raw_ids.filtered(lambda m: m.product_id == self.comp_b).quantity, 6)
        with self.assertRaises(UserError) as cm:
            mo.batch_produce(["BPD-1", "BPD-2", "BPD-3"])
        self.assertIn("is not split", str(cm.exception))
        # Produce All closes it as plain quantity (with the delivery-only stock rules of stock.quant)
        self.assertIs(mo.button_mark_done(), True)
        self.assertEqual((mo.state, mo.qty_produced), ("done", 3))
        self.assertNotIn("-001", mo.name)
        self.assertFalse(mo.lot_producing_id)
        quants = self.env["stock.quant"].search(
            [("product_id", "=", self.delivery_product.id), ("location_id.usage", "=", "internal")]
        )
        self.assertEqual((sum(quants.mapped("quantity")), quants.lot_id), (3, self.env["stock.lot"]))

    # ---------------------------------------------------------------- validation
    def _assert_rejected(self, mo, text, *expected):
        before = self._snapshot(mo.product_id)
        name, qty, state = mo.name, mo.product_qty, mo.state
        wizard = self._wizard(mo).save()
        wizard.production_text = text
        with self.assertRaises(UserError) as cm:
            wizard.action_done()
        message = str(cm.exception)
        for part in expected:
            self.assertIn(part, message)
        self.assertEqual(self._snapshot(mo.product_id), before, "database unchanged")
        mo.invalidate_recordset()
        self.assertEqual((mo.name, mo.product_qty, mo.state), (name, qty, state))
        self.assertFalse(mo.lot_producing_id)
        return message

    def test_validation_list_problems_in_one_error(self):
        mo = self._mo(self.serial_product, 4)
        message = self._assert_rejected(
            mo,
            "A-1\n\n  A-2  \nA-1\nBAD\x07NAME\n" + "X" * 129,
            "Line 4: A-1 is already on line 1",
            "Line 5:",
            "control characters",
            "Line 6:",
            "129 characters",
        )
        self.assertNotIn("Line 3", message, "trimmed line is fine")
        self.assertNotIn("Line 2", message, "blank line ignored")

    def test_validation_count(self):
        mo = self._mo(self.serial_product, 3)
        self._assert_rejected(mo, "C-1\nC-2", "the lines give 2 Units but the MO is for 3 Units")
        self._assert_rejected(mo, "C-1\nC-2\nC-3\nC-4", "the lines give 4")
        self._assert_rejected(mo, "C-1;2\nC-3", "Line 1: C-1: a serial number is for exactly one unit")
        self._assert_rejected(mo, "\n \n", "Please specify")

    def test_validation_existing_serials(self):
        in_stock = self.env["stock.lot"].create({"name": "E-STOCK", "product_id": self.serial_product.id})
        self.env["stock.quant"]._update_available_quantity(self.serial_product, self.stock, 1, lot_id=in_stock)
        at_customer = self.env["stock.lot"].create({"name": "E-CUST", "product_id": self.serial_product.id})
        self.env["stock.quant"]._update_available_quantity(self.serial_product, self.customer, 1, lot_id=at_customer)
        other_mo = self._mo(self.serial_product, 1)
        other_mo.action_generate_serial()
        other_name = other_mo.lot_producing_id.name
        mo = self._mo(self.serial_product, 4)
        self._assert_rejected(
            mo,
            f"E-STOCK\nE-CUST\n{other_name}\nE-FREE",
            "Line 1: E-STOCK already exists: in WH/Stock",
            "Line 2: E-CUST already exists: at a customer",
            f"Line 3: {other_name} already exists: on {other_mo.name}",
        )

    def test_validation_unique_across_products(self):
        self.serial_rule.unique_across_products = True
        self.env["stock.lot"].create({"name": "SHARED-1", "product_id": self.lot_product.id})
        mo = self._mo(self.serial_product, 2)
        self._assert_rejected(mo, "SHARED-1\nOK-2", "Line 1: SHARED-1 already exists: used by", "unique across")

    def test_summary_lists_problems_live(self):
        mo = self._mo(self.serial_product, 2)
        form = self._wizard(mo)
        form.production_text = "S-1\nS-1"
        self.assertIn("2 problem(s) found", form.lst_summary)
        self.assertIn("Line 2: S-1 is already on line 1", form.lst_summary)
        form.production_text = "S-1\nS-2"
        self.assertIn("No problem found", form.lst_summary)

    # ---------------------------------------------------------------- XML-RPC method
    def test_batch_produce_api_as_mrp_user(self):
        user = new_test_user(self.env, login="bp_mrp_user", groups="mrp.group_mrp_user,stock.group_production_lot")
        mo = self._mo(self.serial_product, 3)
        result = self.env["mrp.production"].with_user(user).browse(mo.id).batch_produce(["R-1", " R-2 ", "R-3", ""])
        self.assertIsInstance(result, list)
        self.assertTrue(all(isinstance(i, int) for i in result))
        self.assertEqual(result[0], mo.id)
        mos = self.env["mrp.production"].browse(result)
        self.assertEqual(mos.mapped("lot_producing_id.name"), ["R-1", "R-2", "R-3"])
        self.assertEqual(set(mos.mapped("state")), {"done"})
        mo2 = self._mo(self.serial_product, 2)
        ids = mo2.with_user(user).batch_produce(["R-4", "R-5"], mark_done=False)
        self.assertEqual(set(self.env["mrp.production"].browse(ids).mapped("state")), {"confirmed"})

    def test_batch_produce_api_errors_roll_back(self):
        mo = self._mo(self.serial_product, 2)
        before = self._snapshot(self.serial_product)
        with self.assertRaises(UserError) as cm:
            mo.batch_produce(["Z-1", "Z-1"])
        self.assertIn("Line 2: Z-1 is already on line 1", str(cm.exception))
        with self.assertRaises(UserError):
            mo.batch_produce("Z-1\nZ-2")
        self.assertEqual(self._snapshot(self.serial_product), before)

    def test_rollback_when_failing_after_the_split(self):
        """An error raised after the split and lot creation (here: a component lot that does not
        exist) leaves the MO as it was: no partial split, no orphan lot."""
        glue = self.env["product.product"].create({"name": "BP glue 2", "is_storable": True, "tracking": "lot"})
        self.serial_product.bom_ids.bom_line_ids = [(0, 0, {"product_id": glue.id, "product_qty": 1})]
        mo = self._mo(self.serial_product, 2)
        mo.picking_type_id.use_create_components_lots = False
        before = self._snapshot(self.serial_product)
        name = mo.name
        with self.assertRaises(UserError) as cm:
            mo.batch_produce(["RB-1,NOPE", "RB-2,NOPE"])
        self.assertIn("NOPE", str(cm.exception))
        self.assertEqual(self._snapshot(self.serial_product), before)
        mo.invalidate_recordset()
        self.assertEqual((mo.name, mo.product_qty), (name, 2))
        self.assertFalse(self.env["stock.lot"].search([("name", "in", ["RB-1", "RB-2"])]))


class _Undo(Exception):
    pass


@tagged("post_install", "-at_install")
class TestBatchedQuantUpdates(BatchProduceCommon, TransactionCase):
    """Batch production writes each component quant once (stock.quant._lst_buffered_update) instead
    of once per MO and move line: the resulting quants and move lines must be exactly those of Odoo's
    own per-line path, in the easy case and in the cases that fall back to it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_batch_data()

    def _produce_outcome(self, names, product=None, qty=None, **ctx):
        """Produce an MO of `qty` (default: one per name) through batch_produce; return (quants and lines,
        queries), then roll everything back."""
        product = product or self.serial_product
        products = self.comp_a | self.comp_b | product
        try:
            with self.env.cr.savepoint(), freeze_time("2026-11-24 10:00:00"):
                mo = self._mo(product, qty or len(names))
                self.env.flush_all()
                queries = self.env.cr.sql_log_count
                mo.with_context(**ctx).batch_produce(names)
                self.env.flush_all()
                queries = self.env.cr.sql_log_count - queries
                self.env.invalidate_all()
                quants = sorted(
                    (q.product_id.name, q.location_id.complete_name, q.lot_id.name or "", q.quantity,
                     q.reserved_quantity, str(q.in_date))
                    for q in self.env["stock.quant"].search([("product_id", "in", products.ids)])
                )  # fmt: skip
                lines = sorted(
                    (ml.product_id.name, ml.location_id.complete_name, ml.location_dest_id.complete_name,
                     ml.lot_id.name or "", ml.quantity, ml.state)
                    for ml in self.env["stock.move.line"].search([("product_id", "in", products.ids)])
                )  # fmt: skip
                raise _Undo((quants, lines), queries)
        except _Undo as undo:
            self.env.invalidate_all()
            return undo.args

    def assert_same_as_odoo(self, names, **kw):
        batched, batched_queries = self._produce_outcome(names, **kw)
        odoo, odoo_queries = self._produce_outcome(names, lst_quant_batch_off=True, **kw)
        self.assertEqual(batched, odoo)
        return batched, batched_queries, odoo_queries

    def test_one_quant_per_component(self):
        self._produce_outcome(["W-1", "W-2"])  # warm-up: both measured runs start with the same caches
        (quants, _lines), batched_6, odoo_6 = self.assert_same_as_odoo([f"Q-{i}" for i in range(6)])
        stock = {(q[0], q[1]): q for q in quants if q[1] == "WH/Stock"}
        self.assertEqual(stock["BP part A", "WH/Stock"][3:5], (5000 - 6, 0), "consumed, nothing left reserved")
        self.assertEqual(stock["BP part B", "WH/Stock"][3:5], (5000 - 12, 0))
        _outcome, batched_12, odoo_12 = self.assert_same_as_odoo([f"Q-{i}" for i in range(12)])
        # per extra MO, Odoo gathers, locks and writes each of the 2 component quants 4 times (reserve on
        # split, unreserve, take from stock, put in production): 8 locks per MO; batched, none
        per_mo_batched, per_mo_odoo = (batched_12 - batched_6) / 6, (odoo_12 - odoo_6) / 6
        self.assertLessEqual(per_mo_batched, per_mo_odoo - 8, (batched_6, batched_12, odoo_6, odoo_12))

    def test_lot_mode(self):
        """Lot mode: 3 lots of 4 units, i.e. 3 MOs consuming 4 (and 8) units each."""
        (quants, _lines), _b, _o = self.assert_same_as_odoo(
            ["BL-1;4", "BL-2;4", "BL-3;4"], product=self.lot_product, qty=12
        )
        lots = sorted((q[2], q[3]) for q in quants if q[0] == "BP paint" and q[1] == "WH/Stock")
        self.assertEqual(lots, [("BL-1", 4), ("BL-2", 4), ("BL-3", 4)])
        part_b = [q for q in quants if q[0] == "BP part B" and q[1] == "WH/Stock"]
        self.assertEqual([q[3:5] for q in part_b], [(5000 - 24, 0)])

    def test_several_quants_of_a_component(self):
        """Two quants of part A in WH/Stock (e.g. left by a concurrent update): Odoo's own path."""
        self.env["stock.quant"].sudo().create(
            {"product_id": self.comp_a.id, "location_id": self.stock.id, "quantity": 4, "in_date": "2026-01-01"}
        )
        (quants, _lines), _b, _o = self.assert_same_as_odoo([f"S-{i}" for i in range(5)])
        part_a = [q for q in quants if q[0] == "BP part A" and q[1] == "WH/Stock"]
        self.assertEqual(len(part_a), 2)
        self.assertEqual(sum(q[3] for q in part_a), 5004 - 5)

    def test_component_short_goes_negative_like_odoo(self):
        """Less of part B than the MOs consume: the update that would go negative takes Odoo's path
        (which then frees reservations), after the pending values are written."""
        quant_b = self.env["stock.quant"].search(
            [("product_id", "=", self.comp_b.id), ("location_id", "=", self.stock.id)]
        )
        quant_b.sudo().quantity = 5
        (quants, _lines), _b, _o = self.assert_same_as_odoo([f"N-{i}" for i in range(4)])
        part_b = [q for q in quants if q[0] == "BP part B" and q[1] == "WH/Stock"]
        self.assertEqual(sum(q[3] for q in part_b), 5 - 8)


@tagged("post_install", "-at_install")
class TestBatchProduceTour(BatchProduceCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_batch_data()

    def test_tour_batch_produce(self):
        mo = self._mo(self.serial_product, 3)
        name = mo.name
        self.start_tour(
            f"/odoo/action-mrp.mrp_production_action/{mo.id}", "lot_serial_tracking_batch_produce", login="admin"
        )
        mos = self.env["mrp.production"].search([("name", "like", f"{name}-")])
        self.assertEqual(len(mos), 3)
        self.assertEqual(set(mos.mapped("state")), {"done"})
        self.assertEqual(sorted(mos.mapped("lot_producing_id.name")), ["BPS-0001", "BPS-0002", "BPS-0003"])
