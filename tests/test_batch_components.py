# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Batch Production at scale (summary and Generate in a bounded number of queries) and component lots
given once for every unit (a lot, or consecutive serials paired with the units in order)."""

from collections import deque
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, TransactionCase, tagged

from ..models import mrp_production_batch
from .test_batch_produce import BatchProduceCommon


class BatchComponentsCommon(BatchProduceCommon):
    @classmethod
    def _setup_components(cls):
        env = cls.env
        Product = env["product.product"]
        cls.glue = Product.create(
            {"name": "BC glue", "is_storable": True, "tracking": "lot", "uom_id": env.ref("uom.product_uom_unit").id}
        )
        cls.wheel = Product.create({"name": "BC wheel", "is_storable": True, "tracking": "serial"})
        # Odoo's default (mrp's demo data turns it on): component lots must exist before they are consumed
        env["stock.picking.type"].search([("code", "=", "mrp_operation")]).use_create_components_lots = False
        cls.glue_lot = env["stock.lot"].create({"name": "GLUE-7", "product_id": cls.glue.id})
        env["stock.quant"]._update_available_quantity(cls.glue, cls.stock, 20, lot_id=cls.glue_lot)
        wheels = env["stock.lot"].create([{"name": f"CMP-{n:04d}", "product_id": cls.wheel.id} for n in range(1, 13)])
        for lot in wheels:
            env["stock.quant"]._update_available_quantity(cls.wheel, cls.stock, 1, lot_id=lot)
        cls.wheels = wheels
        # one chair: 2 glue (lot) and 2 wheels (serials), besides Part A and Part B
        cls.serial_product.bom_ids.bom_line_ids = [
            (0, 0, {"product_id": cls.glue.id, "product_qty": 2}),
            (0, 0, {"product_id": cls.wheel.id, "product_qty": 2}),
        ]

    def _component_lines(self, mo, product):
        return mo.move_raw_ids.filtered(lambda m: m.product_id == product).move_line_ids


@tagged("post_install", "-at_install")
class TestBatchComponents(BatchComponentsCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_batch_data()
        cls._setup_components()

    # ---------------------------------------------------------------- XML-RPC
    def test_batch_produce_lot_for_every_unit_and_serials_in_order(self):
        mo = self._mo(self.serial_product, 3)
        ids = mo.batch_produce(
            ["CH-1", "CH-2", "CH-3"],
            component_lots={str(self.glue.id): "GLUE-7"},  # XML-RPC keys are strings
            component_first_serials={self.wheel.id: "CMP-0003"},
        )
        mos = self.env["mrp.production"].browse(ids)
        self.assertEqual(mos.mapped("state"), ["done"] * 3)
        for index, production in enumerate(mos):
            glue = self._component_lines(production, self.glue)
            self.assertEqual(glue.lot_id, self.glue_lot)
            self.assertEqual(sum(glue.mapped("quantity")), 2, "unit_factor of glue per unit")
            wheels = self._component_lines(production, self.wheel)
            first = 3 + 2 * index
            self.assertEqual(sorted(wheels.lot_id.mapped("name")), [f"CMP-{first:04d}", f"CMP-{first + 1:04d}"])
        self.assertEqual(self.glue.with_context(lot_id=self.glue_lot.id).qty_available, 20 - 6)

    def test_own_column_wins_and_other_components_keep_the_plan(self):
        mo = self._mo(self.serial_product, 2)
        other = self.env["stock.lot"].create({"name": "GLUE-8", "product_id": self.glue.id})
        self.env["stock.quant"]._update_available_quantity(self.glue, self.stock, 5, lot_id=other)
        ids = mo.batch_produce(["CH-1,GLUE-8", "CH-2"], component_lots={self.glue.id: "GLUE-7"}, mark_done=False)
        mos = self.env["mrp.production"].browse(ids)
        self.assertEqual(self._component_lines(mos[0], self.glue).lot_id, other)
        self.assertEqual(self._component_lines(mos[1], self.glue).lot_id, self.glue_lot)

    def test_plan_errors_name_what_to_fix_and_write_nothing(self):
        mo = self._mo(self.serial_product, 3)
        other_company = self.env["res.company"].create({"name": "BC other company"})
        self.env["stock.lot"].create({"name": "GLUE-X", "product_id": self.glue.id, "company_id": other_company.id})
        self.env["stock.lot"].create({"name": "PAINT-1", "product_id": self.comp_a.id})
        used = self.wheels[5]  # CMP-0006: consumed elsewhere
        self.env["stock.quant"]._update_available_quantity(self.wheel, self.stock, -1, lot_id=used)
        cases = [
            ({"component_lots": {self.glue.id: "NOPE"}}, "that do not exist: NOPE"),
            ({"component_lots": {self.glue.id: "PAINT-1"}}, "PAINT-1 is a lot of .*BP part A.*, not of .*BC glue"),
            ({"component_lots": {self.glue.id: "GLUE-X"}}, "belong to another company: GLUE-X"),
            ({"component_first_serials": {self.wheel.id: "CMP-0005"}}, "not available in .*: CMP-0006"),
            ({"component_first_serials": {self.wheel.id: "CMP-0009"}}, "do not exist: CMP-0013, CMP-0014"),
            ({"component_lots": {self.wheel.id: "CMP-0001"}}, "one serial cannot go in every unit"),
            ({"component_first_serials": {self.glue.id: "GLUE-7"}}, "tracked by lots, not serial numbers"),
            ({"component_lots": {self.comp_a.id: "PAINT-1"}}, "is not the id of a component .* tracked"),
            ({"component_lots": {"x": "GLUE-7"}}, "is not the id of a component"),
            ({"component_lots": ["GLUE-7"]}, "must be a dictionary"),
            ({"component_lots": {self.glue.id: 7}}, "give a lot/serial name"),
        ]
        before = self._snapshot(self.serial_product)
        for kwargs, message in cases:
            with self.subTest(kwargs=kwargs), self.assertRaisesRegex(UserError, message):
                mo.batch_produce(["CH-1", "CH-2", "CH-3"], **kwargs)
        self.assertEqual(self._snapshot(self.serial_product), before, "nothing written")
        self.assertEqual(mo.state, "confirmed")

    def test_not_enough_in_the_lot(self):
        mo = self._mo(self.serial_product, 12)  # 24 glue needed, 20 in GLUE-7
        with self.assertRaisesRegex(UserError, r"GLUE-7 of BC glue: 24 Units needed, 20 available"):
            mo.batch_produce([f"CH-{n}" for n in range(1, 13)], component_lots={self.glue.id: "GLUE-7"})

    # ---------------------------------------------------------------- wizard
    def test_wizard_components_list_and_summary(self):
        mo = self._mo(self.serial_product, 2)
        form = self._wizard(mo)
        wizard = form.save()
        self.assertEqual(wizard.lst_component_ids.product_id, self.glue | self.wheel, "the tracked components")
        glue_line = wizard.lst_component_ids.filtered(lambda line: line.product_id == self.glue)
        wheel_line = wizard.lst_component_ids - glue_line
        self.assertEqual(glue_line.qty_per_unit, 2)
        glue_line.lot_id = self.glue_lot
        wheel_line.first_serial = "CMP-0001"
        wizard.lot_name = "CH-1"
        wizard.action_generate_production_text()
        self.assertEqual(wizard.production_text, "CH-1\nCH-2", "the text stays one serial per line")
        self.assertIn("lot GLUE-7 for every unit", wizard.lst_summary)
        self.assertIn("serials from CMP-0001", wizard.lst_summary)
        self.assertIn("No problem found", wizard.lst_summary)
        wheel_line.first_serial = "CMP-0012"
        self.assertIn("do not exist: CMP-0013", wizard.lst_summary)
        wheel_line.first_serial = "CMP-0001"
        wizard.action_done()
        mos = mo.procurement_group_id.mrp_production_ids.sorted("backorder_sequence")
        self.assertEqual(mos.mapped("state"), ["done", "done"])
        self.assertEqual(
            sorted(self._component_lines(mos[1], self.wheel).lot_id.mapped("name")), ["CMP-0003", "CMP-0004"]
        )

    def test_lot_mode_lot_for_every_unit(self):
        """A lot-tracked finished product: each lot line consumes its units times the quantity per unit."""
        self.lot_product.bom_ids.bom_line_ids = [(0, 0, {"product_id": self.glue.id, "product_qty": 1})]
        mo = self._mo(self.lot_product, 10)
        ids = mo.batch_produce(["PL-1;4", "PL-2;6"], component_lots={self.glue.id: "GLUE-7"})
        mos = self.env["mrp.production"].browse(ids)
        self.assertEqual([sum(self._component_lines(p, self.glue).mapped("quantity")) for p in mos], [4, 6])

    def test_empty_column_keeps_the_reservation(self):
        """An empty component column is no lot named "" (Odoo: "Lot  does not exist"): the move keeps its
        reserved lot."""
        self.serial_product.bom_ids.bom_line_ids.filtered(lambda bl: bl.product_id == self.wheel).unlink()
        mo = self._mo(self.serial_product, 1)
        mo.action_assign()
        mo._lst_assign_component_lots(deque([""]))
        self.assertEqual(self._component_lines(mo, self.glue).lot_id, self.glue_lot)

    # ---------------------------------------------------------------- scale: queries do not grow with lines
    def _summary_queries(self, count):
        mo = self._mo(self.serial_product, count)
        wizard = Form(self.env["mrp.batch.produce"].with_context(**mo.button_mark_done()["context"])).save()
        wizard.lot_name = "SC-00001"
        self.env.flush_all()
        self.env.invalidate_all()
        queries = self.env.cr.sql_log_count
        wizard.action_generate_production_text()
        self.env.flush_all()
        generate = self.env.cr.sql_log_count - queries
        self.env.invalidate_all()
        queries = self.env.cr.sql_log_count
        self.assertIn("No problem found", wizard.lst_summary)
        return generate, self.env.cr.sql_log_count - queries

    def test_generate_and_summary_queries_do_not_grow_with_lines(self):
        """Generate and the summary at 10 and at 3,000 serials (some of them existing on other products,
        some on this product): the same number of queries. Before, the summary read the lots found back 1,000
        at a time (3 more queries at 3,000)."""
        Lot = self.env["stock.lot"]
        Lot.create([{"name": f"SC-{n:05d}", "product_id": self.comp_a.id} for n in range(1, 3001)])
        small = self._summary_queries(10)
        large = self._summary_queries(3000)
        self.assertEqual(large, small)
        self.assertLessEqual(large[1], 15)

    def test_lot_names_have_a_btree_index(self):
        """Exact lot names are looked up through a b-tree index: Odoo's trigram index alone made
        PostgreSQL check 1,000 names in 6 s among 300,000 lots."""
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'stock_lot' AND indexname = 'stock_lot_lst_name_index'"
        )
        self.assertIn("btree (name)", self.env.cr.fetchone()[0])

    def test_text_box_widget(self):
        """The text box is the fixed-height widget that does not send the text on each Enter."""
        arch = self.env["mrp.batch.produce"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('widget="lst_batch_text"', arch)

    def test_rule_names_formatted_as_odoo(self):
        """The rule's names, formatted once for a whole batch, are Odoo's ir.sequence names."""
        rule = self.serial_rule
        rule.lot_prefix = "BC-%(year)s-"
        sequence = self.env["ir.sequence"].new({"prefix": rule.lot_prefix, "padding": rule.lot_padding})
        self.assertEqual(
            rule._lst_format_lot_names([1, 42, 123456]), [sequence.get_next_char(n) for n in (1, 42, 123456)]
        )

    def test_assign_several_mos_at_once_as_one_by_one(self):
        """_lst_assign_component_lots_multi (one lot search, one unlink, one create for the whole batch) gives
        the move lines that _lst_assign_component_lots (Odoo's _process_components, MO by MO) gives."""
        columns = ["GLUE-7,CMP-0001|CMP-0002", "GLUE-7;1|GLUE-7;1,CMP-0003|CMP-0004", ",CMP-0005|CMP-0006"]

        def split(count):
            mo = self._mo(self.serial_product, count)
            mo.action_assign()
            mos, _backorder = mo._lst_split_for_lots("\n".join(f"M{count}-{n}" for n in range(count)))
            return mos

        def lines(mos):
            return [
                sorted(
                    (ml.product_id.name, ml.lot_id.name, ml.quantity)
                    for ml in mo.move_raw_ids.move_line_ids
                    if ml.product_id in self.glue | self.wheel
                )
                for mo in mos
            ]

        one_by_one = split(3)
        for mo, text in zip(one_by_one, columns, strict=True):
            mo._lst_assign_component_lots(deque(text.split(",")))
        expected = lines(one_by_one)
        one_by_one.action_cancel()
        at_once = split(3)
        at_once._lst_assign_component_lots_multi(
            {mo: deque(text.split(",")) for mo, text in zip(at_once, columns, strict=True)}
        )
        self.assertEqual(lines(at_once), expected)
        self.assertEqual(expected[1][0], ("BC glue", "GLUE-7", 1.0))

    def test_first_serial_creates_serials_when_the_operation_type_does(self):
        """With "Create New Lots/Serial Numbers for Components" on the operation type (Odoo then creates the
        lots typed in the columns), consecutive serials that do not exist yet are created, as in Odoo."""
        self.env["stock.picking.type"].search([("code", "=", "mrp_operation")]).use_create_components_lots = True
        mo = self._mo(self.serial_product, 2)
        ids = mo.batch_produce(
            ["CR-1", "CR-2"],
            component_lots={self.glue.id: "GLUE-7"},
            component_first_serials={self.wheel.id: "NEW-0001"},
        )
        mos = self.env["mrp.production"].browse(ids)
        self.assertEqual(
            sorted(self._component_lines(mos[1], self.wheel).lot_id.mapped("name")), ["NEW-0003", "NEW-0004"]
        )

    def test_background_job_keeps_serials_with_their_units(self):
        """A batch large enough for the background job (produced in chunks) with a component plan: the plan
        is written out as columns when the job is queued, so unit n still gets serial n in a later chunk."""
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("lot_serial_tracking.batch_background_from", 3)
        params.set_param("lot_serial_tracking.batch_chunk", 2)
        mo = self._mo(self.serial_product, 3)
        wizard = self._wizard(mo).save()
        wizard.lst_component_ids.filtered(lambda line: line.product_id == self.glue).lot_id = self.glue_lot
        wizard.lst_component_ids.filtered(lambda line: line.product_id == self.wheel).first_serial = "CMP-0001"
        wizard.production_text = "BG-1\nBG-2\nBG-3"
        self.assertEqual(wizard.action_done()["tag"], "display_notification")
        job = self.env["mrp.production.batch.job"].search([("origin_production_id", "=", mo.id)])
        self.assertEqual(
            job.lines_text.split("\n"),
            ["BG-1,GLUE-7,CMP-0001|CMP-0002", "BG-2,GLUE-7,CMP-0003|CMP-0004", "BG-3,GLUE-7,CMP-0005|CMP-0006"],
        )
        for _i in range(5):
            if job.state not in ("queued", "running"):
                break
            job._lst_run_chunk()
        self.assertEqual(job.state, "done", job.error)
        third = job.production_ids.filtered(lambda p: p.lot_producing_id.name == "BG-3")
        self.assertEqual(
            sorted(self._component_lines(third, self.wheel).lot_id.mapped("name")), ["CMP-0005", "CMP-0006"]
        )
        # over XML-RPC too
        mo2 = self._mo(self.serial_product, 3)
        job2 = (
            self.env["mrp.production"]
            .browse(mo2.id)
            .batch_produce_in_background(
                ["BH-1", "BH-2", "BH-3"],
                component_lots={str(self.glue.id): "GLUE-7"},
                component_first_serials={self.wheel.id: "CMP-0007"},
            )
        )
        self.assertEqual(
            self.env["mrp.production.batch.job"].browse(job2).lines_text.split("\n")[2], "BH-3,GLUE-7,CMP-0011|CMP-0012"
        )


@tagged("post_install", "-at_install")
class TestBatchComponentsTour(BatchComponentsCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_batch_data()
        cls._setup_components()

    def test_tour_components(self):
        mo = self._mo(self.serial_product, 2)
        name = mo.name
        self.start_tour(
            f"/odoo/action-mrp.mrp_production_action/{mo.id}",
            "lot_serial_tracking_batch_produce_components",
            login="admin",
        )
        mos = self.env["mrp.production"].search([("name", "like", f"{name}-")]).sorted("backorder_sequence")
        self.assertEqual(mos.mapped("state"), ["done", "done"])
        self.assertEqual(
            sorted(self._component_lines(mos, self.wheel).lot_id.mapped("name")),
            ["CMP-0003", "CMP-0004", "CMP-0005", "CMP-0006"],
        )
        self.assertEqual(self._component_lines(mos, self.glue).lot_id, self.glue_lot)


@tagged("post_install", "-at_install")
class TestBatchInParts(BatchComponentsCommon, TransactionCase):
    """The MOs of more than IN_PROCESS_CHUNK lines are produced in parts within one transaction (here parts of 2
    MOs): the same MOs, lots and component pairing as one part, and any error undoes the whole batch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_batch_data()
        cls._setup_components()

    def setUp(self):
        super().setUp()
        patcher = patch.object(mrp_production_batch, "IN_PROCESS_CHUNK", 2)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_parts_give_the_mos_lots_and_pairing_of_one_part(self):
        mo = self._mo(self.serial_product, 6)
        name = mo.name
        ids = mo.batch_produce(
            ["CH-1", "CH-2", "CH-3", "CH-4", "CH-5"],
            component_lots={self.glue.id: "GLUE-7"},
            component_first_serials={self.wheel.id: "CMP-0001"},
        )
        mos = self.env["mrp.production"].browse(ids)
        self.assertEqual(len(mos), 6, "5 lines and the backorder of the unit left")
        self.assertEqual(mos[0], mo, "the original MO first")
        self.assertEqual(mos.mapped("name"), [f"{name}-{n:03d}" for n in range(1, 7)])
        self.assertEqual(mos[:5].mapped("lot_producing_id.name"), [f"CH-{n}" for n in range(1, 6)])
        self.assertEqual(mos[:5].mapped("state"), ["done"] * 5)
        self.assertEqual((mos[5].state, mos[5].product_qty, mos[5].lot_producing_id.id), ("confirmed", 1, False))
        for index, production in enumerate(mos[:5]):
            wheels = self._component_lines(production, self.wheel)
            first = 1 + 2 * index
            self.assertEqual(sorted(wheels.lot_id.mapped("name")), [f"CMP-{first:04d}", f"CMP-{first + 1:04d}"])
            self.assertEqual(self._component_lines(production, self.glue).lot_id, self.glue_lot)

    def test_every_bad_line_listed_before_anything_is_written(self):
        mo = self._mo(self.serial_product, 5)
        before = self._snapshot(self.serial_product)
        with self.assertRaisesRegex(UserError, r"(?s)Line 3.*Line 5"):
            mo.batch_produce(["CH-1", "CH-2", "CH-\x013", "CH-4", "CH-1"])
        self.assertEqual(self._snapshot(self.serial_product), before)

    def test_error_in_a_later_part_undoes_the_earlier_parts(self):
        """The 3rd part consumes wheel CMP-0009, blocked (a recall): refused when that part is produced, after two
        parts were produced; the whole batch is undone."""
        mo = self._mo(self.serial_product, 5)
        self.wheels.filtered(lambda lot: lot.name == "CMP-0009").set_lot_status("blocked", "BC recall")
        before = self._snapshot(self.serial_product)
        with self.assertRaisesRegex(UserError, "CMP-0009") as refused:
            with self.env.cr.savepoint():
                mo.batch_produce(
                    ["CH-1", "CH-2", "CH-3", "CH-4", "CH-5"], component_first_serials={self.wheel.id: "CMP-0001"}
                )
        self.assertIn("-005", str(refused.exception), "the 5th MO, made by the 3rd part")
        self.assertEqual(self._snapshot(self.serial_product), before)
