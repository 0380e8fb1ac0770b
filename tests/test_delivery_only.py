# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval


class DeliveryOnlyCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["stock.tracking.rule"].create(
            {
                "name": "DO serial test",
                "tracking": "serial",
                "capture": "delivery_only",
                "lot_prefix": "DOT-",
                "lot_padding": 4,
            }
        )
        # created through the template: product.product.create(tracking_rule_id=...) leaves a stale
        # cached `tracking` ('none') on the variant (see report)
        cls.product = (
            cls.env["product.template"]
            .create(
                {"name": "Test Lamp", "default_code": "TLAMP", "is_storable": True, "tracking_rule_id": cls.rule.id}
            )
            .product_variant_id
        )
        assert cls.product.tracking == "serial" and cls.product._lst_is_delivery_only()
        cls.normal = cls.env["product.product"].create(
            {"name": "Normal Serial", "is_storable": True, "tracking": "serial"}
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        cls.shelf = cls.env["stock.location"].create({"name": "Shelf DO", "location_id": cls.stock.id})
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.suppliers = cls.env.ref("stock.stock_location_suppliers")
        cls.partner = cls.env["res.partner"].create({"name": "Lamp Buyer"})
        cls.Quant = cls.env["stock.quant"]

    # helpers -------------------------------------------------------------
    def _qty(self, location, lot=None, strict=True):
        domain = [("product_id", "=", self.product.id), ("location_id", "=" if strict else "child_of", location.id)]
        if lot is not None:
            domain.append(("lot_id", "=", lot.id if lot else False))
        return sum(self.Quant.search(domain).mapped("quantity"))

    def _add_stock(self, qty, location=None):
        self.Quant._update_available_quantity(self.product, location or self.stock, qty)

    def _picking(self, picking_type, qty, product=None, src=None, dest=None, partner=None, user=None):
        picking = (
            self.env["stock.picking"]
            .with_user(user or self.env.user)
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "location_id": (src or picking_type.default_location_src_id).id,
                    "location_dest_id": (dest or picking_type.default_location_dest_id).id,
                    "partner_id": (partner or self.partner).id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": "test",
                                "product_id": (product or self.product).id,
                                "product_uom_qty": qty,
                                "product_uom": (product or self.product).uom_id.id,
                                "location_id": (src or picking_type.default_location_src_id).id,
                                "location_dest_id": (dest or picking_type.default_location_dest_id).id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def _delivery(self, qty, **kw):
        return self._picking(self.warehouse.out_type_id, qty, dest=self.customers, **kw)

    def _validate(self, picking):
        res = picking.button_validate()
        if isinstance(res, dict) and res.get("res_model") == "stock.backorder.confirmation":
            Form.from_action(self.env, res).save().process()
        return res

    def _negative_quants(self):
        return self.Quant.search(
            [
                ("product_id", "=", self.product.id),
                ("quantity", "<", 0),
                ("location_id.usage", "in", ("internal", "transit", "customer")),
            ]
        )


@tagged("post_install", "-at_install")
class TestDeliveryOnly(DeliveryOnlyCommon):
    def test_receipt_without_numbers(self):
        receipt = self._picking(self.warehouse.in_type_id, 4, src=self.suppliers)
        self.assertTrue(receipt.picking_type_id.use_create_lots, "standard receipt asks lots")
        move = receipt.move_ids
        self.assertEqual(move.has_tracking, "none")
        self.assertFalse(move.show_lots_text or move.show_lots_m2o or move.display_import_lot)
        self._validate(receipt)
        self.assertEqual(receipt.state, "done")
        self.assertEqual(self._qty(self.stock, lot=False, strict=False), 4)
        self.assertFalse(receipt.move_line_ids.lot_id)
        self.assertFalse(self.env["stock.lot"].search([("product_id", "=", self.product.id)]))

    def test_receipt_with_typed_lot_stays_plain(self):
        receipt = self._picking(self.warehouse.in_type_id, 1, src=self.suppliers)
        receipt.move_line_ids.lot_name = "TYPED-1"
        self._validate(receipt)
        self.assertFalse(receipt.move_line_ids.lot_id)
        self.assertEqual(self._qty(self.stock, lot=False, strict=False), 1)

    def test_internal_and_three_step_delivery(self):
        self._add_stock(5)
        internal = self._picking(self.warehouse.int_type_id, 2, src=self.stock, dest=self.shelf)
        self.assertEqual(len(internal.move_line_ids), 1, "untracked here: one line for 2 units")
        self._validate(internal)
        self.assertEqual(internal.state, "done")
        self.assertEqual(self._qty(self.shelf, lot=False), 2)

        self.warehouse.delivery_steps = "pick_pack_ship"
        group = self.env["procurement.group"].create({"name": "DO 3 steps", "partner_id": self.partner.id})
        self.env["procurement.group"].run(
            [
                self.env["procurement.group"].Procurement(
                    self.product,
                    3,
                    self.product.uom_id,
                    self.customers,
                    "DO",
                    "DO",
                    self.env.company,
                    {"warehouse_id": self.warehouse, "group_id": group},
                )
            ]
        )
        # Odoo 18: the procurement creates the pick; pack and ship follow by push rules
        pick = self.env["stock.picking"].search([("group_id", "=", group.id)])
        self.assertEqual(pick.picking_type_id, self.warehouse.pick_type_id)
        self.assertFalse(pick.move_ids.lst_capture_here)
        self.assertEqual(pick.move_ids.has_tracking, "none")
        self._validate(pick)
        pack = pick.move_ids.move_dest_ids.picking_id
        self.assertEqual(pack.picking_type_id, self.warehouse.pack_type_id)
        self.assertFalse(pack.move_ids.lst_capture_here)
        self._validate(pack)
        ship = pack.move_ids.move_dest_ids.picking_id
        self.assertEqual(ship.picking_type_id, self.warehouse.out_type_id)
        self.assertTrue(ship.move_ids.lst_capture_here)
        self.assertEqual(pick.state, "done")
        self.assertEqual(pack.state, "done")
        self.assertFalse((pick | pack).move_line_ids.lot_id)
        self.assertEqual(ship.move_ids.has_tracking, "serial")
        self.assertTrue(ship.move_ids.show_lots_text)
        with self.assertRaises(UserError) as cm:
            ship.button_validate()
        self.assertIn("3 serial number(s) missing", str(cm.exception))
        ship.move_ids.set_lot_names(["S3-1", "S3-2", "S3-3"])
        self._validate(ship)
        self.assertEqual(ship.state, "done")
        self.assertEqual(set(ship.move_line_ids.lot_id.mapped("name")), {"S3-1", "S3-2", "S3-3"})
        output = self.warehouse.wh_output_stock_loc_id
        self.assertEqual(self._qty(output, strict=False), 0)
        self.assertEqual(self._qty(self.customers, lot=ship.move_line_ids.lot_id[:1]), 1)
        self.assertFalse(self._negative_quants())

    def test_delivery_new_serials_and_traceability(self):
        self._add_stock(5)
        delivery = self._delivery(2)
        move = delivery.move_ids
        self.assertTrue(move.lst_capture_here)
        self.assertTrue(move.display_import_lot and move.display_assign_serial)
        self.assertFalse(move.show_quant)
        self.assertEqual(len(delivery.move_line_ids), 2, "one reserved plain line per unit")
        self.assertFalse(delivery.move_line_ids.lot_id)
        # the user types the serials in the Lot/Serial column
        delivery.move_line_ids[0].lot_name = "N-1"
        delivery.move_line_ids[1].lot_name = "N-2"
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")
        lots = delivery.move_line_ids.lot_id
        self.assertEqual(set(lots.mapped("name")), {"N-1", "N-2"})
        self.assertEqual(self._qty(self.stock, lot=False), 3)
        self.assertEqual(self._qty(self.customers, lot=lots[0]), 1)
        self.assertFalse(self.Quant.search([("lot_id", "in", lots.ids), ("location_id.usage", "=", "internal")]))
        self.assertFalse(self._negative_quants())
        self.assertEqual(lots[0].last_delivery_partner_id, self.partner)
        self.assertEqual(lots[0].lst_delivery_id, delivery)
        self.assertEqual(lots[0].lst_customer_id, self.partner)
        # "Delivered Serials": which unit did this customer get?
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "lot_serial_tracking.stock_move_line_delivered_serials_action"
        )
        domain = [*safe_eval(action["domain"]), ("picking_partner_id", "=", self.partner.id)]
        delivered = self.env["stock.move.line"].search(domain)
        self.assertEqual(delivered.lot_id, lots)
        # traceability report: delivery -> customer
        report = self.env["stock.traceability.report"].with_context(active_id=lots[0].id, model="stock.lot")
        lines = report.get_lines()
        self.assertTrue(any(delivery.name in str(line.get("columns")) for line in lines))

    def test_generate_serials_use_rule_numbering(self):
        self._add_stock(2)
        delivery = self._delivery(2)
        move = delivery.move_ids
        context = {
            "default_product_id": self.product.id,
            "default_location_id": move.location_id.id,
            "default_location_dest_id": move.location_dest_id.id,
            "default_picking_type_id": move.picking_type_id.id,
            "default_company_id": move.company_id.id,
            "default_tracking": "serial",
            "default_quantity": 2,
        }
        vals = self.env["stock.move"].action_generate_lot_line_vals(context, "generate", "", 2, False)
        names = [v.get("lot_name") or v["lot_id"]["display_name"] for v in vals]
        self.assertEqual(names, ["DOT-0001", "DOT-0002"])
        imported = self.env["stock.move"].action_generate_lot_line_vals(context, "import", "", 0, "IMP-1\nIMP-2")
        self.assertEqual(len(imported), 2)

    def test_import_serials_longer_than_demand_refused(self):
        """Import Serials on the delivery: a serial is one unit, so a list longer than the demand is
        refused before any line is made; blank lines do not count (Odoo skips them too)."""
        self._add_stock(5)
        delivery = self._delivery(2)
        move = delivery.move_ids
        context = {  # what the dialog sends: the picking form's context, the move's quantity
            "default_product_id": self.product.id,
            "default_location_id": move.location_id.id,
            "default_location_dest_id": move.location_dest_id.id,
            "default_picking_type_id": move.picking_type_id.id,
            "default_picking_id": delivery.id,
            "default_company_id": move.company_id.id,
            "default_tracking": "serial",
            "default_quantity": 2,
        }
        lines_before = move.move_line_ids
        lots_before = self.env["stock.lot"].search_count([])
        with self.assertRaisesRegex(UserError, r"3 serial numbers pasted for a demand of 2 .*paste at most 2"):
            self.env["stock.move"].action_generate_lot_line_vals(context, "import", "", 0, "L-1\nL-2\nL-3")
        with self.assertRaisesRegex(UserError, "100000 serial numbers pasted"):
            text = "\n".join(f"L-{i}" for i in range(100000))
            self.env["stock.move"].action_generate_lot_line_vals(context, "import", "", 0, text)
        # Generate Serials: the same bound (a count above the demand is refused before any line or lot)
        with self.assertRaisesRegex(UserError, r"3 serial numbers to generate for a demand of 2 .*at most 2"):
            self.env["stock.move"].action_generate_lot_line_vals(context, "generate", "G-1", 3, False)
        with self.assertRaisesRegex(UserError, "whole number"):
            self.env["stock.move"].action_generate_lot_line_vals(context, "generate", "G-1", 2.5, False)
        self.assertEqual(move.move_line_ids, lines_before)
        self.assertEqual(self.env["stock.lot"].search_count([]), lots_before, "no lot made by a refused import")
        self.assertEqual(
            len(self.env["stock.move"].action_generate_lot_line_vals(context, "generate", "G-1", 2, False)), 2
        )
        vals = self.env["stock.move"].action_generate_lot_line_vals(context, "import", "", 0, "L-1\n\nL-2\n")
        # deliveries use existing lots: Odoo's import finds or creates them and returns lot_id
        self.assertEqual([v.get("lot_name") or v["lot_id"]["display_name"] for v in vals], ["L-1", "L-2"])
        # the same list on a receipt is Odoo's business: no such limit there (plain quantity)
        receipt_context = dict(
            context,
            default_picking_type_id=self.env.ref("stock.picking_type_in").id,
            default_picking_id=False,
            default_location_dest_id=move.location_id.id,
        )
        vals = self.env["stock.move"].action_generate_lot_line_vals(receipt_context, "import", "", 0, "L-1\nL-2\nL-3")
        self.assertEqual(len(vals), 3)
        # a standard serial product on a delivery keeps Odoo's behaviour (but a NUL is refused with a message,
        # where Odoo's lot search failed in the database)
        standard = self.env["product.product"].create({"name": "Std SN", "is_storable": True, "tracking": "serial"})
        with self.assertRaisesRegex(UserError, "NUL character"):
            self.env["stock.move"].action_generate_lot_line_vals(
                dict(context, default_product_id=standard.id), "import", "", 0, "L-1\x00"
            )
        with self.assertRaisesRegex(UserError, "First Lot/Serial Number cannot contain a NUL"):
            self.env["stock.move"].action_generate_lot_line_vals(
                dict(context, default_product_id=standard.id), "generate", "G\x00-1", 2, False
            )
        vals = self.env["stock.move"].action_generate_lot_line_vals(
            dict(context, default_product_id=standard.id), "import", "", 0, "L-1\nL-2\nL-3"
        )
        self.assertEqual(len(vals), 3)

    def test_scan_serial_onchange(self):
        self._add_stock(2)
        delivery = self._delivery(2)
        with Form(delivery.move_ids, view="stock.view_stock_move_operations") as form:
            form.lst_scan_serial = "SCAN-1"
            form.lst_scan_serial = "SCAN-2"
        names = delivery.move_line_ids.mapped("lot_name")
        self.assertEqual(sorted(names), ["SCAN-1", "SCAN-2"])
        self.assertEqual(sum(delivery.move_line_ids.mapped("quantity")), 2)
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")
        self.assertFalse(self._negative_quants())

    def test_scan_serial_refusals_inline(self):
        """Scan Serial refuses what Import Serials and validation refuse (more serials than the demand,
        a serial at a customer, a duplicate), at scan time, in a message on the form (no dialog: the
        scanner keeps scanning); the next good scan clears it. The operations show "serials: n/2"."""
        self._add_stock(3)
        shipped = self._delivery(1)
        shipped.move_ids.set_lot_names(["AWAY-1"])
        self._validate(shipped)
        delivery = self._delivery(2)
        self.assertEqual(delivery.move_ids.lst_serial_progress, "serials: 0/2")
        self.assertFalse(delivery.move_ids.lst_serials_complete)
        with Form(delivery.move_ids, view="stock.view_stock_move_operations") as form:
            form.lst_scan_serial = "SC-1"
            self.assertFalse(form.lst_scan_message)
            self.assertEqual(form.lst_serial_progress, "serials: 1/2")
            form.lst_scan_serial = "SC-1"
            self.assertIn("SC-1 is already on this operation", form.lst_scan_message)
            form.lst_scan_serial = "AWAY-1"
            self.assertIn("AWAY-1 not added", form.lst_scan_message)
            self.assertIn(shipped.name, form.lst_scan_message)
            form.lst_scan_serial = "SC-2"
            self.assertFalse(form.lst_scan_message, "a good scan clears the message")
            self.assertEqual(form.lst_serial_progress, "serials: 2/2")
            form.lst_scan_serial = "SC-3"
            self.assertIn("SC-3 not added: 2 serial number(s) already given for a demand of 2", form.lst_scan_message)
            self.assertEqual(form.lst_scan_serial, False)
        self.assertEqual(sorted(delivery.move_line_ids.mapped("lot_name")), ["SC-1", "SC-2"])
        self.assertEqual(sum(delivery.move_line_ids.mapped("quantity")), 2)
        self.assertEqual(delivery.move_ids.lst_serial_progress, "serials: 2/2")
        self.assertTrue(delivery.move_ids.lst_serials_complete)
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")
        self.assertFalse(self.env["stock.lot"].search([("name", "in", ["SC-3"])]))
        # other operations show nothing
        receipt = self._picking(self.warehouse.in_type_id, 1, src=self.suppliers)
        self.assertFalse(receipt.move_ids.lst_serial_progress)

    def test_capture_has_one_lot_column(self):
        """Detailed operations of the delivery: one Lot/Serial column (the typed name) until done;
        Generate and Import Serials fill that column too instead of creating lots right away."""
        self._add_stock(2)
        delivery = self._delivery(2)
        move = delivery.move_ids
        self.assertTrue(move.show_lots_text)
        self.assertFalse(move.show_lots_m2o)
        context = {
            "default_product_id": self.product.id,
            "default_location_id": move.location_id.id,
            "default_location_dest_id": move.location_dest_id.id,
            "default_picking_type_id": move.picking_type_id.id,
            "default_company_id": move.company_id.id,
            "default_tracking": "serial",
            "default_quantity": 2,
            "picking_type_code": "outgoing",
        }
        lots_before = self.env["stock.lot"].search_count([])
        vals = self.env["stock.move"].action_generate_lot_line_vals(context, "generate", "", 2, False)
        self.assertEqual([v["lot_name"] for v in vals], ["DOT-0001", "DOT-0002"])
        self.assertFalse(any(v.get("lot_id") for v in vals))
        self.assertEqual(vals[0]["picking_type_id"]["id"], move.picking_type_id.id)
        vals = self.env["stock.move"].action_generate_lot_line_vals(context, "import", "", 0, "IM-1\nIM-2")
        self.assertEqual([v["lot_name"] for v in vals], ["IM-1", "IM-2"])
        self.assertEqual(self.env["stock.lot"].search_count([]), lots_before, "lots are made on validation")
        # a standard product on the same delivery keeps Odoo's behaviour (lots found or created now)
        normal_context = dict(context, default_product_id=self.normal.id)
        vals = self.env["stock.move"].action_generate_lot_line_vals(normal_context, "import", "", 0, "NS-1")
        self.assertTrue(vals[0]["lot_id"])
        # set_lot_names (XML-RPC) shows its names in that column as well
        move.set_lot_names(["SET-1", "SET-2"])
        self.assertEqual(move.move_line_ids.mapped("lot_name"), ["SET-1", "SET-2"])
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")
        self.assertTrue(move.show_lots_m2o and not move.show_lots_text, "done: the lots")

    def test_missing_serials(self):
        self._add_stock(3)
        delivery = self._delivery(3)
        delivery.move_ids.set_lot_names(["M-1"])
        delivery.move_ids.quantity = 3  # user says 3 were shipped, only one number given
        lines_before = len(delivery.move_line_ids)
        with self.assertRaises(UserError) as cm:
            delivery.button_validate()
        self.assertIn("2 serial number(s) missing", str(cm.exception))
        self.assertEqual(delivery.state, "assigned")
        self.assertEqual(len(delivery.move_line_ids), lines_before)
        self.assertEqual(self._qty(self.stock, lot=False), 3)

    def test_double_delivery_refused_then_return_and_redeliver(self):
        self._add_stock(3)
        first = self._delivery(1)
        first.move_ids.set_lot_names(["R-1"])
        self._validate(first)
        lot = first.move_line_ids.lot_id
        second = self._delivery(1)
        with self.assertRaises(UserError) as cm:
            second.move_ids.set_lot_names(["R-1"])
        self.assertIn("Lamp Buyer", str(cm.exception))
        self.assertIn(first.name, str(cm.exception))
        second.move_line_ids.lot_name = "R-1"
        with self.assertRaises(UserError) as cm:
            second.button_validate()
        self.assertIn(first.name, str(cm.exception))
        self.assertEqual(second.state, "assigned")
        # return: the serial comes back and is plain stock again
        wizard = (
            self.env["stock.return.picking"].with_context(active_id=first.id, active_model="stock.picking").create({})
        )
        wizard.product_return_moves.quantity = 1
        ret = wizard._create_return()
        self.assertEqual(ret.move_line_ids.lot_id, lot, "Odoo proposes the delivered serial on the return")
        self.assertEqual(ret.move_ids.has_tracking, "serial")
        self._validate(ret)
        self.assertEqual(ret.state, "done")
        self.assertEqual(ret.move_line_ids.lot_id, lot, "the return records which serial came back")
        self.assertEqual(self._qty(self.customers, lot=lot), 0)
        self.assertEqual(self._qty(self.stock, lot=False, strict=False), 3)
        self.assertFalse(self.Quant.search([("lot_id", "=", lot.id), ("location_id.usage", "=", "internal")]))
        # delivered again
        second.move_ids.set_lot_names(["R-1"])
        self._validate(second)
        self.assertEqual(second.state, "done")
        self.assertEqual(second.move_line_ids.lot_id, lot)
        self.assertEqual(self._qty(self.customers, lot=lot), 1)
        self.assertFalse(self._negative_quants())

    def test_backorder_and_cancel(self):
        self._add_stock(3)
        delivery = self._delivery(3)
        delivery.move_ids.set_lot_names(["B-1", "B-2"])
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")
        backorder = self.env["stock.picking"].search([("backorder_id", "=", delivery.id)])
        self.assertEqual(backorder.move_ids.product_uom_qty, 1)
        self.assertEqual(self._qty(self.stock, lot=False), 1)
        backorder.action_cancel()
        self.assertEqual(backorder.state, "cancel")
        self.assertEqual(self._qty(self.stock, lot=False), 1)
        self.assertEqual(sum(self.Quant.search([("product_id", "=", self.product.id)]).mapped("reserved_quantity")), 0)
        other = self._delivery(1)
        other.move_ids.set_lot_names(["B-3"])
        other.action_cancel()
        self.assertEqual(other.state, "cancel")
        self.assertEqual(self._qty(self.stock, lot=False), 1)
        self.assertFalse(self._negative_quants())

    def test_sub_location_stock(self):
        self._add_stock(2, self.shelf)
        delivery = self._delivery(2)
        self.assertEqual(delivery.move_line_ids.location_id, self.shelf)
        # the user replaces the lines by lines on WH/Stock (what Import Serials does)
        delivery.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [
                {
                    "move_id": delivery.move_ids.id,
                    "picking_id": delivery.id,
                    "product_id": self.product.id,
                    "product_uom_id": self.product.uom_id.id,
                    "location_id": self.stock.id,
                    "location_dest_id": self.customers.id,
                    "lot_name": name,
                    "quantity": 1,
                }
                for name in ("SUB-1", "SUB-2")
            ]
        )
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")
        self.assertEqual(delivery.move_line_ids.location_id, self.shelf)
        self.assertFalse(self._negative_quants())
        self.assertEqual(self._qty(self.shelf, lot=False), 0)
        self.assertEqual(self._qty(self.stock, strict=False), 0)
        self.assertEqual(self._qty(self.customers), 2)

    def test_scrap_and_inventory(self):
        self._add_stock(4)
        with Form(self.env["stock.scrap"]) as scrap_form:
            scrap_form.product_id = self.product
            scrap_form.scrap_qty = 1  # editable: a serial product would be fixed to 1 with a lot
        scrap = scrap_form.record
        self.assertEqual(scrap.tracking, "none")
        scrap.action_validate()
        self.assertEqual(scrap.state, "done")
        self.assertFalse(scrap.move_ids.move_line_ids.lot_id)
        self.assertEqual(self._qty(self.stock, lot=False), 3)
        quant = self.Quant.with_context(inventory_mode=True).create(
            {"product_id": self.product.id, "location_id": self.shelf.id, "inventory_quantity": 6}
        )
        quant.action_apply_inventory()
        self.assertEqual(self._qty(self.shelf, lot=False), 6)
        lot = self.env["stock.lot"].create({"name": "INV-LOT", "product_id": self.product.id})
        quant2 = self.Quant.with_context(inventory_mode=True).create(
            {"product_id": self.product.id, "location_id": self.stock.id, "lot_id": lot.id, "inventory_quantity": 1}
        )
        self.assertFalse(quant2.lot_id, "stock of delivery-only products is counted plain")
        self.assertFalse(self._negative_quants())

    def test_manufacturing_component(self):
        # The finished-product side of delivery-only MOs is done on branch `batch`.
        self._add_stock(2)
        finished = self.env["product.product"].create({"name": "DO finished", "is_storable": True})
        comp = self.env["product.product"].create({"name": "DO comp", "is_storable": True})
        self.Quant._update_available_quantity(comp, self.stock, 10)
        bom = self.env["mrp.bom"].create(
            {
                "product_tmpl_id": finished.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    Command.create({"product_id": comp.id, "product_qty": 1}),
                    Command.create({"product_id": self.product.id, "product_qty": 1}),
                ],
            }
        )
        mo_form = Form(self.env["mrp.production"])
        mo_form.product_id = finished
        mo_form.bom_id = bom
        mo_form.product_qty = 2
        mo = mo_form.save()
        mo.action_confirm()
        mo.action_assign()
        comp_move = mo.move_raw_ids.filtered(lambda m: m.product_id == self.product)
        self.assertEqual(comp_move.has_tracking, "none")
        with Form(mo) as mo_form:
            mo_form.qty_producing = 2
        res = mo.button_mark_done()
        while isinstance(res, dict) and res.get("res_model") == "mrp.consumption.warning":
            res = Form.from_action(self.env, res).save().action_confirm()
        self.assertEqual(mo.state, "done")
        self.assertEqual(self._qty(self.stock, lot=False), 0)
        self.assertFalse(comp_move.move_line_ids.lot_id)
        fin_quants = self.Quant.search([("product_id", "=", finished.id), ("location_id", "=", self.stock.id)])
        self.assertEqual(sum(fin_quants.mapped("quantity")), 2)
        self.assertFalse(self._negative_quants())

    def test_valuation_with_stock_account(self):
        if "lot_valuated" not in self.env["product.template"]._fields:
            self.skipTest("stock_account is not installed (the module does not depend on it)")
        self.assertFalse(self.product.lot_valuated, "plain stock cannot be valuated per serial")
        self.product.standard_price = 10
        receipt = self._picking(self.warehouse.in_type_id, 3, src=self.suppliers)
        self._validate(receipt)
        delivery = self._delivery(2)
        delivery.move_ids.set_lot_names(["VAL-1", "VAL-2"])
        self._validate(delivery)
        layers = self.env["stock.valuation.layer"].search([("product_id", "=", self.product.id)])
        self.assertEqual(sorted(layers.mapped("quantity")), [-2.0, 3.0], "one layer per move, none doubled")
        self.assertEqual(sum(layers.mapped("value")), 10.0)
        self.assertEqual(self.product.quantity_svl, self.product.qty_available)

    def test_lot_tracked_delivery_only(self):
        lot_rule = self.env["stock.tracking.rule"].create(
            {"name": "DO lot test", "tracking": "lot", "capture": "delivery_only", "lot_prefix": "DOL-"}
        )
        product = (
            self.env["product.template"]
            .create({"name": "Bulk lamp", "is_storable": True, "tracking_rule_id": lot_rule.id})
            .product_variant_id
        )
        self.assertEqual(product.tracking, "lot")
        receipt = self._picking(self.warehouse.in_type_id, 10, product=product, src=self.suppliers)
        self._validate(receipt)
        self.assertEqual(receipt.state, "done")
        delivery = self._delivery(4, product=product)
        self.assertEqual(len(delivery.move_line_ids), 1)
        with self.assertRaises(UserError) as cm:
            delivery.button_validate()
        self.assertIn("4 Units of Bulk lamp have no lot number", str(cm.exception))
        delivery.move_ids.set_lot_names(["DOL-A"])
        self.assertEqual(delivery.move_line_ids.quantity, 4)
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")
        quants = self.Quant.search([("product_id", "=", product.id)])
        at_customer = quants.filtered(lambda q: q.location_id == self.customers)
        self.assertEqual((at_customer.lot_id.name, at_customer.quantity), ("DOL-A", 4))
        in_stock = quants.filtered(lambda q: q.location_id.usage == "internal")
        self.assertEqual(sum(in_stock.mapped("quantity")), 6)
        self.assertFalse(in_stock.lot_id)
        again = self._delivery(2, product=product)
        again.move_ids.set_lot_names(["DOL-A"])  # a lot may go to customers several times
        self._validate(again)
        self.assertEqual(again.state, "done")

    def test_manufacturing_finished_single_unit(self):
        # Serial finished products are produced one per MO by Odoo ("Produce All" for several
        # delivery-only units is done on branch `batch`); here: no number asked, plain stock.
        comp = self.env["product.product"].create({"name": "DO comp 2", "is_storable": True})
        self.Quant._update_available_quantity(comp, self.stock, 5)
        bom = self.env["mrp.bom"].create(
            {
                "product_tmpl_id": self.product.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [Command.create({"product_id": comp.id, "product_qty": 1})],
            }
        )
        mo_form = Form(self.env["mrp.production"])
        mo_form.product_id = self.product
        mo_form.bom_id = bom
        mo_form.product_qty = 1
        mo = mo_form.save()
        mo.action_confirm()
        self.assertEqual(mo.move_finished_ids.has_tracking, "none")
        with Form(mo) as form:
            form.qty_producing = 1
        mo.button_mark_done()
        self.assertEqual(mo.state, "done")
        self.assertFalse(mo.move_finished_ids.move_line_ids.lot_id)
        self.assertEqual(self._qty(self.stock, lot=False, strict=False), 1)
        self.assertFalse(self.env["stock.lot"].search([("product_id", "=", self.product.id)]))

    def test_set_lot_names_validation(self):
        self._add_stock(2)
        delivery = self._delivery(2)
        lines = delivery.move_line_ids
        lot_count = self.env["stock.lot"].search_count([])
        bad_inputs = [
            (["A", "A"], "Duplicate"),
            (["A", ""], "empty"),
            (["A\tB"], "control characters"),
            (["A", "B", "C"], "3 serial numbers for a demand of 2"),
            ([], "at least one"),
            ("A", "must be a list"),
        ]
        for names, message in bad_inputs:
            with self.assertRaises(UserError) as cm:
                delivery.move_ids.set_lot_names(names)
            self.assertIn(message, str(cm.exception))
        self.assertEqual(delivery.move_line_ids, lines)
        self.assertEqual(self.env["stock.lot"].search_count([]), lot_count)
        ids = delivery.move_ids.set_lot_names(["OK-1", "OK-2"])
        self.assertIsInstance(ids, list)
        self.assertTrue(all(isinstance(i, int) for i in ids))
        self.assertEqual(delivery.move_line_ids.ids, sorted(ids))
        self.assertEqual(delivery.move_line_ids.mapped("quantity"), [1.0, 1.0])
        # not on an operation before the delivery
        receipt = self._picking(self.warehouse.in_type_id, 1, src=self.suppliers)
        with self.assertRaises(UserError) as cm:
            receipt.move_ids.set_lot_names(["X"])
        self.assertIn("captured at delivery only", str(cm.exception))

    def test_set_lot_names_standard_receipt(self):
        receipt = self._picking(self.warehouse.in_type_id, 3, product=self.normal, src=self.suppliers)
        ids = receipt.move_ids.set_lot_names(["STD-1", "STD-2", "STD-3"])
        self.assertEqual(len(ids), 3)
        self._validate(receipt)
        self.assertEqual(receipt.state, "done")
        quants = self.Quant.search([("product_id", "=", self.normal.id), ("location_id", "child_of", self.stock.id)])
        self.assertEqual(set(quants.lot_id.mapped("name")), {"STD-1", "STD-2", "STD-3"})

    def test_normal_serial_product_unchanged(self):
        receipt = self._picking(self.warehouse.in_type_id, 1, product=self.normal, src=self.suppliers)
        self.assertEqual(receipt.move_ids.has_tracking, "serial")
        self.assertFalse(receipt.move_ids.lst_capture_here)
        with self.assertRaises(UserError) as cm:
            receipt.button_validate()
        self.assertIn("Lot/Serial", str(cm.exception))
        self.assertEqual(receipt.state, "assigned")
        receipt.move_line_ids.lot_name = "NORM-1"
        self._validate(receipt)
        lot = receipt.move_line_ids.lot_id
        self.assertEqual(
            self.Quant.search(
                [
                    ("product_id", "=", self.normal.id),
                    ("lot_id", "=", lot.id),
                    ("location_id", "child_of", self.stock.id),
                ]
            ).quantity,
            1,
        )
        delivery = self._delivery(1, product=self.normal)
        self.assertEqual(delivery.move_line_ids.lot_id, lot, "standard reservation of the lot quant")
        self.assertTrue(delivery.move_ids.show_quant)

    def test_delivered_serials_lists_every_tracked_product(self):
        """Inventory > Products > Delivered Serials: serials and lots of any product, delivery-only or
        not, once delivered to a customer."""
        gadget = self.env["product.product"].create({"name": "Normal Lot", "is_storable": True, "tracking": "lot"})
        delivered = {}
        for product, name in ((self.normal, "STD-DLV-1"), (gadget, "LOT-DLV-1"), (self.product, None)):
            lot = name and self.env["stock.lot"].create({"name": name, "product_id": product.id})
            if lot:
                self.Quant._update_available_quantity(product, self.stock, 1, lot_id=lot)
            else:
                self._add_stock(1)
            delivery = self._delivery(1, product=product)
            if not lot:
                delivery.move_ids.set_lot_names(["DOT-DLV-1"])
            self._validate(delivery)
            self.assertEqual(delivery.state, "done")
            delivered[product] = delivery.move_line_ids
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "lot_serial_tracking.stock_move_line_delivered_serials_action"
        )
        lines = self.env["stock.move.line"].search(
            [*safe_eval(action["domain"]), ("picking_partner_id", "=", self.partner.id)]
        )
        self.assertEqual(
            sorted(lines.lot_id.mapped("name")), ["DOT-DLV-1", "LOT-DLV-1", "STD-DLV-1"], "every delivered lot/serial"
        )
        # "Still at a Customer": no longer once the serial left the customer location
        search_view = self.env.ref("lot_serial_tracking.stock_move_line_delivered_serials_view_search")
        still = etree.fromstring(search_view.arch).xpath("//filter[@name='still_at_customer']")[0].get("domain")
        domain = [*safe_eval(action["domain"]), ("picking_partner_id", "=", self.partner.id)]
        self.assertEqual(self.env["stock.move.line"].search([*domain, *safe_eval(still)]), lines)
        self.Quant._update_available_quantity(self.normal, self.customers, -1, lot_id=delivered[self.normal].lot_id)
        self.assertEqual(
            self.env["stock.move.line"].search([*domain, *safe_eval(still)]), lines - delivered[self.normal]
        )


@tagged("post_install", "-at_install")
class TestDeliveryOnlyAccess(DeliveryOnlyCommon):
    def test_stock_user_validates_delivery(self):
        self._add_stock(1)
        user = new_test_user(self.env, login="do_stock_user", groups="stock.group_stock_user")
        delivery = self._delivery(1).with_user(user)
        ids = delivery.move_ids.set_lot_names(["USR-1"])
        self.assertEqual(len(ids), 1)
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        self.assertEqual(delivery.move_line_ids.lot_id.name, "USR-1")


@tagged("post_install", "-at_install")
class TestDeliveryOnlyMultiCompany(DeliveryOnlyCommon):
    """A product shared by two companies, each delivering from its own warehouse with its own users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "DO Company B"})
        cls.warehouse_b = cls.env["stock.warehouse"].search([("company_id", "=", cls.company_b.id)], limit=1)
        cls.user_a = new_test_user(
            cls.env, login="do_mc_a", groups="stock.group_stock_user,stock.group_production_lot",
            company_id=cls.env.company.id, company_ids=[(6, 0, cls.env.company.ids)],
        )  # fmt: skip
        cls.user_b = new_test_user(
            cls.env, login="do_mc_b", groups="stock.group_stock_user,stock.group_production_lot",
            company_id=cls.company_b.id, company_ids=[(6, 0, cls.company_b.ids)],
        )  # fmt: skip

    def _delivery_b(self, qty):
        env_b = self.env(context=dict(self.env.context, allowed_company_ids=self.company_b.ids))
        self.Quant.with_env(env_b)._update_available_quantity(self.product, self.warehouse_b.lot_stock_id, qty)
        return self._picking(self.warehouse_b.out_type_id, qty, dest=self.customers, user=self.user_b)

    def test_each_company_captures_its_own_serials(self):
        self._add_stock(1)
        delivery_a = self._delivery(1).with_user(self.user_a)
        delivery_a.move_ids.set_lot_names(["MC-1"])
        delivery_a.with_context(skip_sms=True).button_validate()
        self.assertEqual(delivery_a.state, "done")
        lot_a = delivery_a.move_line_ids.lot_id
        self.assertEqual(lot_a.company_id, self.env.company)
        # company B has its own serial MC-1 (lots are per company): A's customer does not block it,
        # and B's user is not told about A's customer or delivery
        delivery_b = self._delivery_b(1)
        delivery_b.move_ids.set_lot_names(["MC-1"])
        delivery_b.with_context(skip_sms=True).button_validate()
        self.assertEqual(delivery_b.state, "done")
        lot_b = delivery_b.move_line_ids.lot_id
        self.assertEqual(lot_b.company_id, self.company_b)
        self.assertNotEqual(lot_a, lot_b)
        self.assertEqual(self.product.with_company(self.company_b).qty_available, 0, "B's plain stock delivered")
        # B's serial is now at B's customer: delivering it again in B is refused, naming B's delivery
        delivery_b2 = self._delivery_b(1)
        with self.assertRaisesRegex(UserError, f"MC-1 .*{delivery_b.name}"):
            delivery_b2.move_ids.set_lot_names(["MC-1"])
        self.assertFalse(self.env["stock.lot"].with_user(self.user_b).search([("id", "=", lot_a.id)]))


@tagged("post_install", "-at_install")
class TestDeliveryOnlyTour(HttpCase):
    def test_delivery_only_tour(self):
        lamp = self.env.ref("lot_serial_tracking.product_desk_lamp_demo")
        wh = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        self.env.ref("base.user_admin").groups_id |= self.env.ref("stock.group_production_lot")
        for origin, ptype, src, dest in (
            ("LST-TOUR-IN", wh.in_type_id, self.env.ref("stock.stock_location_suppliers"), wh.lot_stock_id),
            ("LST-TOUR-OUT", wh.out_type_id, wh.lot_stock_id, self.env.ref("stock.stock_location_customers")),
        ):
            picking = self.env["stock.picking"].create(
                {
                    "origin": origin,
                    "picking_type_id": ptype.id,
                    "location_id": src.id,
                    "location_dest_id": dest.id,
                    "partner_id": self.env.ref("base.res_partner_2").id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": lamp.name,
                                "product_id": lamp.id,
                                "product_uom_qty": 2,
                                "product_uom": lamp.uom_id.id,
                                "location_id": src.id,
                                "location_dest_id": dest.id,
                            }
                        )
                    ],
                }
            )
            picking.action_confirm()
            picking.action_assign()
        self.start_tour("/odoo", "lst_delivery_only_tour", login="admin", timeout=180)
        lamp = self.env.ref("lot_serial_tracking.product_desk_lamp_demo")
        lots = self.env["stock.lot"].search([("product_id", "=", lamp.id), ("name", "in", ["TOUR-A", "TOUR-B"])])
        self.assertEqual(len(lots), 2)
        self.assertFalse(self.env["stock.lot"].search([("name", "=", "TOUR-C")]), "the refused import made no lot")
        quants = self.env["stock.quant"].search([("lot_id", "in", lots.ids)])
        self.assertEqual(quants.location_id.mapped("usage"), ["customer"])


@tagged("post_install", "-at_install")
class TestLotFormCustomerUi(HttpCase):
    """The lot form names the customer once: Odoo's Last Delivery Partner where it shows (serials,
    Inventory Administrators), the module's At Customer otherwise; Delivered By in both cases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.env.ref("base.user_admin").groups_id |= env.ref("stock.group_production_lot")
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        customers = env.ref("stock.stock_location_customers")
        partner = env["res.partner"].create({"name": "Serial Buyer"})
        cls.lots = {}
        for tracking, name in (("serial", "FORM-SN-1"), ("lot", "FORM-LOT-1")):
            product = env["product.product"].create(
                {"name": f"Form {tracking}", "is_storable": True, "tracking": tracking}
            )
            lot = env["stock.lot"].create({"name": name, "product_id": product.id})
            env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 1, lot_id=lot)
            picking = env["stock.picking"].create(
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "location_dest_id": customers.id,
                    "partner_id": partner.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": product.name,
                                "product_id": product.id,
                                "product_uom_qty": 1,
                                "location_id": warehouse.lot_stock_id.id,
                                "location_dest_id": customers.id,
                            }
                        )
                    ],
                }
            )
            picking.action_confirm()
            picking.action_assign()
            picking.move_ids.picked = True
            picking.with_context(skip_sms=True).button_validate()
            assert picking.state == "done" and lot.lst_customer_id == partner
            cls.lots[tracking] = (lot, picking)
        new_test_user(env, login="lot_form_user", groups="stock.group_stock_user,stock.group_production_lot")

    def test_serial_as_administrator_shows_odoo_field(self):
        self.lots["serial"][0].invalidate_recordset()
        self.assertEqual(self.lots["serial"][0].last_delivery_partner_id.name, "Serial Buyer")
        self.start_tour(
            f"/odoo/action-stock.action_production_lot_form/{self.lots['serial'][0].id}",
            "lot_serial_tracking_lot_customer_odoo_field",
            login="admin",
        )

    def test_lot_as_administrator_shows_at_customer(self):
        self.start_tour(
            f"/odoo/action-stock.action_production_lot_form/{self.lots['lot'][0].id}",
            "lot_serial_tracking_lot_customer_at_customer",
            login="admin",
        )

    def test_serial_as_inventory_user_shows_at_customer(self):
        self.start_tour(
            f"/odoo/action-stock.action_production_lot_form/{self.lots['serial'][0].id}",
            "lot_serial_tracking_lot_customer_at_customer",
            login="lot_form_user",
        )
