# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Companies stay apart: a user of company B never reads company A's customers, deliveries, products,
locations or manufacturing orders through the module (fields, error messages, records made by hand),
and cannot change what company A's products use. Real non-admin users of two companies."""

import re

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

LOT_GROUPS = "stock.group_stock_user,stock.group_production_lot"


@tagged("post_install", "-at_install")
class TestCompaniesApart(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company_a = env.company
        cls.company_b = env["res.company"].create({"name": "CA Company B"})
        cls.wh_a = env["stock.warehouse"].search([("company_id", "=", cls.company_a.id)], limit=1)
        cls.wh_b = env["stock.warehouse"].search([("company_id", "=", cls.company_b.id)], limit=1)
        cls.customers = env.ref("stock.stock_location_customers")

        def user(login, groups, company):
            return new_test_user(
                env, login=login, groups=groups, company_id=company.id, company_ids=[Command.set(company.ids)]
            )

        cls.user_a = user("ca_user_a", LOT_GROUPS, cls.company_a)
        cls.user_b = user("ca_user_b", LOT_GROUPS + ",mrp.group_mrp_user", cls.company_b)
        cls.admin_b = user("ca_admin_b", "stock.group_stock_manager,stock.group_production_lot", cls.company_b)
        cls.secret_customer = env["res.partner"].create(
            {"name": "Secret Customer of A", "company_id": cls.company_a.id}
        )
        cls.customer_b = env["res.partner"].create({"name": "Customer of B", "company_id": cls.company_b.id})
        Rule = env["stock.tracking.rule"]
        cls.dlo_rule = Rule.create(
            {"name": "CA delivery only", "tracking": "serial", "capture": "delivery_only", "lot_prefix": "CAD-"}
        )
        cls.unique_rule = Rule.create(
            {"name": "CA unique serials", "tracking": "serial", "lot_prefix": "CAU-", "unique_across_products": True}
        )
        # a product both companies use (no company), delivery-only serials
        cls.lamp = cls._template("CA Shared Lamp", cls.dlo_rule).product_variant_id
        # company A's own product under the unique rule, and a shared one under the same rule
        cls.secret_product = cls._template("CA Secret Product of A", cls.unique_rule, cls.company_a).product_variant_id
        cls.shared_unique = cls._template("CA Shared Chair", cls.unique_rule).product_variant_id

    @classmethod
    def _template(cls, name, rule, company=None):
        return cls.env["product.template"].create(
            {
                "name": name,
                "is_storable": True,
                "tracking_rule_id": rule.id,
                "company_id": company.id if company else False,
            }
        )

    def _env(self, user):
        return self.env(user=user)

    def _delivery(self, warehouse, user, product, qty, partner):
        """A confirmed delivery of `warehouse`'s company to `partner`, made by `user`, with plain stock."""
        self.env["stock.quant"].with_company(warehouse.company_id)._update_available_quantity(
            product, warehouse.lot_stock_id, qty
        )
        picking = (
            self.env["stock.picking"]
            .with_user(user)
            .create(
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "location_dest_id": self.customers.id,
                    "partner_id": partner.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": "CA",
                                "product_id": product.id,
                                "product_uom_qty": qty,
                                "product_uom": product.uom_id.id,
                                "location_id": warehouse.lot_stock_id.id,
                                "location_dest_id": self.customers.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def _delivered_shared_serial(self):
        """Shared serial CA-SH-1 (no company) of the shared lamp, delivered by company A to its customer."""
        lot = self.env["stock.lot"].create({"name": "CA-SH-1", "product_id": self.lamp.id, "company_id": False})
        picking = self._delivery(self.wh_a, self.user_a, self.lamp, 1, self.secret_customer)
        picking.move_ids.set_lot_names(["CA-SH-1"])
        picking.with_context(skip_sms=True).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_line_ids.lot_id, lot)
        return lot, picking

    # ------------------------------------------------------------------ delivered serials
    def test_at_customer_shows_only_own_deliveries(self):
        lot, picking_a = self._delivered_shared_serial()
        lot_a = lot.with_user(self.user_a)
        self.assertEqual(lot_a.lst_customer_id, self.secret_customer)
        self.assertEqual(lot_a.lst_delivery_id, picking_a)
        # company B's user reads the shared lot: like Odoo's Last Delivery Partner, nothing of company A
        (values,) = lot.with_user(self.user_b).read(["lst_customer_id", "lst_delivery_id", "last_delivery_partner_id"])
        self.assertFalse(values["lst_customer_id"])
        self.assertFalse(values["lst_delivery_id"])
        self.assertFalse(values["last_delivery_partner_id"])

    def test_at_customer_after_return_shows_nothing(self):
        """Delivered by B, returned to B, then delivered by A: B's old delivery is not where it is now."""
        lot = self.env["stock.lot"].create({"name": "CA-SH-2", "product_id": self.lamp.id, "company_id": False})
        picking_b = self._delivery(self.wh_b, self.user_b, self.lamp, 1, self.customer_b)
        picking_b.move_ids.set_lot_names(["CA-SH-2"])
        picking_b.with_context(skip_sms=True).button_validate()
        self.assertEqual(lot.with_user(self.user_b).lst_delivery_id, picking_b)
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking_b.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 1
        return_b = wizard._create_return()
        self.assertEqual(return_b.move_line_ids.lot_id, lot)
        return_b.button_validate()
        self.assertEqual(return_b.state, "done")
        lot.invalidate_recordset()
        self.assertFalse(lot.with_user(self.user_b).lst_customer_id, "back in B's stock")
        picking_a = self._delivery(self.wh_a, self.user_a, self.lamp, 1, self.secret_customer)
        picking_a.move_ids.set_lot_names(["CA-SH-2"])
        picking_a.with_context(skip_sms=True).button_validate()
        lot.invalidate_recordset()
        self.assertEqual(lot.with_user(self.user_a).lst_customer_id, self.secret_customer)
        lot_b = lot.with_user(self.user_b)
        self.assertFalse(lot_b.lst_customer_id, "at A's customer: B is told nothing, not its old customer")
        self.assertFalse(lot_b.lst_delivery_id)

    def test_serial_at_customer_refusal_names_nothing_of_company_a(self):
        _lot, picking_a = self._delivered_shared_serial()
        picking_b = self._delivery(self.wh_b, self.user_b, self.lamp, 1, self.customer_b)
        with self.assertRaises(UserError) as cm:
            picking_b.with_user(self.user_b).move_ids.set_lot_names(["CA-SH-1"])
        msg = str(cm.exception)
        self.assertIn("CA-SH-1", msg)
        self.assertIn("at a customer of another company", msg)
        self.assertNotIn(self.secret_customer.name, msg)
        self.assertNotIn(picking_a.name, msg)
        # the same check at validation (serial chosen on the detailed line)
        picking_b = picking_b.with_user(self.user_b)
        picking_b.move_line_ids.lot_id = _lot
        with self.assertRaises(UserError) as cm:
            picking_b.with_context(skip_sms=True).button_validate()
        self.assertIn("at a customer of another company", str(cm.exception))
        self.assertNotIn(self.secret_customer.name, str(cm.exception))
        self.assertNotEqual(picking_b.state, "done")
        # company A's own user is still told the customer and the delivery
        picking_a2 = self._delivery(self.wh_a, self.user_a, self.lamp, 1, self.secret_customer)
        with self.assertRaisesRegex(UserError, f"Secret Customer of A .*{picking_a.name}"):
            picking_a2.with_user(self.user_a).move_ids.set_lot_names(["CA-SH-1"])

    # ------------------------------------------------------------------ unique across products
    def test_unique_across_products_names_only_visible_products(self):
        self.env["stock.lot"].create({"name": "CAU-SECRET", "product_id": self.secret_product.id})
        # company B's user creates a shared lot (its product is shared) of the same name
        with self.assertRaises(ValidationError) as cm:
            self.env(user=self.user_b)["stock.lot"].create({"name": "CAU-SECRET", "product_id": self.shared_unique.id})
        self.assertIn("another product", str(cm.exception))
        self.assertNotIn(self.secret_product.name, str(cm.exception))
        # company A's user may see the product: it is named
        with self.assertRaises(ValidationError) as cm:
            self.env(user=self.user_a)["stock.lot"].create({"name": "CAU-SECRET", "product_id": self.shared_unique.id})
        self.assertIn(self.secret_product.name, str(cm.exception))

    def test_propose_first_name_of_another_company_product(self):
        Lot_b = self.env(user=self.user_b)["stock.lot"]
        with self.assertRaisesRegex(UserError, "does not exist"):
            Lot_b.lst_propose_first_name(self.secret_product.id)
        self.assertEqual(Lot_b.lst_propose_first_name(self.shared_unique.id), "CAU-00001")

    # ------------------------------------------------------------------ batch production
    def test_batch_produce_problems_name_nothing_of_company_a(self):
        chair = self.shared_unique
        lot_stock = self.env["stock.lot"].create({"name": "CAU-00001", "product_id": chair.id})
        self.env["stock.quant"].with_company(self.company_a)._update_available_quantity(
            chair, self.wh_a.lot_stock_id, 1, lot_id=lot_stock
        )
        lot_mo = self.env["stock.lot"].create({"name": "CAU-00002", "product_id": chair.id})
        mo_a = Form(self.env["mrp.production"])
        mo_a.product_id = chair
        mo_a = mo_a.save()
        mo_a.action_confirm()
        mo_a.lot_producing_id = lot_mo
        form = Form(self.env["mrp.production"].with_user(self.user_b))
        form.product_id = chair
        form.product_qty = 3
        mo_b = form.save()
        mo_b.action_confirm()
        self.assertEqual(mo_b.company_id, self.company_b)
        wizard = (
            self.env(user=self.user_b)["mrp.batch.produce"]
            .create({"production_id": mo_b.id, "production_text": "CAU-00001\nCAU-00002\nCAU-00009"})
            .with_user(self.user_b)
        )
        summary = wizard.lst_summary
        self.assertIn("CAU-00001 already exists: in the stock of another company", summary)
        self.assertIn("CAU-00002 already exists: on a manufacturing order of another company", summary)
        for secret in (self.wh_a.lot_stock_id.display_name, mo_a.name, self.secret_product.name):
            self.assertNotIn(secret, summary)

    # ------------------------------------------------------------------ records made by hand
    def test_wizards_refuse_other_company_records(self):
        mo_a = Form(self.env["mrp.production"])
        mo_a.product_id = self.shared_unique
        mo_a = mo_a.save()
        env_b = self.env(user=self.user_b)
        with self.assertRaises(UserError) as cm:
            env_b["stock.tracking.change"].create({"product_tmpl_id": self.secret_product.product_tmpl_id.id})
        self.assertIn("there is no record with id", str(cm.exception))
        self.assertNotIn(self.secret_product.name, str(cm.exception))
        wizard = env_b["stock.tracking.change"].create({"product_tmpl_id": self.lamp.product_tmpl_id.id})
        for vals in (
            {"product_id": self.secret_product.id, "location_id": self.wh_b.lot_stock_id.id},
            {"product_id": self.lamp.id, "location_id": self.wh_a.lot_stock_id.id},
        ):
            with self.assertRaisesRegex(UserError, "there is no record with id"):
                env_b["stock.tracking.change.line"].create({"wizard_id": wizard.id, **vals})
            with self.assertRaisesRegex(UserError, "there is no record with id"):
                wizard.write({"line_ids": [Command.create(vals)]})
        with self.assertRaisesRegex(UserError, "there is no record with id"):
            env_b["mrp.batch.produce"].create({"production_id": mo_a.id})
        move_a = self._delivery(self.wh_a, self.user_a, self.lamp, 1, self.secret_customer).move_ids
        with self.assertRaisesRegex(UserError, "there is no record with id"):
            wizard.write({"unreserved_move_ids": [Command.set(move_a.ids)]})
        with self.assertRaisesRegex(UserError, "there is no record with id"):
            wizard.write({"unreserved_move_ids": [Command.link(move_a.id)]})
        self.assertFalse(wizard.unreserved_move_ids)
        # a rule of company A is not B's to use either (and is not named)
        rule_a = self.env["stock.tracking.rule"].create(
            {"name": "CA rule of A", "tracking": "lot", "company_id": self.company_a.id}
        )
        with self.assertRaises(UserError) as cm:
            wizard.write({"tracking_rule_id": rule_a.id})
        self.assertNotIn("CA rule of A", str(cm.exception))
        # a user of both companies: a rule of company B on company A's product is inconsistent
        both = new_test_user(
            self.env, login="ca_both", groups=LOT_GROUPS,
            company_id=self.company_a.id, company_ids=[Command.set((self.company_a | self.company_b).ids)],
        )  # fmt: skip
        rule_b = self.env["stock.tracking.rule"].create(
            {"name": "CA rule of B", "tracking": "lot", "company_id": self.company_b.id}
        )
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.env(user=both)["stock.tracking.change"].create(
                {"product_tmpl_id": self.secret_product.product_tmpl_id.id, "tracking_rule_id": rule_b.id}
            )

    def test_recall_lines_cannot_be_made_by_hand(self):
        lot, picking_a = self._delivered_shared_serial()
        Line_b = self.env(user=self.user_b)["stock.recall.line"]
        with self.assertRaises(AccessError):
            Line_b.create(
                {
                    "lot_id": lot.id,
                    "partner_id": self.secret_customer.id,
                    "picking_id": picking_a.id,
                    "company_id": self.company_b.id,
                }
            )
        # the recall itself still works, and shows B nothing of A
        action = lot.with_user(self.user_b).action_lst_recall()
        self.assertFalse(Line_b.search(action["domain"]))
        action = lot.with_user(self.user_a).action_lst_recall()
        lines_a = self.env(user=self.user_a)["stock.recall.line"].search(action["domain"])
        self.assertEqual(lines_a.partner_id, self.secret_customer)
        self.assertFalse(Line_b.search([("id", "in", lines_a.ids)]), "A's recall is A's user's only")
        with self.assertRaises(AccessError):
            lines_a.with_user(self.user_a).write({"partner_id": self.customer_b.id})
        with self.assertRaises(AccessError):
            lines_a.with_user(self.user_a).unlink()

    def test_recall_through_another_company_mo(self):
        """A shared resin lot made into a shared panel lot by company A's MO, the panel delivered by company B:
        B's recall lists B's delivery without naming (or pointing to) A's MO."""
        resin = self.env["product.product"].create({"name": "CA Resin", "is_storable": True, "tracking": "lot"})
        panel = self.env["product.product"].create({"name": "CA Panel", "is_storable": True, "tracking": "lot"})
        bom = self.env["mrp.bom"].create(
            {
                "product_tmpl_id": panel.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [Command.create({"product_id": resin.id, "product_qty": 1})],
            }
        )
        resin_lot = self.env["stock.lot"].create({"name": "CA-RESIN", "product_id": resin.id})
        panel_lot = self.env["stock.lot"].create({"name": "CA-PANEL", "product_id": panel.id})
        self.assertFalse(resin_lot.company_id | panel_lot.company_id, "shared lots")
        self.env["stock.quant"]._update_available_quantity(resin, self.wh_a.lot_stock_id, 2, lot_id=resin_lot)
        mo_form = Form(self.env["mrp.production"])
        mo_form.bom_id = bom
        mo_form.product_qty = 2
        mo = mo_form.save()
        mo.action_confirm()
        mo.action_assign()
        mo_form = Form(mo)
        mo_form.qty_producing = 2
        mo_form.lot_producing_id = panel_lot
        mo = mo_form.save()
        mo.move_raw_ids.move_line_ids.lot_id = resin_lot
        mo.move_raw_ids.picked = True
        mo.button_mark_done()
        self.assertEqual((mo.state, mo.company_id), ("done", self.company_a))
        # the panel reaches company B, which delivers it
        self.env["stock.quant"].with_company(self.company_b)._update_available_quantity(
            panel, self.wh_b.lot_stock_id, 1, lot_id=panel_lot
        )
        delivery = self._delivery(self.wh_b, self.user_b, panel, 1, self.customer_b)
        delivery.move_ids.move_line_ids.lot_id = panel_lot
        delivery.move_ids.picked = True
        delivery.with_context(skip_sms=True).button_validate()
        self.assertEqual(delivery.state, "done")
        (line,) = resin_lot.with_user(self.user_b).get_recall_lines()
        self.assertEqual((line["partner_name"], line["via_lot_name"]), ("Customer of B", "CA-PANEL"))
        self.assertFalse(line["via_production_id"])
        self.assertFalse(line["via_production_name"])
        self.assertNotIn(mo.name, line["via_path"])
        self.assertIn("a manufacturing order of another company", line["via_path"])
        action = resin_lot.with_user(self.user_b).action_lst_recall()
        lines = self.env(user=self.user_b)["stock.recall.line"].search(action["domain"])
        self.assertEqual(lines.picking_id, delivery)
        self.assertFalse(lines.via_production_id)
        # company A's own user sees the MO (and not B's delivery)
        self.assertFalse(resin_lot.with_user(self.user_a).get_recall_lines())

    # ------------------------------------------------------------------ Change Tracking of shared products
    def test_change_tracking_refused_with_other_company_stock(self):
        """Every conversion: here delivery-only to untracked, which keeps the plain stock as it is."""
        tmpl = self.lamp.product_tmpl_id
        self.env["stock.quant"].with_company(self.company_a)._update_available_quantity(
            self.lamp, self.wh_a.lot_stock_id, 3
        )
        wizard = self.env(user=self.user_b)["stock.tracking.change"].create(
            {"product_tmpl_id": tmpl.id, "tracking_rule_id": False, "tracking": "none"}
        )
        self.assertEqual(wizard.conversion, "none")
        self.assertFalse(wizard.line_ids, "company A's stock is not shown to B")
        with self.assertRaises(UserError) as cm:
            wizard.action_confirm()
        self.assertIn("stock in other companies, which you do not belong to", str(cm.exception))
        self.assertNotIn(self.company_a.name, str(cm.exception))
        self.assertEqual((tmpl.tracking, tmpl.tracking_rule_id), ("serial", self.dlo_rule), "nothing changed")
        # a user of both companies, only B selected: told to select A too
        both = new_test_user(
            self.env, login="ca_both_tc", groups=LOT_GROUPS,
            company_id=self.company_b.id, company_ids=[Command.set((self.company_a | self.company_b).ids)],
        )  # fmt: skip
        env_b_only = self.env(user=both, context=dict(self.env.context, allowed_company_ids=self.company_b.ids))
        wizard = env_b_only["stock.tracking.change"].create(
            {"product_tmpl_id": tmpl.id, "tracking_rule_id": False, "tracking": "none"}
        )
        with self.assertRaisesRegex(UserError, "companies not selected " + re.escape(f"({self.company_a.name})")):
            wizard.action_confirm()
        # with both selected the conversion goes through
        env_both = self.env(
            user=both, context=dict(self.env.context, allowed_company_ids=(self.company_a | self.company_b).ids)
        )
        wizard = env_both["stock.tracking.change"].create(
            {"product_tmpl_id": tmpl.id, "tracking_rule_id": False, "tracking": "none"}
        )
        wizard.action_confirm()
        self.assertEqual(tmpl.tracking, "none")

    # ------------------------------------------------------------------ shared rules
    def test_shared_rule_cannot_be_taken_over(self):
        rule = self.env["stock.tracking.rule"].create({"name": "CA shared", "tracking": "lot", "lot_prefix": "A-"})
        self.secret_product.product_tmpl_id.tracking_rule_id = rule
        Rule_b = self.env(user=self.admin_b)["stock.tracking.rule"]
        for vals in ({"company_id": self.company_b.id}, {"lot_prefix": "HACKED-"}, {"lot_number_next": 900}):
            with self.assertRaises(UserError) as cm:
                Rule_b.browse(rule.id).write(vals)
            self.assertIn("used by products of companies you do not belong to", str(cm.exception))
            self.assertNotIn(self.secret_product.name, str(cm.exception))
        self.assertEqual((rule.company_id, rule.lot_prefix, rule.lot_number_next), (self.env["res.company"], "A-", 1))
        self.assertEqual(
            self.env(user=self.user_a)["stock.lot"].lst_propose_first_name(self.secret_product.id), "A-00001"
        )
        # a rule only B's own (or shared) products use stays B's to edit
        rule_b = Rule_b.create({"name": "CA B's", "tracking": "lot", "lot_prefix": "B-"})
        rule_b.lot_prefix = "BB-"
        self.assertEqual(rule_b.lot_name_preview, "BB-00001")

    def test_rule_company_consistent_with_its_users(self):
        """Even for a user of both companies: a rule of company B cannot serve company A's or shared products
        and categories."""
        both = new_test_user(
            self.env, login="ca_both_admin", groups="stock.group_stock_manager,stock.group_production_lot",
            company_id=self.company_a.id, company_ids=[Command.set((self.company_a | self.company_b).ids)],
        )  # fmt: skip
        Rule = self.env(user=both)["stock.tracking.rule"]
        rule = Rule.create({"name": "CA consistency", "tracking": "lot"})
        self.secret_product.product_tmpl_id.tracking_rule_id = rule
        with self.assertRaisesRegex(ValidationError, "cannot belong to company CA Company B.*CA Secret Product of A"):
            rule.company_id = self.company_b
        rule.company_id = self.company_a  # only company A's products use it
        self.assertEqual(rule.company_id, self.company_a)
        rule.company_id = False
        categ = self.env["product.category"].create({"name": "CA categ"})
        categ.tracking_rule_id = rule
        with self.assertRaisesRegex(ValidationError, "CA categ"):
            rule.company_id = self.company_a
        # a category is shared by all companies: only a shared rule fits it
        rule_a = Rule.create({"name": "CA of A", "tracking": "lot", "company_id": self.company_a.id})
        with self.assertRaisesRegex(ValidationError, "shared by all companies"):
            self.env(user=both)["product.category"].browse(categ.id).tracking_rule_id = rule_a
        # company B's administrator cannot even name company A's rule on its products or categories
        tmpl_b = self.env(user=self.admin_b)["product.template"].create({"name": "CA B product", "is_storable": True})
        with self.assertRaises(UserError) as cm:
            tmpl_b.tracking_rule_id = rule_a.id
        self.assertNotIn("CA of A", str(cm.exception))
        with self.assertRaises(UserError) as cm:
            self.env(user=self.admin_b)["product.category"].create(
                {"name": "CA B categ", "tracking_rule_id": rule_a.id}
            )
        self.assertNotIn("CA of A", str(cm.exception))
