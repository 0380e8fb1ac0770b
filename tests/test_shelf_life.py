# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import RedirectWarning, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

STOCK_USER = "stock.group_stock_user,stock.group_production_lot"


class _RegexCheck:
    """assertRaisesRegex through Odoo's assertRaises, which rolls the failed operation back (savepoint)."""

    def __init__(self, case, exception, regex):
        self.case, self.exception, self.regex = case, exception, regex

    def __enter__(self):
        self.ctx = self.case.assertRaises(self.exception)
        self.err = self.ctx.__enter__()
        return self.err

    def __exit__(self, *exc):
        res = self.ctx.__exit__(*exc)
        self.case.assertRegex(str(self.err.exception), self.regex)
        return res


@tagged("post_install", "-at_install")
class TestShelfLife(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fefo = cls.env.ref("product_expiry.removal_fefo")
        cls.fifo = cls.env.ref("stock.removal_fifo")
        cls.lifo = cls.env.ref("stock.removal_lifo")
        cls.rule = cls.env["stock.tracking.rule"].create(
            {
                "name": "Perishable test",
                "tracking": "lot",
                "lot_prefix": "PER-",
                "use_expiration_date": True,
                "expiration_time": 10,
                "use_time": 4,
                "removal_time": 2,
                "alert_time": 3,
                "removal_strategy_id": cls.fefo.id,
                "block_expired": True,
            }
        )
        # the category and the stock location say otherwise: the rule wins
        cls.categ = cls.env["product.category"].create({"name": "Shelf FIFO", "removal_strategy_id": cls.fifo.id})
        cls.product = (
            cls.env["product.template"]
            .create({"name": "Milk", "is_storable": True, "categ_id": cls.categ.id, "tracking_rule_id": cls.rule.id})
            .product_variant_id
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        cls.stock.removal_strategy_id = cls.lifo
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.suppliers = cls.env.ref("stock.stock_location_suppliers")
        cls.partner = cls.env["res.partner"].create({"name": "Dairy"})
        cls.user = new_test_user(cls.env, login="shelf_stock_user", groups=STOCK_USER)
        cls.mrp_user = new_test_user(cls.env, login="shelf_mrp_user", groups=STOCK_USER + ",mrp.group_mrp_user")
        cls.now = fields.Datetime.now()

    # helpers -------------------------------------------------------------
    def _lot(self, name, days, product=None):
        vals = {"name": name, "product_id": (product or self.product).id}
        if days is not None:
            vals["expiration_date"] = self.now + timedelta(days=days)
        return self.env["stock.lot"].create(vals)

    def assertRaisesRegex(self, exception, regex):  # through Odoo's assertRaises (a savepoint)
        return _RegexCheck(self, exception, regex)

    def _stock(self, lot, qty, in_date=None, product=None):
        self.env["stock.quant"]._update_available_quantity(
            product or self.product, self.stock, qty, lot_id=lot, in_date=in_date
        )

    def _picking(self, picking_type, qty, src, dest, product=None, user=None):
        product = product or self.product
        picking = (
            self.env["stock.picking"]
            .with_user(user or self.user)
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "location_id": src.id,
                    "location_dest_id": dest.id,
                    "partner_id": self.partner.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": "test",
                                "product_id": product.id,
                                "product_uom_qty": qty,
                                "product_uom": product.uom_id.id,
                                "location_id": src.id,
                                "location_dest_id": dest.id,
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
        return self._picking(self.warehouse.out_type_id, qty, self.stock, self.customers, **kw)

    def _receipt(self, qty, **kw):
        return self._picking(self.warehouse.in_type_id, qty, self.suppliers, self.stock, **kw)

    def _pick_by_hand(self, picking, lot):
        """The user picks `lot` on the delivery (Odoo's reservation skips expired lots)."""
        picking.move_ids.move_line_ids.unlink()
        picking.move_ids.write(
            {
                "move_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "lot_id": lot.id,
                            "quantity": picking.move_ids.product_uom_qty,
                            "location_id": picking.location_id.id,
                            "location_dest_id": picking.location_dest_id.id,
                        }
                    )
                ],
                "picked": True,
            }
        )

    # the product follows the rule ----------------------------------------
    def test_product_fields_follow_the_rule_and_are_read_only(self):
        tmpl = self.product.product_tmpl_id
        self.assertTrue(tmpl.use_expiration_date)
        self.assertEqual((tmpl.expiration_time, tmpl.use_time, tmpl.removal_time, tmpl.alert_time), (10, 4, 2, 3))
        self.rule.write({"expiration_time": 30, "alert_time": 5})
        self.assertEqual((tmpl.expiration_time, tmpl.alert_time), (30, 5), "a rule change reaches its products")
        tmpl.write({"expiration_time": 1, "use_expiration_date": False})  # over RPC: the rule wins
        self.assertEqual((tmpl.expiration_time, tmpl.use_expiration_date), (30, True))
        # a new lot takes its dates from the rule's delays
        lot = self._lot("PER-NEW", None)
        self.assertAlmostEqual(lot.expiration_date, self.now + timedelta(days=30), delta=timedelta(minutes=5))
        self.assertEqual(lot.expiration_date - lot.alert_date, timedelta(days=5))
        form = Form(tmpl.with_user(new_test_user(self.env, "shelf_mgr", "stock.group_stock_manager," + STOCK_USER)))
        for fname in ("use_expiration_date", "expiration_time", "use_time", "removal_time", "alert_time"):
            self.assertTrue(form._get_modifier(fname, "readonly"), f"{fname} is read-only under a rule")
        # without a rule, the product's own values are kept and editable
        plain = self.env["product.template"].create(
            {"name": "Plain", "is_storable": True, "tracking": "lot", "use_expiration_date": True, "expiration_time": 7}
        )
        self.assertEqual((plain.use_expiration_date, plain.expiration_time), (True, 7))
        self.assertFalse(Form(plain)._get_modifier("expiration_time", "readonly"))

    def test_rule_form(self):
        manager = new_test_user(self.env, "shelf_mgr3", "stock.group_stock_manager," + STOCK_USER)
        form = Form(self.rule.with_user(manager))
        form.require_expiration_date = True
        form.use_expiration_date = False
        self.assertFalse(form.require_expiration_date or form.block_expired, "they need Expiration Dates")
        form.use_expiration_date = True
        form.removal_strategy_id = self.lifo
        form.save()
        self.assertEqual(self.product.lst_removal_strategy_id, self.lifo)
        self.assertFalse(self.rule.block_expired)

    def test_new_lot_form_without_product(self):
        """product_expiry's lot form computes the expiration date before a product is chosen."""
        form = Form(self.env["stock.lot"].with_user(self.user))
        form.product_id = self.product
        form.name = "PER-FORM"
        self.assertTrue(form.save().expiration_date)

    def test_rule_constraints(self):
        with self.assertRaises(ValidationError):
            self.rule.expiration_time = -1
        with self.assertRaises(ValidationError):
            self.env["stock.tracking.rule"].create({"name": "x", "tracking": "lot", "block_expired": True})
        with self.assertRaises(ValidationError):
            self.env["stock.tracking.rule"].create(
                {"name": "x", "tracking": "serial", "capture": "delivery_only", "use_expiration_date": True}
            )

    # removal strategy -----------------------------------------------------
    def test_fefo_picks_the_earlier_expiring_lot_received_later(self):
        late = self._lot("PER-LATE", 30)
        early = self._lot("PER-EARLY", 5)
        self._stock(late, 10, in_date=self.now - timedelta(days=3))
        self._stock(early, 10, in_date=self.now)  # received later, expires first
        self.assertEqual(self.env["stock.quant"]._get_removal_strategy(self.product, self.stock), "fefo")
        delivery = self._delivery(4)
        self.assertEqual(delivery.move_line_ids.lot_id, early)
        self.rule.removal_strategy_id = False  # the category's FIFO again
        self.assertEqual(self.env["stock.quant"]._get_removal_strategy(self.product, self.stock), "fifo")

    # strict expiry --------------------------------------------------------
    def test_expired_lot_refused_even_through_odoos_confirmation(self):
        expired = self._lot("PER-OLD", -2)
        self._stock(expired, 5)
        delivery = self._delivery(2)
        self.assertFalse(delivery.move_line_ids, "Odoo itself does not reserve an expired lot")
        self._pick_by_hand(delivery, expired)
        # the skip_expired context of product_expiry's dialog, as a client may send it
        with self.assertRaisesRegex(UserError, "PER-OLD"):
            delivery.with_context(skip_expired=True).button_validate()
        # the dialog's own Confirm button
        wizard = (
            self.env["expiry.picking.confirmation"]
            .with_user(self.user)
            .with_context(button_validate_picking_ids=delivery.ids, default_lot_ids=[Command.set(expired.ids)])
            .create({"lot_ids": [Command.set(expired.ids)], "picking_ids": [Command.set(delivery.ids)]})
        )
        with self.assertRaisesRegex(UserError, "PER-OLD"):
            wizard.process()
        # and the bare move lines (what every operation ends with)
        with self.assertRaisesRegex(UserError, "Strict Expiry"):
            delivery.move_ids.with_user(self.user).with_context(skip_expired=True)._action_done()
        self.assertEqual(delivery.state, "assigned")
        # without Strict Expiry, Odoo's confirmation lets it go
        self.rule.block_expired = False
        delivery.with_user(self.user).with_context(skip_expired=True).button_validate()
        self.assertEqual(delivery.state, "done")

    def test_expired_component_not_consumed(self):
        expired = self._lot("PER-OLD-C", -1)
        self._stock(expired, 5)
        cake = self.env["product.product"].create({"name": "Cake", "is_storable": True})
        bom = self.env["mrp.bom"].create(
            {
                "product_tmpl_id": cake.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [Command.create({"product_id": self.product.id, "product_qty": 1})],
            }
        )
        form = Form(self.env["mrp.production"].with_user(self.mrp_user))
        form.product_id = cake
        form.bom_id = bom
        form.product_qty = 1
        mo = form.save()
        mo.action_confirm()
        mo.qty_producing = 1
        mo.move_raw_ids.move_line_ids.unlink()
        mo.move_raw_ids.write(
            {
                "move_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "lot_id": expired.id,
                            "quantity": 1,
                            "location_id": self.stock.id,
                            "location_dest_id": mo.move_raw_ids.location_dest_id.id,
                        }
                    )
                ],
                "picked": True,
            }
        )
        with self.assertRaisesRegex(UserError, "PER-OLD-C"):
            mo.with_context(skip_expired=True).button_mark_done()
        self.assertNotEqual(mo.state, "done")

    def test_expired_lot_can_be_scrapped_and_returned_to_vendor(self):
        expired = self._lot("PER-SCRAP", -3)
        self._stock(expired, 5)
        scrap = (
            self.env["stock.scrap"]
            .with_user(self.user)
            .create({"product_id": self.product.id, "lot_id": expired.id, "scrap_qty": 2, "location_id": self.stock.id})
        )
        scrap.action_validate()
        self.assertEqual(scrap.state, "done")
        back = self._picking(self.warehouse.out_type_id, 3, self.stock, self.suppliers)
        self._pick_by_hand(back, expired)
        back.with_user(self.user).with_context(skip_expired=True).button_validate()
        self.assertEqual(back.state, "done")
        self.assertEqual(expired.product_qty, 0)

    # dates required ---------------------------------------------------------
    def test_receipt_of_a_lot_without_date_refused(self):
        self.rule.write({"require_expiration_date": True, "expiration_time": 0})
        receipt = self._receipt(3)
        receipt.move_line_ids.write({"lot_name": "PER-R1", "quantity": 3})
        self.assertFalse(receipt.move_line_ids.expiration_date, "no delay on the rule: Odoo's 'today' is not put")
        with self.assertRaisesRegex(UserError, r"(?s)no expiration date.*PER-R1"):
            receipt.with_user(self.user).button_validate()
        date = self.now + timedelta(days=12)
        receipt.move_line_ids.expiration_date = date
        receipt.with_user(self.user).button_validate()
        self.assertEqual(receipt.state, "done")
        self.assertEqual(receipt.move_line_ids.lot_id.expiration_date, date)

    def test_generated_serials_are_not_dated_today(self):
        rule = self.env["stock.tracking.rule"].create(
            {"name": "Serial dated by hand", "tracking": "serial", "use_expiration_date": True}
        )
        meter = (
            self.env["product.template"]
            .create({"name": "Meter", "is_storable": True, "tracking_rule_id": rule.id})
            .product_variant_id
        )
        move = self._receipt(2, product=meter).move_ids
        data = [{"lot_name": "M-1", "quantity": 1}, {"lot_name": "M-2", "quantity": 1, "expiration_date": self.now}]
        dates = [c[2].get("expiration_date") for c in move._generate_serial_move_line_commands([dict(d) for d in data])]
        self.assertTrue(dates[0], "without a required date, product_expiry's default stays")
        rule.require_expiration_date = True
        dates = [c[2].get("expiration_date") for c in move._generate_serial_move_line_commands([dict(d) for d in data])]
        self.assertEqual(dates, [None, self.now], "today + 0 days is not a date; a given one is kept")

    def test_receipt_of_an_existing_undated_lot(self):
        lot = self._lot("PER-OLD-R", None)
        lot.expiration_date = False
        self.rule.write({"require_expiration_date": True, "expiration_time": 0})
        receipt = self._receipt(2)
        receipt.move_line_ids.write({"lot_id": lot.id, "quantity": 2})
        with self.assertRaisesRegex(UserError, "PER-OLD-R"):
            receipt.with_user(self.user).button_validate()
        # with a delay on the rule Odoo computes the line's date: it counts, and the lot takes it
        self.rule.expiration_time = 8
        receipt.move_line_ids._compute_expiration_date()
        receipt.with_user(self.user).button_validate()
        self.assertEqual(receipt.state, "done")
        self.assertTrue(lot.expiration_date)

    def test_production_of_a_lot_without_date_refused(self):
        self.rule.write({"require_expiration_date": True, "expiration_time": 0})
        self.env["mrp.bom"].create({"product_tmpl_id": self.product.product_tmpl_id.id, "product_qty": 1})
        form = Form(self.env["mrp.production"].with_user(self.mrp_user))
        form.product_id = self.product
        form.product_qty = 2
        mo = form.save()
        mo.action_confirm()
        mo.action_generate_serial()
        self.assertTrue(mo.lot_producing_id)
        self.assertFalse(mo.lot_producing_id.expiration_date)
        mo.qty_producing = 2
        lot_name = mo.lot_producing_id.name
        with self.assertRaisesRegex(UserError, lot_name):
            mo.with_user(self.mrp_user).button_mark_done()
        mo.lot_producing_id.expiration_date = self.now + timedelta(days=3)
        mo.with_user(self.mrp_user).button_mark_done()
        self.assertEqual(mo.state, "done")

    # turning expiry on -------------------------------------------------------
    def test_turning_expiry_on_with_undated_lots_in_stock_refused(self):
        rule = self.env["stock.tracking.rule"].create({"name": "Cheese lots", "tracking": "lot"})
        cheese = (
            self.env["product.template"]
            .create({"name": "Cheese", "is_storable": True, "tracking_rule_id": rule.id})
            .product_variant_id
        )
        lots = self.env["stock.lot"].create([{"name": f"CHEESE-{i}", "product_id": cheese.id} for i in range(25)])
        self.assertFalse(any(lots.mapped("expiration_date")))
        for lot in lots:
            self._stock(lot, 1, product=cheese)
        self.assertEqual(rule.lst_undated_lot_count, 0, "not counted before the rule uses dates")
        manager = new_test_user(self.env, "shelf_mgr2", "stock.group_stock_manager," + STOCK_USER)
        with self.assertRaises(RedirectWarning) as err:
            rule.with_user(manager).use_expiration_date = True
        message, action, _button = err.exception.args[:3]
        self.assertIn("CHEESE-0", message)
        self.assertIn("and 5 more", message)
        self.assertEqual(action["res_model"], "stock.lot")
        self.assertEqual(self.env["stock.lot"].search(action["domain"]), lots)
        self.assertFalse(rule.use_expiration_date)
        # give the lots their dates (the list the button opens), then it goes through
        lots.with_user(manager).write({"expiration_date": self.now + timedelta(days=20)})
        rule.with_user(manager).use_expiration_date = True
        self.assertTrue(cheese.use_expiration_date)

    def test_upgrade_rules_take_their_products_expiry_settings(self):
        same = self.env["stock.tracking.rule"].create({"name": "Same", "tracking": "lot"})
        mixed = self.env["stock.tracking.rule"].create({"name": "Mixed", "tracking": "lot"})
        templates = self.env["product.template"].create(
            [
                {"name": f"T{i}", "is_storable": True, "tracking_rule_id": rule.id}
                for i, rule in enumerate((same, same, mixed, mixed))
            ]
        )
        # before 18.0.1.3.0 these were set by hand on each product
        self.env.flush_all()
        for template, days in zip(templates, (9, 9, 9, 4), strict=True):
            self.env.cr.execute(
                "UPDATE product_template SET use_expiration_date = TRUE, expiration_time = %s WHERE id = %s",
                [days, template.id],
            )
        templates.invalidate_recordset()
        adopted, left = self.env["stock.tracking.rule"]._lst_adopt_products_shelf_life()
        self.assertEqual((adopted, left), (same, mixed))
        self.assertEqual((same.use_expiration_date, same.expiration_time), (True, 9))
        self.assertFalse(mixed.use_expiration_date)
        self.assertEqual(templates.mapped("expiration_time"), [9, 9, 9, 4], "products keep their values")


@tagged("post_install", "-at_install")
class TestSettingsKeepProductExpiry(TransactionCase):
    def test_settings_never_uninstall_product_expiry(self):
        """Unticking Lots & Serial Numbers unticks Expiration Dates (stock's onchange); saving would then
        uninstall product_expiry, and with it this module and its data (Odoo refuses to turn lots off only
        while tracked products exist). The settings no longer drive that module."""
        settings = self.env["res.config.settings"].create({})
        self.assertIn("module_product_expiry", settings._fields)
        settings.group_stock_production_lot = False
        settings._onchange_group_stock_production_lot()
        self.assertFalse(settings.module_product_expiry, "Odoo's onchange unticks it")
        driven = settings._get_classified_fields()["module"].mapped("name")
        self.assertNotIn("product_expiry", driven)
        self.assertIn("stock_picking_batch", driven)  # the other module_ fields still install/uninstall
