# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged


class RecallCommon:
    """Real flows only: receipts through quants, MOs marked done, deliveries validated, returns made
    with Odoo's return wizard."""

    @classmethod
    def _setup_recall_data(cls):
        env = cls.env
        cls.company = env.company
        cls.warehouse = env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        cls.customers = env.ref("stock.stock_location_customers")
        cls.uom_unit = env.ref("uom.product_uom_unit")
        product = env["product.product"]
        cls.resin = product.create({"name": "Recall Resin", "is_storable": True, "tracking": "lot"})
        cls.panel = product.create({"name": "Recall Panel", "is_storable": True, "tracking": "lot"})
        cls.screw = product.create({"name": "Recall Screw", "is_storable": True})
        cls.cabinet = product.create({"name": "Recall Cabinet", "is_storable": True, "tracking": "serial"})
        cls.gadget = product.create({"name": "Recall Gadget", "is_storable": True, "tracking": "lot"})
        bom = env["mrp.bom"]
        cls.bom_panel = bom.create(
            {
                "product_tmpl_id": cls.panel.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [Command.create({"product_id": cls.resin.id, "product_qty": 2})],
            }
        )
        cls.bom_cabinet = bom.create(
            {
                "product_tmpl_id": cls.cabinet.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    Command.create({"product_id": cls.panel.id, "product_qty": 1}),
                    Command.create({"product_id": cls.screw.id, "product_qty": 4}),
                ],
            }
        )
        partner = env["res.partner"]
        cls.alice = partner.create({"name": "Alice Recallee"})
        cls.bob = partner.create({"name": "Bob Recallee"})
        cls.carol = partner.create({"name": "Carol Recallee"})
        cls.dave = partner.create({"name": "Dave Recallee"})

    @classmethod
    def _lot(cls, product, name, company=None):
        return cls.env["stock.lot"].create(
            {"name": name, "product_id": product.id, "company_id": (company or cls.company).id}
        )

    @classmethod
    def _stock(cls, product, qty, lot=None, location=None):
        cls.env["stock.quant"]._update_available_quantity(product, location or cls.stock, qty, lot_id=lot)

    @classmethod
    def _deliver(cls, partner, product, qty, lot=None, warehouse=None, lot_name=None):
        """A validated delivery order; ``lot_name`` types a new serial on the delivery line."""
        warehouse = warehouse or cls.warehouse
        picking = cls.env["stock.picking"].create(
            {
                "partner_id": partner.id,
                "picking_type_id": warehouse.out_type_id.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": cls.customers.id,
                "company_id": warehouse.company_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": product.uom_id.id,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": cls.customers.id,
                            "company_id": warehouse.company_id.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        if lot or lot_name:
            picking.move_ids.move_line_ids.unlink()
            picking.move_ids.move_line_ids = [
                Command.create(
                    {
                        "product_id": product.id,
                        "quantity": qty,
                        "lot_id": lot.id if lot else False,
                        "lot_name": lot_name or False,
                        "location_id": warehouse.lot_stock_id.id,
                        "location_dest_id": cls.customers.id,
                        "picking_id": picking.id,
                    }
                )
            ]
        picking.move_ids.picked = True
        picking.with_context(skip_sms=True, skip_backorder=True).button_validate()
        assert picking.state == "done", picking.state
        return picking

    @classmethod
    def _return(cls, picking, qty, lot):
        wizard = Form(
            cls.env["stock.return.picking"].with_context(active_id=picking.id, active_model="stock.picking")
        ).save()
        wizard.product_return_moves.quantity = qty
        ret = cls.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        ret.action_assign()
        ret.move_ids.move_line_ids.unlink()
        ret.move_ids.move_line_ids = [
            Command.create(
                {
                    "product_id": lot.product_id.id,
                    "quantity": qty,
                    "lot_id": lot.id,
                    "location_id": ret.location_id.id,
                    "location_dest_id": ret.location_dest_id.id,
                    "picking_id": ret.id,
                }
            )
        ]
        ret.move_ids.picked = True
        ret.with_context(skip_sms=True, skip_backorder=True).button_validate()
        assert ret.state == "done", ret.state
        return ret

    @classmethod
    def _produce(cls, bom, qty, finished_lot, component_lots):
        """A done MO of ``bom`` producing ``finished_lot`` from ``component_lots`` {product: lot}."""
        mo_form = Form(cls.env["mrp.production"])
        mo_form.bom_id = bom
        mo_form.product_qty = qty
        mo = mo_form.save()
        mo.action_confirm()
        mo.action_assign()
        mo_form = Form(mo)
        mo_form.qty_producing = qty
        mo_form.lot_producing_id = finished_lot
        mo = mo_form.save()
        for move in mo.move_raw_ids:
            lot = component_lots.get(move.product_id)
            move.move_line_ids.unlink()
            move.move_line_ids = [
                Command.create(
                    {
                        "product_id": move.product_id.id,
                        "quantity": move.product_uom_qty,
                        "lot_id": lot.id if lot else False,
                        "location_id": move.location_id.id,
                        "location_dest_id": move.location_dest_id.id,
                    }
                )
            ]
            move.picked = True
        mo.button_mark_done()
        assert mo.state == "done", mo.state
        return mo

    def _by(self, lines, *keys):
        return sorted(tuple(line[k] for k in keys) for line in lines)


@tagged("post_install", "-at_install")
class TestRecall(RecallCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_recall_data()
        # resin lot R1: 20 units; 2 go straight to Alice, 4 make panel lot P1 (2 panels),
        # P1 makes cabinets S1 (-> Bob) and S2 (-> Carol); 2 resin more go to Dave then come back.
        cls.resin_lot = cls._lot(cls.resin, "RESIN-R1")
        cls._stock(cls.resin, 20, cls.resin_lot)
        cls._stock(cls.screw, 100)
        cls.pick_alice = cls._deliver(cls.alice, cls.resin, 2, cls.resin_lot)
        cls.panel_lot = cls._lot(cls.panel, "PANEL-P1")
        cls.mo_panel = cls._produce(cls.bom_panel, 2, cls.panel_lot, {cls.resin: cls.resin_lot})
        cls.serial_1 = cls._lot(cls.cabinet, "CAB-S1")
        cls.serial_2 = cls._lot(cls.cabinet, "CAB-S2")
        cls.mo_cab_1 = cls._produce(cls.bom_cabinet, 1, cls.serial_1, {cls.panel: cls.panel_lot})
        cls.mo_cab_2 = cls._produce(cls.bom_cabinet, 1, cls.serial_2, {cls.panel: cls.panel_lot})
        cls.pick_bob = cls._deliver(cls.bob, cls.cabinet, 1, cls.serial_1)
        cls.pick_carol = cls._deliver(cls.carol, cls.cabinet, 1, cls.serial_2)

    def test_direct_delivery(self):
        lines = self.panel_lot.get_recall_lines()
        self.assertEqual(
            self._by(lines, "partner_name", "via_lot_name"),
            [("Bob Recallee", "CAB-S1"), ("Carol Recallee", "CAB-S2")],
            "the panels reached customers inside cabinets only",
        )
        self.assertEqual(lines[0]["via_path"], f"CAB-S1 ({self.mo_cab_1.name})")
        other = self._lot(self.resin, "RESIN-OTHER")
        self._stock(self.resin, 5, other)
        self._deliver(self.dave, self.resin, 3, other)
        lines = other.get_recall_lines()
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines[0]["partner_name"], "Dave Recallee")
        self.assertEqual(lines[0]["quantity"], 3.0)
        self.assertEqual(lines[0]["via_lot_name"], False)
        self.assertEqual(lines[0]["state"], "delivered")
        # the other lot's recall does not leak into RESIN-R1's
        self.assertNotIn("Dave Recallee", [line["partner_name"] for line in self.resin_lot.get_recall_lines()])

    def test_through_two_mo_levels(self):
        lines = self.resin_lot.get_recall_lines()
        self.assertEqual(
            self._by(lines, "partner_name", "picking_name", "lot_name", "via_lot_name", "via_production_name"),
            [
                ("Alice Recallee", self.pick_alice.name, "RESIN-R1", False, False),
                ("Bob Recallee", self.pick_bob.name, "RESIN-R1", "CAB-S1", self.mo_cab_1.name),
                ("Carol Recallee", self.pick_carol.name, "RESIN-R1", "CAB-S2", self.mo_cab_2.name),
            ],
        )
        bob = next(line for line in lines if line["partner_name"] == "Bob Recallee")
        self.assertEqual(bob["via_path"], f"PANEL-P1 ({self.mo_panel.name}) → CAB-S1 ({self.mo_cab_1.name})")
        self.assertEqual(bob["delivered_product_name"], "Recall Cabinet")
        self.assertEqual(bob["product_name"], "Recall Resin")
        self.assertEqual(bob["quantity"], 1.0)
        # a finished serial's own recall is direct
        lines = self.serial_1.get_recall_lines()
        self.assertEqual(self._by(lines, "partner_name", "via_lot_name"), [("Bob Recallee", False)])

    def test_several_lots_and_list_action(self):
        lots = self.resin_lot | self.serial_2
        action = lots.action_lst_recall()
        self.assertEqual(action["res_model"], "stock.recall.line")
        self.assertEqual(action["context"]["search_default_group_by_partner"], 1)
        self.assertIs(action["context"]["lst_recall_expand"], True, "3 customers: the groups open")
        lines = self.env["stock.recall.line"].search(action["domain"])
        self.assertEqual(
            self._by(
                [{"p": line.partner_id.name, "l": line.lot_id.name, "v": line.via_lot_id.name} for line in lines],
                "p",
                "l",
                "v",
            ),
            [
                ("Alice Recallee", "RESIN-R1", False),
                ("Bob Recallee", "RESIN-R1", "CAB-S1"),
                ("Carol Recallee", "CAB-S2", False),
                ("Carol Recallee", "RESIN-R1", "CAB-S2"),
            ],
        )
        groups = self.env["stock.recall.line"].read_group(action["domain"], ["quantity:sum"], ["partner_id"])
        self.assertEqual(
            {g["partner_id"][1]: g["quantity"] for g in groups},
            {
                "Alice Recallee": 2.0,
                "Bob Recallee": 1.0,
                "Carol Recallee": 2.0,
            },
        )
        # the server action bound to the lot list starts a recall case of those lots, whose Customers
        # button opens this same list
        server_action = self.env.ref("lot_serial_tracking.stock_lot_recall_server_action")
        res = server_action.with_context(active_model="stock.lot", active_ids=lots.ids).run()
        case = self.env["stock.recall"].browse(res["res_id"])
        self.assertEqual(case.lot_ids, lots)
        res = case.action_lst_customers()
        self.assertEqual(len(self.env["stock.recall.line"].search(res["domain"])), 4)

    def test_unbuilt_and_shipped_again(self):
        """Bob returns cabinet CAB-S1, it is unbuilt and its panel shipped to Dave: the cabinet's recall
        ends at Bob (returned), the panel's lists Dave directly and not through the cabinet."""
        self._return(self.pick_bob, 1, self.serial_1)
        unbuild = self.env["mrp.unbuild"].create(
            {
                "product_id": self.cabinet.id,
                "bom_id": self.bom_cabinet.id,
                "mo_id": self.mo_cab_1.id,
                "lot_id": self.serial_1.id,
                "product_qty": 1,
            }
        )
        unbuild.action_unbuild()
        self.assertEqual(unbuild.state, "done")
        pick_dave = self._deliver(self.dave, self.panel, 1, self.panel_lot)
        self.assertEqual(
            self._by(self.serial_1.get_recall_lines(), "partner_name", "state"), [("Bob Recallee", "returned")]
        )
        # the panel lot itself did reach Dave, directly
        lines = self.panel_lot.get_recall_lines()
        self.assertIn(
            ("Dave Recallee", pick_dave.name, False), self._by(lines, "partner_name", "picking_name", "via_lot_name")
        )

    def test_partial_and_full_returns(self):
        self._return(self.pick_alice, 1, self.resin_lot)
        self._return(self.pick_carol, 1, self.serial_2)
        lines = {line["partner_name"]: line for line in self.resin_lot.get_recall_lines()}
        self.assertEqual(
            (lines["Alice Recallee"]["quantity"], lines["Alice Recallee"]["returned_quantity"]), (2.0, 1.0)
        )
        self.assertEqual(lines["Alice Recallee"]["net_quantity"], 1.0)
        self.assertEqual(lines["Alice Recallee"]["state"], "partial")
        self.assertEqual(lines["Carol Recallee"]["state"], "returned")
        self.assertEqual(lines["Carol Recallee"]["returned_quantity"], 1.0)
        self.assertEqual(lines["Bob Recallee"]["state"], "delivered")
        # the returned serial goes out again to Dave: a new row, the old one stays returned
        pick_dave = self._deliver(self.dave, self.cabinet, 1, self.serial_2)
        lines = self.serial_2.get_recall_lines()
        self.assertEqual(
            self._by(lines, "partner_name", "picking_name", "state"),
            sorted(
                [("Carol Recallee", self.pick_carol.name, "returned"), ("Dave Recallee", pick_dave.name, "delivered")]
            ),
        )

    def test_return_without_wizard_counts_for_the_customer(self):
        """A plain receipt from the customer location (no origin move), from another contact of the
        same customer, still nets the customer's delivery; another customer's return does not."""
        contact = self.env["res.partner"].create({"name": "Alice's back office", "parent_id": self.alice.id})
        self._receive_back(self.bob, self.resin, 1, self.resin_lot)
        alice = next(line for line in self.resin_lot.get_recall_lines() if line["partner_name"] == "Alice Recallee")
        self.assertEqual(
            (alice["returned_quantity"], alice["state"]), (0.0, "delivered"), "Bob's return is not Alice's"
        )
        self._receive_back(contact, self.resin, 2, self.resin_lot)
        alice = next(line for line in self.resin_lot.get_recall_lines() if line["partner_name"] == "Alice Recallee")
        self.assertEqual((alice["returned_quantity"], alice["state"]), (2.0, "returned"))

    def _receive_back(self, partner, product, qty, lot):
        receipt = self.env["stock.picking"].create(
            {
                "partner_id": partner.id,
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.customers.id,
                "location_dest_id": self.stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "back",
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "location_id": self.customers.id,
                            "location_dest_id": self.stock.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        receipt.move_ids.move_line_ids.unlink()
        receipt.move_ids.move_line_ids = [
            Command.create({"product_id": product.id, "quantity": qty, "lot_id": lot.id, "picking_id": receipt.id})
        ]
        receipt.move_ids.picked = True
        receipt.with_context(skip_sms=True).button_validate()
        self.assertEqual(receipt.state, "done")
        return receipt

    def test_delivery_only_serial(self):
        """A serial typed on the delivery line of plain stock: the delivery is its only move."""
        lamp = self.env["product.product"].create({"name": "Recall Lamp", "is_storable": True, "tracking": "serial"})
        self._stock(lamp, 3)
        self.warehouse.out_type_id.use_create_lots = True
        picking = self._deliver(self.carol, lamp, 1, lot_name="LAMP-DO-1")
        lot = picking.move_line_ids.lot_id
        self.assertEqual(lot.name, "LAMP-DO-1")
        self.assertEqual(self.env["stock.move.line"].search_count([("lot_id", "=", lot.id)]), 1)
        lines = lot.get_recall_lines()
        self.assertEqual(
            self._by(lines, "partner_name", "picking_name", "quantity"), [("Carol Recallee", picking.name, 1.0)]
        )

    def test_get_recall_lines_types(self):
        self._return(self.pick_alice, 1, self.resin_lot)
        lines = self.resin_lot.get_recall_lines()
        self.assertEqual(len(lines), 3)
        ints = ("partner_id", "picking_id", "product_id", "lot_id", "delivered_product_id", "company_id")
        strs = ("partner_name", "picking_name", "product_name", "lot_name", "delivered_product_name", "date")
        via = ("via_lot_id", "via_lot_name", "via_production_id", "via_production_name", "via_path")
        for line in lines:
            self.assertNotIn(None, line.values())
            for key in ints:
                self.assertIsInstance(line[key], int, key)
                self.assertNotIsInstance(line[key], bool, key)
            for key in strs:
                self.assertIsInstance(line[key], str, key)
                self.assertTrue(line[key], key)
            for key in ("quantity", "returned_quantity", "net_quantity"):
                self.assertIsInstance(line[key], float, key)
            self.assertRegex(line["date"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
            direct = line["partner_name"] == "Alice Recallee"
            for key in via:
                if direct:
                    self.assertIs(line[key], False, key)
                else:
                    self.assertIsInstance(line[key], int if key.endswith("_id") else str, key)
        self.assertEqual(self.env["stock.lot"].get_recall_lines(), [])

    def test_export(self):
        action = self.resin_lot.action_lst_recall()
        lines = self.env["stock.recall.line"].search(action["domain"])
        data = lines.export_data(["partner_id", "picking_id", "lot_id", "via_lot_id", "quantity", "returned_qty"])
        rows = sorted(data["datas"], key=lambda r: r[0])
        self.assertEqual(
            [row[:4] for row in rows],
            [
                ["Alice Recallee", self.pick_alice.name, "RESIN-R1", ""],
                ["Bob Recallee", self.pick_bob.name, "RESIN-R1", "CAB-S1"],
                ["Carol Recallee", self.pick_carol.name, "RESIN-R1", "CAB-S2"],
            ],
        )
        self.assertEqual([row[4] for row in rows], [2.0, 1.0, 1.0])
        # an Inventory user with Odoo's "Access to export feature" right exports their own recall
        user = new_test_user(self.env, "recall_exporter", groups="stock.group_stock_user,base.group_allow_export")
        action = self.resin_lot.with_user(user).action_lst_recall()
        user_lines = self.env["stock.recall.line"].with_user(user).search(action["domain"])
        data = user_lines.export_data(["partner_id", "state"])
        self.assertEqual(
            sorted(data["datas"]),
            [["Alice Recallee", "At Customer"], ["Bob Recallee", "At Customer"], ["Carol Recallee", "At Customer"]],
        )

    def test_access_stock_user_and_portal(self):
        user = new_test_user(self.env, "recall_stock_user", groups="stock.group_stock_user")
        action = self.resin_lot.with_user(user).action_lst_recall()
        lines = self.env["stock.recall.line"].with_user(user).search(action["domain"])
        self.assertEqual(len(lines), 3)
        self.assertEqual(sorted(lines.partner_id.mapped("name")), ["Alice Recallee", "Bob Recallee", "Carol Recallee"])
        self.assertEqual(len(self.resin_lot.with_user(user).get_recall_lines()), 3)
        # another stock user does not see this user's recall lines (transient records are per user)
        other = new_test_user(self.env, "recall_stock_user2", groups="stock.group_stock_user")
        self.assertFalse(self.env["stock.recall.line"].with_user(other).search(action["domain"]))

        portal = new_test_user(self.env, "recall_portal", groups="base.group_portal")
        count = self.env["stock.recall.line"].search_count([])
        with self.assertRaises(AccessError):
            self.resin_lot.with_user(portal).get_recall_lines()
        with self.assertRaises(AccessError):
            self.resin_lot.with_user(portal).action_lst_recall()
        with self.assertRaises(AccessError):
            self.env["stock.recall.line"].with_user(portal).search([])
        self.assertEqual(self.env["stock.recall.line"].search_count([]), count)

    def test_multi_company_isolation(self):
        company_b = self.env["res.company"].create({"name": "Recall Company B"})
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)], limit=1)
        # a product and lot shared by both companies, delivered by each to its own customer
        shared = self.env["product.product"].create(
            {"name": "Recall Shared", "is_storable": True, "tracking": "lot", "company_id": False}
        )
        lot = self.env["stock.lot"].create({"name": "SHARED-1", "product_id": shared.id, "company_id": False})
        zed = self.env["res.partner"].create({"name": "Zed Customer of B", "company_id": company_b.id})
        self._stock(shared, 5, lot)
        self.env["stock.quant"].with_company(company_b)._update_available_quantity(
            shared, warehouse_b.lot_stock_id, 5, lot_id=lot
        )
        self._deliver(self.alice, shared, 2, lot)
        self._deliver(zed, shared, 1, lot, warehouse=warehouse_b)

        user_a = new_test_user(self.env, "recall_user_a", groups="stock.group_stock_user", company_id=self.company.id)
        user_b = new_test_user(
            self.env,
            "recall_user_b",
            groups="stock.group_stock_user",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        names_a = [line["partner_name"] for line in lot.with_user(user_a).get_recall_lines()]
        names_b = [line["partner_name"] for line in lot.with_user(user_b).get_recall_lines()]
        self.assertEqual(names_a, ["Alice Recallee"])
        self.assertEqual(names_b, ["Zed Customer of B"])
        action = lot.with_user(user_b).action_lst_recall()
        lines_b = self.env["stock.recall.line"].with_user(user_b).search(action["domain"])
        self.assertEqual(lines_b.partner_id.mapped("name"), ["Zed Customer of B"])
        # company A's lot is not even readable by user B
        with self.assertRaises(AccessError):
            self.resin_lot.with_user(user_b).get_recall_lines()
        # a user of both companies sees both, and only the enabled company's when one is enabled
        admin_both = new_test_user(
            self.env,
            "recall_user_ab",
            groups="stock.group_stock_user",
            company_id=self.company.id,
            company_ids=[Command.set((self.company | company_b).ids)],
        )
        both = lot.with_user(admin_both).with_context(allowed_company_ids=(self.company | company_b).ids)
        self.assertEqual(
            sorted(line["partner_name"] for line in both.get_recall_lines()), ["Alice Recallee", "Zed Customer of B"]
        )
        only_b = lot.with_user(admin_both).with_context(allowed_company_ids=company_b.ids)
        self.assertEqual([line["partner_name"] for line in only_b.get_recall_lines()], ["Zed Customer of B"])

    def test_print_needs_lots(self):
        lines = self.env["stock.recall.line"]
        from odoo.exceptions import UserError

        with self.assertRaises(UserError) as cm:
            lines.action_print_recall()
        self.assertIn("Open a recall", str(cm.exception))
        lines = lines.with_context(lst_recall_lot_ids=self.resin_lot.ids, discard_logo_check=True)
        action = lines.action_print_recall()
        self.assertEqual(action["report_name"], "lot_serial_tracking.report_stock_recall")


@tagged("post_install", "-at_install")
class TestRecallUi(RecallCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_recall_data()
        # resin in kg, cabinets in Units: Bob gets both (1.5 kg directly, 1 cabinet made from it)
        kg = cls.env.ref("uom.product_uom_kgm")
        cls.resin.product_tmpl_id.write({"uom_id": kg.id, "uom_po_id": kg.id})
        cls.bom_panel.bom_line_ids.product_uom_id = kg
        cls.alice.write(
            {
                "street": "12 Long Industrial Avenue",
                "zip": "1000",
                "city": "Brussels",
                "phone": "+32 2 555 01 01",
                "email": "alice@recallee.example.com",
            }
        )
        cls.resin_lot = cls._lot(cls.resin, "RESIN-TOUR")
        cls._stock(cls.resin, 20, cls.resin_lot)
        cls._stock(cls.screw, 100)
        cls._deliver(cls.alice, cls.resin, 2, cls.resin_lot)
        cls._deliver(cls.dave, cls.resin, 3, cls.resin_lot)
        cls._deliver(cls.bob, cls.resin, 1.5, cls.resin_lot)
        cls.panel_lot = cls._lot(cls.panel, "PANEL-TOUR")
        cls._produce(cls.bom_panel, 1, cls.panel_lot, {cls.resin: cls.resin_lot})
        cls.serial = cls._lot(cls.cabinet, "CAB-TOUR")
        cls._produce(cls.bom_cabinet, 1, cls.serial, {cls.panel: cls.panel_lot})
        cls._deliver(cls.bob, cls.cabinet, 1, cls.serial)

    def test_pdf_renders_customers(self):
        if not shutil.which("pdftotext") or not shutil.which("wkhtmltopdf"):
            self.fail("wkhtmltopdf and pdftotext (poppler-utils) are needed: make test installs them")
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("lot_serial_tracking.stock_recall_line_report_action", res_ids=self.resin_lot.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp, "recall.pdf")
            path.write_bytes(pdf)
            text = subprocess.run(
                ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
            ).stdout
        for name in ("Alice Recallee", "Bob Recallee", "Dave Recallee", "PANEL-TOUR", "RESIN-TOUR"):
            self.assertIn(name, text)
        self.assertIn("3 customer(s)", text)
        self.assertIn("Total Dave Recallee", text)
        # the customer's contact details, and a note when there are none
        self.assertIn("12 Long Industrial Avenue, Brussels 1000", text)
        self.assertIn("Phone: +32 2 555 01 01", text)
        self.assertIn("E-mail: alice@recallee.example.com", text)
        self.assertIn("No address, phone or e-mail recorded for this customer.", text)
        # one total per unit: Bob's 1.5 kg of resin and 1 cabinet are not added up
        totals = [line.split() for line in text.splitlines() if line.strip().startswith("Total Bob Recallee")]
        self.assertEqual(
            sorted(t[-4:] for t in totals), [["1.00", "0.00", "1.00", "Units"], ["1.50", "0.00", "1.50", "kg"]]
        )
        self.assertNotIn("2.50", text)

    def test_pdf_tables_share_their_columns(self):
        """Every customer's table has the same column positions (fixed layout), and a date never wraps."""
        pdf, _report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("lot_serial_tracking.stock_recall_line_report_action", res_ids=self.resin_lot.ids)
        )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp, "recall.pdf")
            path.write_bytes(pdf)
            html = subprocess.run(
                ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
            ).stdout
        words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', html)
        for header in ("Date", "Via", "Delivered", "Returned"):
            positions = {round(float(x)) for x, word in words if word == header}
            self.assertEqual(len(positions), 1, f"column {header} at x = {sorted(positions)} in the 3 tables")
        date_x = next(round(float(x)) for x, word in words if word == "Date")
        dates = {line["date"][:10] for line in self.resin_lot.get_recall_lines()}
        in_column = [word for x, word in words if round(float(x)) == date_x and word != "Date"]
        self.assertEqual(in_column, [next(iter(dates))] * 4, "each of the 4 lines shows its whole date")

    def test_tour_recall_from_lot(self):
        self.start_tour(
            f"/odoo/action-stock.action_production_lot_form/{self.resin_lot.id}",
            "lot_serial_tracking_recall",
            login="admin",
        )
