# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Lot status (issue 14): held lots (quarantine, blocked) are never reserved, cannot be delivered, consumed or
moved to another internal location except to a location accepting held stock, scrap or the vendor; setting
the status releases reservations and says so in the lot's chatter; only Inventory Administrators release.
Real non-admin users; the XML-RPC side is in devtests/test_rpc_lot_status.py."""

from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

LOT_GROUPS = "stock.group_stock_user,stock.group_production_lot"


@tagged("post_install", "-at_install")
class TestLotStatus(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        cls.shelf = env["stock.location"].create({"name": "LS Shelf", "location_id": cls.stock.id})
        cls.quarantine = env["stock.location"].create(
            {"name": "LS Quarantine", "location_id": cls.warehouse.view_location_id.id, "lst_accepts_held_stock": True}
        )
        cls.customers = env.ref("stock.stock_location_customers")
        cls.suppliers = env.ref("stock.stock_location_suppliers")
        cls.partner = env["res.partner"].create({"name": "LS Customer"})
        cls.product = env["product.product"].create({"name": "LS Paint", "is_storable": True, "tracking": "lot"})
        cls.finished = env["product.product"].create({"name": "LS Bike", "is_storable": True})
        cls.bom = env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.finished.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [Command.create({"product_id": cls.product.id, "product_qty": 1})],
            }
        )
        Lot = env["stock.lot"]
        cls.lot_old = Lot.create({"name": "LS-OLD", "product_id": cls.product.id})
        cls.lot_new = Lot.create({"name": "LS-NEW", "product_id": cls.product.id})
        Quant = env["stock.quant"]
        # FIFO: LS-OLD is the one Odoo reserves first
        Quant._update_available_quantity(
            cls.product, cls.stock, 5, lot_id=cls.lot_old, in_date=datetime.now() - timedelta(days=10)
        )
        Quant._update_available_quantity(cls.product, cls.stock, 5, lot_id=cls.lot_new, in_date=datetime.now())
        cls.user = new_test_user(env, login="ls_stock_user", groups=LOT_GROUPS + ",mrp.group_mrp_user")
        cls.manager = new_test_user(
            env, login="ls_stock_manager", groups="stock.group_stock_manager,stock.group_production_lot"
        )

    # ------------------------------------------------------------------ helpers
    def _picking(self, picking_type, qty, src, dest, assign=True):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": src.id,
                "location_dest_id": dest.id,
                "partner_id": self.partner.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "ls",
                            "product_id": self.product.id,
                            "product_uom_qty": qty,
                            "product_uom": self.product.uom_id.id,
                            "location_id": src.id,
                            "location_dest_id": dest.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        if assign:
            picking.action_assign()
        return picking

    def _delivery(self, qty, **kw):
        return self._picking(self.warehouse.out_type_id, qty, self.stock, self.customers, **kw)

    def _pick_by_hand(self, move, lot, qty, src=None):
        """What a user does in Detailed Operations: choose the lot, set the quantity."""
        move.move_line_ids.unlink()
        return self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": move.picking_id.id,
                "product_id": move.product_id.id,
                "product_uom_id": move.product_uom.id,
                "location_id": (src or move.location_id).id,
                "location_dest_id": move.location_dest_id.id,
                "lot_id": lot.id,
                "quantity": qty,
            }
        )

    def _validate(self, picking):
        res = picking.button_validate()
        if isinstance(res, dict) and res.get("res_model") == "stock.backorder.confirmation":
            Form.from_action(self.env, res).save().process()
        return res

    def _mo(self, qty=1):
        form = Form(self.env["mrp.production"])
        form.product_id = self.finished
        form.bom_id = self.bom
        form.product_qty = qty
        mo = form.save()
        mo.action_confirm()
        return mo

    def _block(self, lot, status="blocked", reason="LS complaint 118", user=None):
        return lot.with_user(user or self.user).set_lot_status(status, reason)

    def _reserved(self, lot):
        quants = self.env["stock.quant"].search([("lot_id", "=", lot.id), ("location_id", "=", self.stock.id)])
        return sum(quants.mapped("reserved_quantity"))

    # ------------------------------------------------------------------ reservation
    def test_reservation_skips_held_lots(self):
        self.assertEqual(self.lot_old.lot_status, "released", "the default")
        self._block(self.lot_old)
        delivery = self._delivery(3)
        self.assertEqual(delivery.move_line_ids.lot_id, self.lot_new, "FIFO would take LS-OLD: it is held")
        self.assertEqual(delivery.state, "assigned")
        more = self._delivery(4)
        self.assertEqual(more.move_line_ids.lot_id, self.lot_new)
        self.assertEqual(sum(more.move_line_ids.mapped("quantity")), 2, "only what is left of LS-NEW")
        self.assertEqual(more.move_ids.state, "partially_available")
        self.assertEqual(self._reserved(self.lot_old), 0)
        # manufacturing orders and quarantine (held lots are reserved by no operation)
        self._block(self.lot_old, "quarantine")
        mo = self._mo(2)
        mo.action_assign()
        self.assertFalse(mo.move_raw_ids.move_line_ids, "LS-NEW is all reserved, LS-OLD is held")
        to_quarantine = self._picking(self.warehouse.int_type_id, 1, self.stock, self.quarantine)
        self.assertFalse(to_quarantine.move_line_ids)
        # released again: reserved as before
        self._block(self.lot_old, "released", "LS lab test passed", user=self.manager)
        mo.action_assign()
        self.assertEqual(mo.move_raw_ids.move_line_ids.lot_id, self.lot_old)
        self.assertEqual(mo.move_raw_ids.state, "assigned")

    # ------------------------------------------------------------------ validation
    def test_validation_refused_to_customer_production_internal(self):
        self._block(self.lot_old)
        delivery = self._delivery(1, assign=False)
        self._pick_by_hand(delivery.move_ids, self.lot_old, 1)
        with self.assertRaisesRegex(UserError, r"LS-OLD of LS Paint is Blocked \(LS complaint 118\)") as info:
            self._validate(delivery)
        self.assertIn(delivery.name, str(info.exception))
        self.assertIn("Customers", str(info.exception))
        self.assertEqual(delivery.state, "assigned")
        internal = self._picking(self.warehouse.int_type_id, 1, self.stock, self.shelf, assign=False)
        self._pick_by_hand(internal.move_ids, self.lot_old, 1)
        with self.assertRaisesRegex(UserError, "LS-OLD of LS Paint is Blocked"):
            self._validate(internal)
        mo = self._mo(1)
        self._pick_by_hand(mo.move_raw_ids, self.lot_old, 1)
        mo.move_raw_ids.picked = True
        with Form(mo) as form:
            form.qty_producing = 1
        with self.assertRaisesRegex(UserError, "LS-OLD of LS Paint is Blocked"):
            mo.button_mark_done()
        self.assertNotEqual(mo.state, "done")
        quants = self.env["stock.quant"].search([("lot_id", "=", self.lot_old.id)])
        self.assertEqual(quants.location_id, self.stock, "nothing moved")
        self.assertEqual(sum(quants.mapped("quantity")), 5)
        # quarantine is held too
        self._block(self.lot_old, "quarantine", "LS waiting for the lab")
        self.assertFalse(internal.move_line_ids, "the change released the line picked by hand")
        self._pick_by_hand(internal.move_ids, self.lot_old, 1)
        with self.assertRaisesRegex(UserError, "LS-OLD of LS Paint is Quarantine"):
            self._validate(internal)
        # a released lot goes anywhere
        released = self._picking(self.warehouse.int_type_id, 1, self.stock, self.shelf, assign=False)
        self._pick_by_hand(released.move_ids, self.lot_new, 1)
        self._validate(released)
        self.assertEqual(released.state, "done")

    def test_held_stock_to_quarantine_scrap_vendor(self):
        self._block(self.lot_old)
        # to the quarantine location (and into a sub-location of it)
        to_quarantine = self._picking(self.warehouse.int_type_id, 3, self.stock, self.quarantine, assign=False)
        self._pick_by_hand(to_quarantine.move_ids, self.lot_old, 3)
        self._validate(to_quarantine)
        self.assertEqual(to_quarantine.state, "done")
        cage = self.env["stock.location"].create({"name": "LS Cage", "location_id": self.quarantine.id})
        to_cage = self._picking(self.warehouse.int_type_id, 1, self.quarantine, cage, assign=False)
        self._pick_by_hand(to_cage.move_ids, self.lot_old, 1)
        self._validate(to_cage)
        self.assertEqual(to_cage.state, "done")
        # ... but not out of it to stock or a customer
        back = self._picking(self.warehouse.int_type_id, 1, self.quarantine, self.stock, assign=False)
        self._pick_by_hand(back.move_ids, self.lot_old, 1)
        with self.assertRaisesRegex(UserError, "LS-OLD of LS Paint is Blocked"):
            self._validate(back)
        # scrap
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product.id,
                "lot_id": self.lot_old.id,
                "scrap_qty": 1,
                "location_id": self.quarantine.id,
            }
        )
        scrap.action_validate()
        self.assertEqual(scrap.state, "done")
        # back to the vendor
        to_vendor = self._picking(self.warehouse.out_type_id, 2, self.stock, self.suppliers, assign=False)
        self._pick_by_hand(to_vendor.move_ids, self.lot_old, 2)
        self._validate(to_vendor)
        self.assertEqual(to_vendor.state, "done")
        # a held lot may still arrive (a receipt, a return from the customer)
        receipt = self._picking(self.warehouse.in_type_id, 2, self.suppliers, self.stock, assign=False)
        self._pick_by_hand(receipt.move_ids, self.lot_old, 2)
        self._validate(receipt)
        self.assertEqual(receipt.state, "done")
        Quant = self.env["stock.quant"]
        self.assertEqual(Quant._get_available_quantity(self.product, self.quarantine, self.lot_old), 1)
        self.assertEqual(Quant._get_available_quantity(self.product, cage, self.lot_old, strict=True), 1)
        self.assertEqual(Quant._get_available_quantity(self.product, self.stock, self.lot_old, strict=True), 2)

    # ------------------------------------------------------------------ reservations released, chatter
    def test_hold_releases_reservations_and_logs_documents(self):
        delivery = self._delivery(4)
        self.assertEqual(delivery.move_line_ids.lot_id, self.lot_old)
        mo = self._mo(1)
        mo.action_assign()
        self.assertEqual(mo.move_raw_ids.move_line_ids.lot_id, self.lot_old)
        to_quarantine = self._picking(self.warehouse.int_type_id, 3, self.stock, self.quarantine, assign=False)
        self._pick_by_hand(to_quarantine.move_ids, self.lot_old, 3)
        self.assertEqual(self._reserved(self.lot_old), 8)
        before = self.lot_old.message_ids
        self._block(self.lot_old, reason="LS supplier recall 7")
        self.assertEqual(self.lot_old.lot_status, "blocked")
        self.assertEqual(self.lot_old.lot_status_reason, "LS supplier recall 7")
        self.assertEqual(self.lot_old.lot_status_user_id, self.user)
        self.assertFalse(delivery.move_line_ids, "the delivery's reservation of LS-OLD is released")
        self.assertEqual(delivery.state, "confirmed")
        self.assertFalse(mo.move_raw_ids.move_line_ids)
        self.assertEqual(mo.reservation_state, "confirmed")
        self.assertEqual(to_quarantine.move_line_ids.lot_id, self.lot_old, "the move to quarantine keeps it")
        self.assertEqual(self._reserved(self.lot_old), 3)
        message = self.lot_old.message_ids - before
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.user.partner_id)
        body = str(message.body)
        self.assertIn("Released → Blocked", body)
        self.assertIn("LS supplier recall 7", body)
        self.assertIn(delivery.name, body)
        self.assertIn(mo.name, body)
        self.assertNotIn(to_quarantine.name, body)
        # untouched: the other lot
        delivery.action_assign()
        self.assertEqual(delivery.move_line_ids.lot_id, self.lot_new)
        # blocked -> quarantine: nothing more to release, the change is logged
        self._block(self.lot_old, "quarantine", "LS sorted: lab test")
        self.assertIn("Blocked → Quarantine", str(self.lot_old.message_ids[0].body))
        # same status again: nothing logged
        count = len(self.lot_old.message_ids)
        self._block(self.lot_old, "quarantine", "LS again")
        self.assertEqual(len(self.lot_old.message_ids), count)

    # ------------------------------------------------------------------ who, what
    def test_release_only_by_inventory_administrator(self):
        self.assertTrue(self._block(self.lot_old, "quarantine", "LS check"))
        with self.assertRaisesRegex(AccessError, "Only Inventory Administrators may release"):
            self._block(self.lot_old, "released", "LS fine", user=self.user)
        self.assertEqual(self.lot_old.lot_status, "quarantine")
        # the wizard calls the same method
        wizard = (
            self.env["stock.lot.status.wizard"]
            .with_user(self.user)
            .create({"lot_ids": [Command.set(self.lot_old.ids)], "status": "released", "reason": "LS fine"})
        )
        with self.assertRaises(AccessError):
            wizard.action_apply()
        # another user neither sees nor applies someone's dialog
        other = self.env["stock.lot.status.wizard"].with_user(self.manager)
        self.assertFalse(other.search([("id", "=", wizard.id)]))
        with self.assertRaises(AccessError):
            other.browse(wizard.id).action_apply()
        self.assertTrue(self._block(self.lot_old, "released", "LS fine", user=self.manager))
        self.assertEqual(self.lot_old.lot_status, "released")
        self.assertEqual(self.lot_old.lot_status_user_id, self.manager)
        self.assertIn("Quarantine → Released", str(self.lot_old.message_ids[0].body))

    def test_status_written_only_through_set_lot_status(self):
        for user in (self.user, self.manager):
            lot = self.lot_old.with_user(user)
            with self.assertRaisesRegex(UserError, "set_lot_status"):
                lot.write({"lot_status": "blocked"})
            with self.assertRaisesRegex(UserError, "set_lot_status"):
                lot.write({"lot_status_reason": "LS sneaky"})
            with self.assertRaisesRegex(UserError, "set_lot_status"):
                self.env["stock.lot"].with_user(user).create(
                    {"name": "LS-SNEAKY", "product_id": self.product.id, "lot_status": "blocked"}
                )
            # a context key from a client does not open the door
            with self.assertRaisesRegex(UserError, "set_lot_status"):
                lot.with_context(lst_lot_status_write=True).write({"lot_status": "released"})
        self.assertEqual(self.lot_old.lot_status, "released")
        copy = self.lot_old.copy({"name": "LS-COPY"})
        self._block(self.lot_old)
        self.assertEqual(self.lot_old.copy({"name": "LS-COPY2"}).lot_status, "released")
        self.assertEqual(copy.lot_status, "released")

    def test_reason_and_status_checked(self):
        bad_reasons = [
            ("", "Give a reason"),
            ("   ", "Give a reason"),
            (False, "Give a reason"),
            (42, "Give a reason"),
            ("two\nlines", "one line of text"),
            ("tab\there", "one line of text"),
            ("x" * 501, "501 characters long; at most 500"),
        ]
        for reason, message in bad_reasons:
            with self.assertRaisesRegex(UserError, message):
                self._block(self.lot_old, reason=reason)
        with self.assertRaisesRegex(UserError, "Unknown lot status 'locked'"):
            self._block(self.lot_old, "locked")
        with self.assertRaisesRegex(UserError, "does not exist"):
            self.env["stock.lot"].browse(987654321).with_user(self.user).set_lot_status("blocked", "LS")
        self.assertEqual(self.lot_old.lot_status, "released")
        self.assertTrue(self._block(self.lot_old, reason="  " + "y" * 500 + "  "), "stripped: 500 is fine")

    def test_wizard_from_the_lot_list(self):
        lots = self.lot_old | self.lot_new
        action = lots.with_user(self.user).action_lst_block()
        self.assertEqual(action["res_model"], "stock.lot.status.wizard")
        form = Form(self.env["stock.lot.status.wizard"].with_user(self.user).with_context(**action["context"]))
        self.assertEqual(form.status, "blocked")
        form.reason = "LS batch complaint"
        form.save().action_apply()
        self.assertEqual(set(lots.mapped("lot_status")), {"blocked"})
        # the Action menu: the selected lots come as active_ids
        wizard_action = self.env.ref("lot_serial_tracking.stock_lot_status_wizard_action")
        self.assertEqual(wizard_action.binding_model_id.model, "stock.lot")
        ctx = {"active_model": "stock.lot", "active_ids": lots.ids, "default_status": "quarantine"}
        form = Form(self.env["stock.lot.status.wizard"].with_user(self.user).with_context(**ctx))
        form.reason = "LS to the lab"
        form.save().action_apply()
        self.assertEqual(set(lots.mapped("lot_status")), {"quarantine"})
        # the list shows the status as a badge, the search view filters and groups by it
        arch = self.env["stock.lot"].get_view(self.env.ref("stock.view_production_lot_tree").id, "list")["arch"]
        self.assertIn('name="lot_status"', arch)
        self.assertIn('widget="badge"', arch)
        self.assertIn("action_lst_block", arch)
        search = self.env["stock.lot"].get_view(self.env.ref("stock.search_product_lot_filter").id, "search")["arch"]
        self.assertIn("lot_status_blocked", search)
        self.assertIn("group_by_lot_status", search)
        self.assertEqual(
            self.env["stock.lot"].search_count([("lot_status", "=", "quarantine"), ("id", "in", lots.ids)]), 2
        )

    # ------------------------------------------------------------------ delivery-only serials
    def test_delivery_only_blocked_serial_refused_at_capture(self):
        rule = self.env["stock.tracking.rule"].create(
            {"name": "LS delivery only", "tracking": "serial", "capture": "delivery_only", "lot_prefix": "LSD-"}
        )
        lamp = (
            self.env["product.template"]
            .create({"name": "LS Lamp", "is_storable": True, "tracking_rule_id": rule.id})
            .product_variant_id
        )
        self.env["stock.quant"]._update_available_quantity(lamp, self.stock, 3)
        serial = self.env["stock.lot"].create({"name": "LSD-BAD", "product_id": lamp.id})
        self._block(serial, reason="LS returned broken")
        delivery = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "location_id": self.stock.id,
                "location_dest_id": self.customers.id,
                "partner_id": self.partner.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "ls",
                            "product_id": lamp.id,
                            "product_uom_qty": 2,
                            "location_id": self.stock.id,
                            "location_dest_id": self.customers.id,
                        }
                    )
                ],
            }
        )
        delivery.action_confirm()
        delivery.action_assign()
        move = delivery.move_ids
        self.assertTrue(move.lst_capture_here)
        # scanned: refused inline
        with Form(move, view="stock.view_stock_move_operations") as form:
            form.lst_scan_serial = "LSD-BAD"
            self.assertIn(
                "LSD-BAD not added: LSD-BAD of LS Lamp is Blocked (LS returned broken)", form.lst_scan_message
            )
            form.lst_scan_serial = "LSD-OK1"
            self.assertFalse(form.lst_scan_message)
        # over the API
        with self.assertRaisesRegex(UserError, "LSD-BAD of LS Lamp is Blocked"):
            move.set_lot_names(["LSD-OK1", "LSD-BAD"])
        # typed in the Lot/Serial column: refused at validation
        free = delivery.move_line_ids.filtered(lambda ml: not ml.lot_name)
        free.lot_name = "LSD-BAD"
        with self.assertRaisesRegex(UserError, "LSD-BAD of LS Lamp is Blocked"):
            self._validate(delivery)
        free.lot_name = "LSD-OK2"
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")
        self.assertEqual(sorted(delivery.move_line_ids.lot_id.mapped("name")), ["LSD-OK1", "LSD-OK2"])


@tagged("post_install", "-at_install")
class TestLotStatusCompanies(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company_a = env.company
        cls.company_b = env["res.company"].create({"name": "LS Company B"})
        cls.user_b = new_test_user(
            env,
            login="ls_user_b",
            groups=LOT_GROUPS,
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        product = env["product.product"].create({"name": "LS Shared Paint", "is_storable": True, "tracking": "lot"})
        cls.lot_a = env["stock.lot"].create(
            {"name": "LS-A-1", "product_id": product.id, "company_id": cls.company_a.id}
        )

    def test_company_b_never_sees_or_changes_company_a_lots(self):
        Lot = self.env["stock.lot"].with_user(self.user_b)
        self.assertFalse(Lot.search([("id", "=", self.lot_a.id)]))
        with self.assertRaises(AccessError):
            self.lot_a.with_user(self.user_b).set_lot_status("blocked", "LS not mine")
        with self.assertRaisesRegex(UserError, "no record with id"):
            self.env["stock.lot.status.wizard"].with_user(self.user_b).create(
                {"lot_ids": [Command.set(self.lot_a.ids)], "status": "blocked", "reason": "LS not mine"}
            )
        self.assertEqual(self.lot_a.lot_status, "released")


@tagged("post_install", "-at_install")
class TestLotStatusQueries(TransactionCase):
    """Holding the lots a recall reaches (hundreds of finished serials) costs the same queries for 10 lots as for
    190 (one SELECT of the lots, one of their reserved move lines, one INSERT of the chatter notes, one UPDATE)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "LSQ Chair", "is_storable": True, "tracking": "serial"}
        )
        cls.lots = cls.env["stock.lot"].create(
            [{"name": f"LSQ-{i:04d}", "product_id": cls.product.id} for i in range(210)]
        )

    def _queries(self, lots, status):
        self.env.flush_all()
        self.env.invalidate_all()
        count = self.env.cr.sql_log_count
        lots.set_lot_status(status, "LSQ recall")
        self.env.flush_all()
        return self.env.cr.sql_log_count - count

    def test_query_count_does_not_grow_with_lots(self):
        self._queries(self.lots[200:201], "quarantine")  # warm the caches (ir.model.data, mail subtypes)
        few = self._queries(self.lots[:10], "blocked")
        many = self._queries(self.lots[10:200], "blocked")
        # the same queries: the lots' UPDATE and their notes' INSERT are one query each (the ORM's take one per 100)
        self.assertEqual(many, few, f"{few} queries for 10 lots, {many} for 190")
        self.assertLessEqual(few, 10)
        self.assertEqual(set(self.lots[:200].mapped("lot_status")), {"blocked"})

    def test_notes_naming_released_documents_do_not_query_per_lot(self):
        """The notes name the transfers whose reservation was released, only those the user may read: one
        access check for all the lots, not one per lot (here 2 lots vs 12, one transfer each)."""
        user = new_test_user(self.env, login="lsq_user", groups="stock.group_stock_user,stock.group_production_lot")
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        pickings = self.env["stock.picking"].create(
            [
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                }
                for _index in range(14)
            ]
        )
        labels = dict(self.env["stock.lot"]._fields["lot_status"]._description_selection(self.env))

        def queries(lots, docs):
            lots = lots.with_user(user)
            # as _lst_release_held_reservations builds them: one recordset per lot, in the user's sudo env
            sudo = self.env(user=user, su=True)
            documents = {
                lot.id: (sudo["stock.picking"].browse(picking.id), sudo["mrp.production"])
                for lot, picking in zip(lots, docs, strict=True)
            }
            self.env.flush_all()
            self.env.invalidate_all()
            count = self.env.cr.sql_log_count
            lots._lst_log_status_change(dict.fromkeys(lots.ids, "released"), "blocked", "LSQ", documents, labels)
            self.env.flush_all()
            return self.env.cr.sql_log_count - count

        queries(self.lots[200:201], pickings[:1])  # warm the caches
        few, many = queries(self.lots[:2], pickings[1:3]), queries(self.lots[2:14], pickings[2:14])
        self.assertEqual(many, few, f"{few} queries for 2 lots, {many} for 12")
        self.assertIn(pickings[4].name, str(self.lots[4].message_ids[0].body))

    def test_status_note_is_odoos_log_note(self):
        """The notes written in one INSERT are the notes Odoo's _message_log_batch writes: same author, sender,
        reply-to, subtype, type, internal flag, no record name, no signature; and the lot's chatter shows them."""
        user = self.env.ref("base.user_admin")
        lots = self.lots[:3].with_user(user)
        lots[:2].set_lot_status("quarantine", "LSQ lab check")
        ours = lots[0].message_ids[0]
        self.assertIn("LSQ lab check", str(lots[1].message_ids[0].body))
        odoos = lots[2]._message_log_batch({lots[2].id: ours.body})
        fnames = [
            "author_id", "email_from", "reply_to", "subtype_id", "message_type", "is_internal", "record_name",
            "record_company_id", "record_alias_domain_id", "email_add_signature", "subject", "body", "model",
            "create_uid", "write_uid", "parent_id", "partner_ids", "attachment_ids", "tracking_value_ids",
        ]  # fmt: skip
        self.assertEqual(ours.sudo().read(fnames)[0] | {"id": 0}, odoos.read(fnames)[0] | {"id": 0})
        self.assertEqual(ours.res_id, lots[0].id)
        self.assertEqual(self.lots[0].lot_status_user_id, user)
        self.assertEqual(self.lots[0].write_uid, user)


@tagged("post_install", "-at_install")
class TestLotStatusUi(HttpCase):
    def test_tour_block_from_list_release_from_form(self):
        self.env.ref("base.user_admin").groups_id |= self.env.ref("stock.group_production_lot")
        product = self.env["product.product"].create({"name": "LST Tour Paint", "is_storable": True, "tracking": "lot"})
        lot = self.env["stock.lot"].create({"name": "LST-TOUR-1", "product_id": product.id})
        self.start_tour(
            "/odoo/action-stock.action_production_lot_form", "lot_serial_tracking_lot_status", login="admin"
        )
        self.assertEqual(lot.lot_status, "released")
        bodies = " ".join(lot.message_ids.mapped("body"))
        self.assertIn("Tour complaint 42", bodies)
        self.assertIn("Tour lab passed", bodies)
