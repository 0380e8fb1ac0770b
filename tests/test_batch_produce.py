# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import deque

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
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

    def _lot_wizard(self, mo):
        """Batch Production of a lot-tracked MO (its Batch Production button; Produce All closes it)."""
        action = mo.action_lst_batch_produce()
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
            self.assertIn("10 lots, 1000 Units", wizard.lst_summary)
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
        wizard = (self._lot_wizard(mo) if mo.product_id.tracking == "lot" else self._wizard(mo)).save()
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
        """More units than the MO is refused (fewer leave a backorder MO: see test_fewer_serials_*)."""
        mo = self._mo(self.serial_product, 3)
        self._assert_rejected(mo, "C-1\nC-2\nC-3\nC-4", "the lines give 4 Units but the MO is for 3 Units")
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
        form.production_text = "S-1\nS-1\nS-2;2"
        self.assertIn("2 problems found", form.lst_summary)
        self.assertIn("Line 2: S-1 is already on line 1", form.lst_summary)
        self.assertIn("Line 3: S-2: a serial number is for exactly one unit", form.lst_summary)
        form.production_text = "S-1\nS-2"
        self.assertIn("No problem found", form.lst_summary)

    def test_summary_counts_lines_and_styles_problems(self):
        """Every non-blank line counts (4 lines with a duplicate are 4 serials, 1 duplicate); each problem
        is in danger styling, apart from the grey counts; "No problem found" is green."""
        mo = self._mo(self.serial_product, 4)
        form = self._wizard(mo)
        form.production_text = "D-1\nD-2\nD-1\nD-3"
        summary = form.lst_summary
        self.assertIn('<div class="o_lst_summary_head text-muted">4 serials, 1 duplicate: first D-1, last D-3', summary)
        self.assertIn('<div class="o_lst_summary_problems alert alert-danger', summary)
        self.assertIn('<li class="o_lst_summary_problem text-danger">Line 3: D-1 is already on line 1</li>', summary)
        self.assertNotIn("No problem found", summary)
        form.production_text = "D-1\nD-2\nD-1\nD-2"
        self.assertIn("4 serials, 2 duplicates", form.lst_summary)
        form.production_text = "D-1\nD-2\nD-3\nD-4"
        self.assertIn('<div class="o_lst_summary_ok text-success">No problem found.</div>', form.lst_summary)
        self.assertNotIn("danger", form.lst_summary)
        # names are escaped, not rendered as HTML
        form.production_text = "<b>D-1</b>"
        self.assertIn("&lt;b&gt;D-1&lt;/b&gt;", form.lst_summary)

    def test_summary_lists_at_most_50_problems(self):
        mo = self._mo(self.serial_product, 3)
        form = self._wizard(mo)
        form.production_text = "\n".join(["X;2"] * 120)
        self.assertIn("120 problems found", form.lst_summary)
        self.assertIn("... and 70 more problems", form.lst_summary)
        self.assertEqual(form.lst_summary.count("a serial number is for exactly one unit"), 50)
        with self.assertRaises(UserError) as cm:
            form.save().action_done()
        self.assertEqual(str(cm.exception).count("a serial number is for exactly one unit"), 50)
        self.assertIn("... and 70 more problems", str(cm.exception))

    # ---------------------------------------------------------------- fewer units: a backorder MO (as Odoo)
    def test_fewer_serials_leave_a_backorder_mo(self):
        mo = self._mo(self.serial_product, 5)
        name = mo.name
        form = self._wizard(mo)
        form.lot_qty = 3
        wizard = form.save()
        wizard.action_generate_production_text()
        self.assertEqual(wizard.production_text, "BPS-0001\nBPS-0002\nBPS-0003")
        self.assertIn("3 serials: first BPS-0001, last BPS-0003", wizard.lst_summary)
        self.assertIn("Backorder: 2 Units of the 5 Units stay in a new MO, to produce later.", wizard.lst_summary)
        self.assertIn("No problem found", wizard.lst_summary)
        wizard.action_done()
        mos = mo.procurement_group_id.mrp_production_ids.sorted("backorder_sequence")
        self.assertEqual(mos.mapped("name"), [f"{name}-{i:03d}" for i in range(1, 5)])
        done, backorder = mos[:3], mos[3]
        self.assertEqual(set(done.mapped("state")), {"done"})
        self.assertEqual(done.mapped("lot_producing_id.name"), ["BPS-0001", "BPS-0002", "BPS-0003"])
        self.assertEqual((backorder.state, backorder.product_qty), ("confirmed", 2))
        self.assertFalse(backorder.lot_producing_id)
        self.assertEqual(backorder.reservation_state, "assigned", "its components stay reserved")
        self.assertEqual(self.serial_product.qty_available, 3)
        self.assertEqual(mo.mrp_production_backorder_count, 4)
        # the backorder is produced later, in batch too
        ids = backorder.batch_produce(["BPS-0004", "BPS-0005"])
        self.assertEqual(self.env["mrp.production"].browse(ids).mapped("state"), ["done", "done"])
        self.assertEqual(self.serial_product.qty_available, 5)

    def test_fewer_serials_prepare(self):
        mo = self._mo(self.serial_product, 4)
        wizard = self._wizard(mo).save()
        wizard.production_text = "P-1"
        wizard.action_prepare()
        mos = mo.procurement_group_id.mrp_production_ids.sorted("backorder_sequence")
        self.assertEqual(mos.mapped("product_qty"), [1, 3])
        self.assertEqual(mos.mapped("state"), ["confirmed", "confirmed"])
        self.assertEqual(mos[0].lot_producing_id.name, "P-1")
        self.assertFalse(mos[1].lot_producing_id)

    def test_fewer_lots_leave_a_backorder_mo(self):
        mo = self._mo(self.lot_product, 10)
        form = self._lot_wizard(mo)
        form.lot_qty = 2
        form.lst_lot_size = 4
        wizard = form.save()
        wizard.action_generate_production_text()
        self.assertEqual(wizard.production_text, "BPL-001;4\nBPL-002;4")
        self.assertIn("2 lots, 8 Units: first BPL-001, last BPL-002", wizard.lst_summary)
        self.assertIn("Backorder: 2 Units of the 10 Units stay in a new MO", wizard.lst_summary)
        wizard.action_prepare()
        mos = mo.procurement_group_id.mrp_production_ids.sorted("backorder_sequence")
        self.assertEqual(mos.mapped("product_qty"), [4, 4, 2])
        self.assertEqual(mos.mapped("state"), ["to_close", "to_close", "confirmed"])
        self.assertEqual(mos.mapped("lot_producing_id.name"), ["BPL-001", "BPL-002"])
        self.assertFalse(mos[2].lot_producing_id)

    def test_batch_produce_fewer_returns_the_backorder_last(self):
        mo = self._mo(self.serial_product, 4)
        ids = mo.batch_produce(["F-1", "F-2"])
        mos = self.env["mrp.production"].browse(ids)
        self.assertEqual(len(ids), 3)
        self.assertEqual(ids[0], mo.id)
        self.assertEqual(mos.mapped("state"), ["done", "done", "confirmed"])
        self.assertEqual(mos.mapped("product_qty"), [1, 1, 2])
        self.assertEqual(mos[:2].mapped("lot_producing_id.name"), ["F-1", "F-2"])
        self.assertFalse(mos[2].lot_producing_id)
        lot_mo = self._mo(self.lot_product, 10)
        ids = lot_mo.batch_produce(["FL-1;6"], mark_done=False)
        mos = self.env["mrp.production"].browse(ids)
        self.assertEqual(mos.mapped("product_qty"), [6, 4])
        self.assertEqual(mos.mapped("state"), ["to_close", "confirmed"])

    def test_more_units_than_the_mo_refused(self):
        mo = self._mo(self.serial_product, 2)
        lot_mo = self._mo(self.lot_product, 10)
        before = self._snapshot(self.serial_product)
        with self.assertRaises(UserError) as cm:
            mo.batch_produce(["M-1", "M-2", "M-3"])
        self.assertIn("the lines give 3 Units but the MO is for 2 Units", str(cm.exception))
        with self.assertRaises(UserError) as cm:
            lot_mo.batch_produce(["ML-1;6", "ML-2;6"])
        self.assertIn("the lines give 12 Units but the MO is for 10 Units", str(cm.exception))
        with self.assertRaises(UserError) as cm:
            lot_mo.batch_produce(["ML-1;11"])
        self.assertIn("11 is more than the MO quantity (10 Units)", str(cm.exception))
        self.assertEqual(self._snapshot(self.serial_product), before)

    # ---------------------------------------------------------------- Generate
    def test_generate_bounds_and_rounding(self):
        mo = self._mo(self.serial_product, 3)
        form = self._wizard(mo)
        form.lot_qty = 4
        wizard = form.save()
        with self.assertRaises(UserError) as cm:
            wizard.action_generate_production_text()
        self.assertIn("4 serial numbers are more than the MO quantity (3 Units)", str(cm.exception))
        self.assertFalse(wizard.production_text)
        lot_mo = self._mo(self.lot_product, 10)
        form = self._lot_wizard(lot_mo)
        form.lot_qty = 3
        self.assertEqual(form.lst_lot_size, 3.33, "rounded down to the unit of measure")
        wizard = form.save()
        wizard.action_generate_production_text()
        self.assertEqual(wizard.production_text, "BPL-001;3.33\nBPL-002;3.33\nBPL-003;3.34", "last lot: the rest")
        self.assertIn("3 lots, 10 Units", wizard.lst_summary)
        self.assertNotIn("Backorder", wizard.lst_summary)
        wizard.lst_lot_size = 4
        with self.assertRaises(UserError) as cm:
            wizard.action_generate_production_text()
        self.assertIn("3 lots of 4 Units make more than the MO quantity (10 Units)", str(cm.exception))
        for size in (0, -1):
            wizard.lst_lot_size = size
            with self.assertRaises(UserError, msg=size) as cm:
                wizard.action_generate_production_text()
            self.assertIn("Units per Lot must be a positive number", str(cm.exception))
        # what XML-RPC can send: nan, inf (Odoo's float/integer fields fail on them with a Python error)
        for vals in ({"lst_lot_size": float("nan")}, {"lst_lot_size": float("inf")}, {"lot_qty": float("nan")}):
            with self.assertRaises(UserError, msg=vals) as cm:
                wizard.write(vals)
            self.assertIn("must be a number", str(cm.exception))
            with self.assertRaises(UserError, msg=vals):
                self.env["mrp.batch.produce"].create(dict(vals, production_id=lot_mo.id))

    def test_generate_large_lot_quantity_not_in_exponent_form(self):
        """%g wrote 1234567 as 1.23457e+06 (1234570 units, more than the MO)."""
        mo = self._mo(self.lot_product, 1234567)
        wizard = self._lot_wizard(mo).save()
        wizard.action_generate_production_text()
        self.assertEqual(wizard.production_text, "BPL-001;1234567")
        self.assertIn("No problem found", wizard.lst_summary)

    def test_lot_mode_speaks_of_lots(self):
        mo = self._mo(self.lot_product, 10)
        wizard = self._lot_wizard(mo).save()
        self.assertIn("one line per lot", wizard.production_text_help)
        self.assertNotIn("serial", wizard.production_text_help)
        wizard.lot_name = False
        with self.assertRaises(UserError) as cm:
            wizard.action_generate_production_text()
        self.assertIn("first lot", str(cm.exception))
        wizard.production_text = " "
        with self.assertRaises(UserError) as cm:
            wizard.action_done()
        self.assertIn("Please specify the lots", str(cm.exception))
        view = self.env["mrp.batch.produce"].get_view(self.env.ref("mrp.view_mrp_batch_produce_form").id)["arch"]
        self.assertIn('string="Number of Lots"', view)

    # ---------------------------------------------------------------- bad input: clean errors
    def test_non_finite_quantities_refused(self):
        """X;nan, X;inf, X;1e309 (and other non-numbers) in the text: a UserError naming the line."""
        glue = self.env["product.product"].create({"name": "BP glue 3", "is_storable": True, "tracking": "lot"})
        glue_lot = self.env["stock.lot"].create({"name": "G3", "product_id": glue.id})
        self.env["stock.quant"]._update_available_quantity(glue, self.stock, 50, lot_id=glue_lot)
        self.lot_product.bom_ids.bom_line_ids = [(0, 0, {"product_id": glue.id, "product_qty": 1})]
        mo = self._mo(self.lot_product, 10)
        for qty in ("nan", "inf", "-inf", "1e309", "NaN", "abc", "0", "1e-9"):
            message = self._assert_rejected(mo, f"X;{qty}", "Line 1:")
            self.assertTrue("is not a quantity" in message or "must be positive" in message, message)
            with self.assertRaises(UserError):
                mo.batch_produce([f"X;{qty}"])
        for qty in ("nan", "inf", "1e309", "x"):
            message = self._assert_rejected(mo, f"X;10,G3;{qty}", "Line 1:", "is not a quantity for component lot G3")
        self._assert_rejected(mo, "X;10,;5", "no component lot before the quantity")
        serial_mo = self._mo(self.serial_product, 2)
        self._assert_rejected(serial_mo, "S;nan\nT;inf", "Line 1:", "Line 2:", "is not a quantity")

    def test_one_mo_expected(self):
        """Several MOs, ids that are not integers, a deleted MO, several wizards: a UserError saying
        what to give (Odoo's ensure_one raised a programming error)."""
        mo1, mo2 = self._mo(self.serial_product, 2), self._mo(self.serial_product, 2)
        before = self._snapshot(self.serial_product)
        MO = self.env["mrp.production"]
        cases = [
            (lambda: (mo1 | mo2).batch_produce(["O-1", "O-2"]), "one manufacturing order at a time; 2 were given"),
            (lambda: (mo1 | mo2).action_lst_batch_produce(), "one manufacturing order at a time"),
            (lambda: MO.browse(["abc"]).batch_produce(["O-1"]), "Give the id of one manufacturing order (an integer)"),
            (lambda: MO.browse([1.5]).batch_produce(["O-1"]), "(an integer)"),
            (lambda: MO.browse(["abc"]).action_lst_batch_produce(), "(an integer)"),
            (lambda: MO.browse([999999999]).batch_produce(["O-1"]), "manufacturing order 999999999 does not exist"),
            (lambda: MO.batch_produce(["O-1"]), "0 were given"),
            (lambda: mo1.batch_produce(["O-1", "O-2"], mark_done="yes"), "mark_done must be true"),
        ]
        for call, expected in cases:
            with self.assertRaises(UserError) as cm:
                call()
            self.assertIn(expected, str(cm.exception))
        wizards = self._wizard(mo1).save() | self._wizard(mo2).save()
        wizards.production_text = "O-1\nO-2"
        for method in ("action_done", "action_prepare", "action_generate_production_text"):
            with self.assertRaises(UserError) as cm:
                getattr(wizards, method)()
            self.assertIn("one Batch Production wizard at a time", str(cm.exception))
        self.assertEqual(self._snapshot(self.serial_product), before)

    def test_backorders_list_shows_references_and_lots(self):
        mo = self._mo(self.serial_product, 2)
        mo.batch_produce(["BL-1", "BL-2"])
        action = mo.action_view_mrp_production_backorders()
        view_id = action["views"][0][0]
        self.assertEqual(view_id, self.env.ref("lot_serial_tracking.mrp_production_view_list_backorders").id)
        arch = self.env["mrp.production"].get_view(view_id, "list")["arch"]
        self.assertRegex(arch, r'<field name="lot_producing_id"[^>]*optional="show"')
        self.assertRegex(arch, r'<field name="name"[^>]*width=')

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

    # ---------------------------------------------------------------- the engine on mrp.production
    def test_batch_produce_creates_no_wizard(self):
        """batch_produce runs the engine on the MO (models/mrp_production_batch.py): no Batch Production
        wizard record is created to reach it."""
        Wizard = self.env["mrp.batch.produce"].sudo()
        before = Wizard.search_count([])
        mo = self._mo(self.serial_product, 3)
        mo.batch_produce(["NW-1", "NW-2"], mark_done=False)
        mo2 = self._mo(self.serial_product, 2)
        mo2.batch_produce(["NW-3", "NW-4"])
        self.assertEqual(Wizard.search_count([]), before, "batch_produce created an mrp.batch.produce record")

    def test_batch_produce_refuses_nul(self):
        """A NUL in a component column is refused by name, as the wizard's text box refused it when
        batch_produce went through a wizard record (PostgreSQL cannot store it)."""
        mo = self._mo(self.serial_product, 2)
        with self.assertRaisesRegex(ValidationError, "Batch Production cannot contain a NUL character"):
            mo.batch_produce(["NUL-1,GL\x00UE", "NUL-2"])

    def _glue_mo(self, name, qty):
        glue = self.env["product.product"].create({"name": name, "is_storable": True, "tracking": "lot"})
        for lot_name in ("G-1", "G-2"):
            lot = self.env["stock.lot"].create({"name": lot_name, "product_id": glue.id})
            self.env["stock.quant"]._update_available_quantity(glue, self.stock, 10, lot_id=lot)
        return glue

    def test_component_parser_as_odoo(self):
        """The engine's reading of a component piece (_lst_component_lot_and_qty) is Odoo's
        mrp.batch.produce._get_lot_and_qty, which it mirrors: same result for each kind of piece."""
        glue = self._glue_mo("BP glue P", 2)
        self.serial_product.bom_ids.bom_line_ids = [(0, 0, {"product_id": glue.id, "product_qty": 1})]
        mo = self._mo(self.serial_product, 2)
        wizard = self.env["mrp.batch.produce"].create({"production_id": mo.id})
        moves = {m.product_id.tracking: m for m in mo.move_raw_ids} | {"serial": mo.move_finished_ids[:1]}
        moves["none"] = mo.move_raw_ids.filtered(lambda m: m.product_id == self.comp_a)
        for tracking, text in [("lot", "G-1"), ("lot", "G-1;3"), ("lot", "A;B;2.5"), ("serial", "S-1"), ("none", "4")]:
            move = moves[tracking]
            with self.subTest(text=text):
                self.assertEqual(
                    mo._lst_component_lot_and_qty(move, text, wizard.lots_quantity_separator),
                    wizard._get_lot_and_qty(move, text),
                )

    def test_components_as_odoo(self):
        """The engine's component columns (_lst_assign_component_lots) give the move lines Odoo's
        mrp.batch.produce._process_components gives, which it mirrors."""
        glue = self._glue_mo("BP glue C", 2)
        self.serial_product.bom_ids.bom_line_ids = [(0, 0, {"product_id": glue.id, "product_qty": 2})]

        def component_lines(mo):
            lines = mo.move_raw_ids.move_line_ids.filtered(lambda ml: ml.product_id == glue)
            return sorted((ml.lot_id.name, ml.quantity, ml.location_id.id) for ml in lines)

        for text in ("G-1", "G-1;1|G-2;1", "G-2;2", "NEW-G;2"):
            with self.subTest(text=text):
                odoo_mo, lst_mo = self._mo(self.serial_product, 1), self._mo(self.serial_product, 1)
                wizard = self.env["mrp.batch.produce"].create({"production_id": odoo_mo.id})
                wizard._process_components(odoo_mo, deque([text]))
                lst_mo._lst_assign_component_lots(deque([text]))
                self.assertEqual(component_lines(lst_mo), component_lines(odoo_mo))


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

    def test_queries_per_unit_within_goal(self):
        """Issue 16: at most 4 SQL queries per unit produced (standard Odoo: about 38). Counted as the
        difference between 12 and 6 units, so the fixed cost of the batch does not hide a per-unit query
        (the finished serial's two quants created one by one, the component quant of the production
        location locked per MO, a BoM search or a move read per MO each add one per unit)."""
        self._produce_outcome(["W-1", "W-2"])
        _outcome, queries_6 = self._produce_outcome([f"U-{i}" for i in range(6)])
        _outcome, queries_12 = self._produce_outcome([f"U-{i}" for i in range(12)])
        self.assertLessEqual((queries_12 - queries_6) / 6, 4, (queries_6, queries_12))

    def test_trigger_assign_of_10000_done_moves(self):
        """Closing 10,000 MOs at once: Odoo's _trigger_assign ORs one domain per finished move, which
        PostgreSQL refuses beyond about 10,000 ("memory exhausted"). One per (product, destination) instead;
        the waiting move of the same product is still reserved."""
        picking_type = self.env.ref("stock.picking_type_out")
        waiting = self.env["stock.move"].create(
            {"name": "wait", "product_id": self.comp_a.id, "product_uom_qty": 1, "location_id": self.stock.id,
             "location_dest_id": self.customer.id, "picking_type_id": picking_type.id}
        )  # fmt: skip
        waiting._action_confirm()
        waiting._do_unreserve()
        self.assertEqual(waiting.state, "confirmed")
        arrived = self.env["stock.move"].create(
            {"name": "in", "product_id": self.comp_a.id, "product_uom_qty": 1, "location_id": self.customer.id,
             "location_dest_id": self.stock.id}
        )  # fmt: skip
        self.env["stock.move"].browse([arrived.id] * 12_000)._trigger_assign()
        self.assertEqual(waiting.state, "assigned")

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
        """Two quants of part A in WH/Stock (e.g. left by a concurrent update): Odoo's own path.

        Which of two plain quants Odoo's _update_available_quantity takes is not defined: it locks
        `... WHERE id IN (both) ORDER BY lot_id LIMIT 1` and lot_id is NULL on both, so PostgreSQL
        returns whichever row comes first in the heap, which moves as rows are rewritten (this made the
        quant-by-quant comparison fail in 1 of 5 runs, each path taking the 5 units from a different
        quant). The reserved quantity is not defined either: Odoo reserves on one quant and may unreserve
        on the other, where it is clamped at 0, leaving the first one reserved (5 units in one path, 0 in
        the other, in another run). So the two paths are compared on the quantity per product, location
        and lot, and on the move lines, which are fully defined."""
        self.env["stock.quant"].sudo().create(
            {"product_id": self.comp_a.id, "location_id": self.stock.id, "quantity": 4, "in_date": "2026-01-01"}
        )
        names = [f"S-{i}" for i in range(5)]
        (batched_quants, batched_lines), _b = self._produce_outcome(names)
        (odoo_quants, odoo_lines), _o = self._produce_outcome(names, lst_quant_batch_off=True)
        self.assertEqual(batched_lines, odoo_lines)
        self.assertEqual(self._totals(batched_quants), self._totals(odoo_quants))
        part_a = [q for q in batched_quants if q[0] == "BP part A" and q[1] == "WH/Stock"]
        self.assertEqual(len(part_a), 2)
        self.assertEqual(sum(q[3] for q in part_a), 5004 - 5)

    @staticmethod
    def _totals(quants):
        """{(product, location, lot): quantity} summed over the quants of each key."""
        totals = {}
        for product, location, lot, quantity, _reserved, _in_date in quants:
            totals[product, location, lot] = totals.get((product, location, lot), 0) + quantity
        return totals

    def test_backorder_like_odoo(self):
        """3 serials for an MO of 5: the backorder MO of 2 keeps its reservation, as in Odoo's path."""
        (quants, lines), _b, _o = self.assert_same_as_odoo(["BO-1", "BO-2", "BO-3"], qty=5)
        stock = {q[0]: q for q in quants if q[1] == "WH/Stock" and q[0] != "BP chair"}
        self.assertEqual(stock["BP part A"][3:5], (5000 - 3, 2), "2 reserved for the backorder")
        self.assertEqual(stock["BP part B"][3:5], (5000 - 6, 4))

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

    def test_tour_batch_produce_lots(self):
        mo = self._mo(self.lot_product, 10)
        name = mo.name
        self.start_tour(
            f"/odoo/action-mrp.mrp_production_action/{mo.id}", "lot_serial_tracking_batch_produce_lots", login="admin"
        )
        mos = self.env["mrp.production"].search([("name", "like", f"{name}-")]).sorted("backorder_sequence")
        self.assertEqual(mos.mapped("product_qty"), [3, 3, 3, 1])
        self.assertEqual(mos.mapped("state"), ["done", "done", "done", "confirmed"])
        self.assertEqual(mos.lot_producing_id.mapped("name"), ["BPL-001", "BPL-002", "BPL-003"])
