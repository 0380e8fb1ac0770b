# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import xmlrpc.client

from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTrackingChange(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["stock.tracking.rule"]
        cls.serial_rule = cls.Rule.create(
            {"name": "TC serial", "tracking": "serial", "lot_prefix": "TCS-", "lot_padding": 4}
        )
        cls.lot_rule = cls.Rule.create(
            {
                "name": "TC lot",
                "tracking": "lot",
                "lot_prefix": "TCL-",
                "lot_padding": 3,
                "unique_across_products": True,
            }
        )
        cls.delivery_rule = cls.Rule.create(
            {"name": "TC delivery only", "tracking": "serial", "capture": "delivery_only", "lot_prefix": "TCD-"}
        )
        cls.stock = cls.env.ref("stock.stock_location_stock")
        cls.shelf = cls.env["stock.location"].create(
            {"name": "TC Shelf", "location_id": cls.stock.id, "usage": "internal"}
        )
        cls.product = cls.env["product.product"].create({"name": "TC Widget", "is_storable": True})
        cls.template = cls.product.product_tmpl_id
        cls.Quant = cls.env["stock.quant"]
        cls.Quant._update_available_quantity(cls.product, cls.stock, 3)
        cls.Quant._update_available_quantity(cls.product, cls.shelf, 2)

    # ------------------------------------------------------------ helpers
    def _wizard(self, **vals):
        return self.env["stock.tracking.change"].create({"product_tmpl_id": self.template.id, **vals})

    def _line(self, wizard, location):
        return wizard.line_ids.filtered(lambda ln: ln.location_id == location)

    def _stock(self, product=None):
        """{(location, lot name or False): qty} of internal stock."""
        quants = self.Quant.search(
            [("product_id", "=", (product or self.product).id), ("location_id.usage", "=", "internal")]
        )
        res = {}
        for q in quants.filtered("quantity"):
            key = (q.location_id, q.lot_id.name or False)
            res[key] = res.get(key, 0) + q.quantity
        return res

    def _counts(self):
        return (
            self.Quant.search_count([]),
            self.env["stock.lot"].search_count([]),
            self.env["stock.move"].search_count([]),
            self.env["stock.move.line"].search_count([]),
        )

    # ------------------------------------------------------------ conversions
    def test_lines_per_location(self):
        wizard = self._wizard(tracking_rule_id=self.serial_rule.id)
        self.assertEqual(wizard.conversion, "numbers")
        self.assertEqual(
            sorted((ln.location_id.id, ln.quantity) for ln in wizard.line_ids),
            sorted([(self.stock.id, 3.0), (self.shelf.id, 2.0)]),
        )
        # the form (default_get from the product's action context) shows the same lines
        form = Form(
            self.env["stock.tracking.change"].with_context(active_model="product.template", active_id=self.template.id)
        )
        self.assertEqual(len(form.line_ids), 2)
        self.assertEqual(form.tracking, "none")

    def test_plain_to_serial_generated_two_locations(self):
        moves_before = self.env["stock.move"].search_count([("product_id", "=", self.product.id)])
        wizard = self._wizard(tracking_rule_id=self.serial_rule.id)
        action = wizard.action_generate()
        self.assertEqual(action["res_id"], wizard.id)
        self.assertEqual(self._line(wizard, self.stock).lot_text, "TCS-0001\nTCS-0002\nTCS-0003")
        self.assertEqual(self._line(wizard, self.shelf).lot_text, "TCS-0004\nTCS-0005")
        res = wizard.action_confirm()
        self.assertEqual(res, {"type": "ir.actions.act_window_close"})
        self.assertEqual(self.product.tracking, "serial")
        self.assertEqual(self.template.tracking_rule_id, self.serial_rule)
        expected = {(self.stock, f"TCS-000{i}"): 1 for i in (1, 2, 3)}
        expected.update({(self.shelf, f"TCS-000{i}"): 1 for i in (4, 5)})
        self.assertEqual(self._stock(), expected)
        self.assertEqual(self.product.qty_available, 5)
        self.assertEqual(self.serial_rule.lot_number_next, 6, "created serials move the rule's numbering on")
        # history: 2 moves zeroing the plain stock, 5 putting the serials back, all named
        moves = self.env["stock.move"].search([("product_id", "=", self.product.id)])
        new_moves = moves[: len(moves) - moves_before] if moves_before else moves
        self.assertEqual(len(moves) - moves_before, 7)
        self.assertTrue(all(m.is_inventory and m.state == "done" for m in new_moves))
        self.assertTrue(all("Tracking change: TC Widget" in m.name for m in new_moves))

    def test_plain_to_lot_typed_with_quantities(self):
        wizard = self._wizard(tracking_rule_id=self.lot_rule.id)
        self._line(wizard, self.stock).lot_text = "A-1;2\nA-2"
        self._line(wizard, self.shelf).lot_text = "A-1\t2\n\n"
        wizard.action_confirm()
        self.assertEqual(self.product.tracking, "lot")
        self.assertEqual(self._stock(), {(self.stock, "A-1"): 2, (self.stock, "A-2"): 1, (self.shelf, "A-1"): 2})
        self.assertEqual(len(self.env["stock.lot"].search([("product_id", "=", self.product.id)])), 2)

    def test_engine_on_the_product_without_wizard(self):
        """The conversion is a product method (models/product_template_tracking_change.py): it runs, and
        refuses what the wizard refuses, without any Change Tracking record."""
        Wizard = self.env["stock.tracking.change"].sudo()
        before = Wizard.search_count([])
        with self.assertRaises(UserError) as cm:
            self.template._lst_change_tracking(
                self.serial_rule, lots_by_key={(self.product, self.stock): [("E-1", 1), ("E-2", 1), ("E-3", 1)]}
            )
        self.assertIn("not changed", str(cm.exception))
        self.assertIn("TC Shelf: 2 on hand but no lots/serials given for it", str(cm.exception))
        self.assertEqual(self.product.tracking, "none", "the shelf has no serials: nothing changed")
        self.template._lst_change_tracking(
            self.lot_rule,
            lots_by_key={(self.product, self.stock): [("E-1", 3)], (self.product, self.shelf): [("E-2", 2)]},
        )
        self.assertEqual(self.product.tracking, "lot")
        self.assertEqual(self._stock(), {(self.stock, "E-1"): 3, (self.shelf, "E-2"): 2})
        self.template._lst_change_tracking(self.env["stock.tracking.rule"], "none")
        self.assertEqual(self.product.tracking, "none")
        self.assertEqual(self._stock(), {(self.stock, False): 3, (self.shelf, False): 2})
        self.assertEqual(Wizard.search_count([]), before, "no Change Tracking record was created")

    def test_without_rule_tracking_choice(self):
        wizard = self._wizard(tracking="lot")
        self.assertFalse(wizard.new_rule_id)
        self.assertEqual(wizard.conversion, "numbers")
        wizard.action_generate()
        self.assertEqual(self._line(wizard, self.stock).lot_text, "TC Widget-0001")
        wizard.action_confirm()
        self.assertEqual(self.product.tracking, "lot")
        self.assertFalse(self.template.tracking_rule_id)
        self.assertEqual(self._stock(), {(self.stock, "TC Widget-0001"): 3, (self.shelf, "TC Widget-0002"): 2})

    def test_errors_listed_and_nothing_changes(self):
        other = self.env["product.product"].create(
            {"name": "TC Other", "is_storable": True, "tracking_rule_id": self.lot_rule.id}
        )
        self.env["stock.lot"].create({"name": "TAKEN", "product_id": other.id})
        before = self._counts()
        cases = [
            # (rule, stock text, shelf text, expected fragments)
            (self.serial_rule, "S1\nS2", "S4\nS5", ["2 serial number(s) given for a quantity of 3"]),
            (self.serial_rule, "S1\nS2\nS2", "S4\nS5", ["duplicate names S2"]),
            (self.serial_rule, "S1\nS2\nS3", "S3\nS5", ["serial numbers given in more than one location: S3"]),
            (self.serial_rule, "S1\nS2\nS3;2", "S4\nS5", ["a serial number covers one unit"]),
            (self.serial_rule, "S1\nS2\nS3", "", ["give the lots/serials for 2"]),
            (self.lot_rule, ";3", "B", ["the lot/serial name is empty"]),
            (self.lot_rule, "A;2", "B;3", ["the lots add up to 2 but the quantity there is 3", "add up to 3"]),
            (self.lot_rule, "A;x", "B", ["'x' is not a quantity"]),
            (self.lot_rule, "A\nB", "C", ["only one lot line may omit its quantity"]),
            (self.lot_rule, "TAKEN", "B", ["TAKEN is already used by TC Other"]),
            (self.lot_rule, "X" * 129, "B", ["the name is longer than 128 characters"]),
        ]
        for rule, stock_text, shelf_text, fragments in cases:
            with self.subTest(stock=stock_text, shelf=shelf_text):
                wizard = self._wizard(tracking_rule_id=rule.id)
                self._line(wizard, self.stock).lot_text = stock_text
                self._line(wizard, self.shelf).lot_text = shelf_text
                with self.assertRaises(UserError) as cm:
                    wizard.action_confirm()
                message = str(cm.exception)
                self.assertIn("The tracking of TC Widget was not changed", message)
                for fragment in fragments:
                    self.assertIn(fragment, message)
                self.assertEqual(self.product.tracking, "none")
                self.assertFalse(self.template.tracking_rule_id)
                self.assertEqual(self._stock(), {(self.stock, False): 3, (self.shelf, False): 2})
        wizards = self.env["stock.tracking.change"].search([])
        self.assertEqual(self._counts(), before, "no quant, lot, move or move line was created")
        self.assertTrue(wizards)

    def test_tracked_to_untracked_drops_numbers(self):
        wizard = self._wizard(tracking_rule_id=self.serial_rule.id)
        wizard.action_generate()
        wizard.action_confirm()
        with self.assertRaises(UserError):
            self.template.write({"tracking_rule_id": False, "tracking": "none"})
        wizard = self._wizard(tracking_rule_id=False, tracking="none")
        self.assertEqual(wizard.conversion, "drop")
        self.assertEqual(self._line(wizard, self.stock).current_lots, "TCS-0001 (1), TCS-0002 (1), TCS-0003 (1)")
        wizard.action_confirm()
        self.assertEqual(self.product.tracking, "none")
        self.assertEqual(self._stock(), {(self.stock, False): 3, (self.shelf, False): 2})

    def test_capture_change_delivery_only_and_back(self):
        # plain -> serial at delivery only: the stock stays plain, nothing to give
        wizard = self._wizard(tracking_rule_id=self.delivery_rule.id)
        self.assertEqual(wizard.conversion, "none")
        moves = self.env["stock.move"].search_count([])
        wizard.action_confirm()
        self.assertEqual((self.product.tracking, self.product.tracking_capture), ("serial", "delivery_only"))
        self.assertEqual(self.env["stock.move"].search_count([]), moves)
        # delivery only -> every operation: numbers are asked like for a new tracking
        with self.assertRaises(UserError):
            self.delivery_rule.capture = "every_operation"
        wizard = self._wizard(tracking_rule_id=self.serial_rule.id)
        self.assertEqual(wizard.conversion, "numbers")
        wizard.action_generate()
        wizard.action_confirm()
        self.assertEqual(len(self._stock()), 5)
        # every operation -> delivery only drops the numbers
        wizard = self._wizard(tracking_rule_id=self.delivery_rule.id)
        self.assertEqual(wizard.conversion, "drop")
        wizard.action_confirm()
        self.assertEqual(self.product.tracking_capture, "delivery_only")
        self.assertEqual(self._stock(), {(self.stock, False): 3, (self.shelf, False): 2})

    def test_reserved_stock_is_refused(self):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.env.ref("stock.picking_type_out").id,
                "location_id": self.stock.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "TC out",
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "location_id": self.stock.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.state, "assigned")
        before = self._counts()
        wizard = self._wizard(tracking_rule_id=self.serial_rule.id)
        wizard.action_generate()
        with self.assertRaises(UserError) as cm:
            wizard.action_confirm()
        self.assertIn(f"stock is reserved by {picking.name}", str(cm.exception))
        self.assertEqual(self._counts(), before)
        picking.do_unreserve()
        wizard.action_confirm()
        self.assertEqual(self.product.tracking, "serial")

    def test_reserved_stock_shown_at_open_unreserve_and_reserve_again(self):
        """The reservation is shown when the wizard opens (not only at Confirm), Unreserve frees it,
        and Change Tracking reserves the transfer again afterwards, with the new serials."""
        customers = self.env.ref("stock.stock_location_customers")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.env.ref("stock.picking_type_out").id,
                "location_id": self.stock.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "TC out",
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "location_id": self.stock.id,
                            "location_dest_id": customers.id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.state, "assigned")
        wizard = self._wizard(tracking_rule_id=self.serial_rule.id)
        self.assertIn(picking.name, wizard.reserved_info)
        self.assertIn("2 Units", wizard.reserved_info)
        # at Confirm, the reservation and the numbers' problems come in one error
        self._line(wizard, self.stock).lot_text = "X\nX"
        with self.assertRaises(UserError) as cm:
            wizard.action_confirm()
        self.assertIn(f"stock is reserved by {picking.name}", str(cm.exception))
        self.assertIn("duplicate names X", str(cm.exception))
        self._line(wizard, self.stock).lot_text = False
        action = wizard.action_unreserve()
        self.assertEqual(action["res_id"], wizard.id)
        self.assertEqual(picking.state, "confirmed")
        self.assertFalse(wizard.reserved_info)
        self.assertEqual(wizard.unreserved_move_ids, picking.move_ids)
        wizard.action_generate()
        wizard.action_confirm()
        self.assertEqual(self.product.tracking, "serial")
        self.assertEqual(picking.state, "assigned", "reserved again after the change")
        self.assertEqual(len(picking.move_line_ids), 2)
        self.assertTrue(all(ml.lot_id.name.startswith("TCS-") for ml in picking.move_line_ids))
        # no conversion (the stock stays as it is): nothing to report
        self.assertFalse(self._wizard(tracking_rule_id=self.serial_rule.id).reserved_info)

    def test_problems_named_and_reported_together(self):
        """The line's summary says which problems (not "1 problem(s)"), and a wrong count is reported
        with the duplicates, in one error with the reservation."""
        wizard = self._wizard(tracking_rule_id=self.serial_rule.id)
        line = self._line(wizard, self.stock)
        line.lot_text = "S1\nS1"
        self.assertIn("2 problem(s): duplicate names S1", line.lot_summary)
        self.assertIn("2 serial number(s) given for a quantity of 3", line.lot_summary)
        self.assertTrue(line.lot_problem)
        line.lot_text = "S1\nS2;2\nS3"
        self.assertIn("a serial number covers one unit", line.lot_summary)
        line.lot_text = "S1\nS2\nS3\nS4;2"
        self.assertIn("4 serial number(s) given for a quantity of 3", line.lot_summary)
        line.lot_text = "S1\nS2\nS3"
        self.assertEqual(line.lot_summary, "3 name(s), 3 Units")
        self.assertFalse(line.lot_problem)
        line.lot_text = "S1\nS1"
        self._line(wizard, self.shelf).lot_text = "S4\nS5"
        with self.assertRaises(UserError) as cm:
            wizard.action_confirm()
        message = str(cm.exception)
        self.assertIn("duplicate names S1", message)
        self.assertIn("2 serial number(s) given for a quantity of 3", message)

    def test_category_rule_change_after_converting_products(self):
        categ = self.env["product.category"].create({"name": "TC categ"})
        self.template.categ_id = categ
        with self.assertRaises(UserError) as cm:
            categ.tracking_rule_id = self.serial_rule
        self.assertIn("convert these products first (give each the new rule there)", str(cm.exception))
        self.assertIn("TC Widget", str(cm.exception))
        wizard = self._wizard(tracking_rule_id=self.serial_rule.id)
        wizard.action_generate()
        wizard.action_confirm()
        categ.tracking_rule_id = self.serial_rule  # same tracking for the product now: allowed
        self.template.tracking_rule_id = False  # follows the category, same rule: allowed
        self.assertEqual(self.template.effective_tracking_rule_id, self.serial_rule)

    def test_stock_user_xmlrpc_style(self):
        """A plain Inventory user drives the wizard like an XML-RPC client: create with lines,
        call action_confirm, get a marshallable answer."""
        user = new_test_user(
            self.env, login="tc_stock_user", groups="stock.group_stock_user,stock.group_production_lot"
        )
        env = self.env(user=user)
        wizard = env["stock.tracking.change"].create(
            {
                "product_tmpl_id": self.template.id,
                "tracking_rule_id": self.lot_rule.id,
                "line_ids": [
                    (0, 0, {"product_id": self.product.id, "location_id": self.stock.id, "lot_text": "X-1"}),
                    (0, 0, {"product_id": self.product.id, "location_id": self.shelf.id, "lot_text": "X-2;2"}),
                ],
            }
        )
        res = env["stock.tracking.change"].browse(wizard.ids).action_confirm()
        xmlrpc.client.dumps((res,), allow_none=False)
        self.assertEqual(self._stock(), {(self.stock, "X-1"): 3, (self.shelf, "X-2"): 2})
        moves = self.env["stock.move"].search([("product_id", "=", self.product.id), ("is_inventory", "=", True)])
        self.assertIn(user, moves.mapped("create_uid"))
        # a missing line is reported, not guessed
        wizard = env["stock.tracking.change"].create(
            {
                "product_tmpl_id": self.template.id,
                "tracking_rule_id": self.serial_rule.id,
                "line_ids": [(0, 0, {"product_id": self.product.id, "location_id": self.stock.id, "lot_text": "Z"})],
            }
        )
        with self.assertRaises(UserError) as cm:
            wizard.action_confirm()
        self.assertIn("TC Shelf: 2 on hand but no line for it", str(cm.exception))

    def test_stock_of_unselected_company_is_refused(self):
        company_b = self.env["res.company"].create({"name": "TC company B"})
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)], limit=1)
        self.Quant.with_company(company_b)._update_available_quantity(self.product, warehouse_b.lot_stock_id, 1)
        company_a = self.env.company
        user = new_test_user(
            self.env,
            login="tc_two_companies",
            groups="stock.group_stock_user,stock.group_production_lot",
            company_id=company_a.id,
            company_ids=[(6, 0, (company_a | company_b).ids)],
        )
        env_a = self.env(user=user, context=dict(self.env.context, allowed_company_ids=company_a.ids))
        wizard = env_a["stock.tracking.change"].create(
            {"product_tmpl_id": self.template.id, "tracking_rule_id": self.serial_rule.id}
        )
        wizard.action_generate()
        self.assertEqual(len(wizard.line_ids), 2, "only the selected company's stock is shown")
        with self.assertRaises(UserError) as cm:
            wizard.action_confirm()
        self.assertIn("there is stock in companies not selected (TC company B)", str(cm.exception))
        self.assertEqual(self.product.tracking, "none")
        # with both companies selected, all the stock is converted
        env = self.env(user=user, context=dict(self.env.context, allowed_company_ids=(company_a | company_b).ids))
        wizard = env["stock.tracking.change"].create(
            {"product_tmpl_id": self.template.id, "tracking_rule_id": self.serial_rule.id}
        )
        self.assertEqual(len(wizard.line_ids), 3)
        wizard.action_generate()
        wizard.action_confirm()
        lots = self.Quant.search([("product_id", "=", self.product.id), ("quantity", ">", 0)]).lot_id
        self.assertEqual(len(lots), 6)

    def test_large_quantity_messages(self):
        """Quantities in messages are written out (1500000, not 1.5e+06)."""
        big = self.env["product.product"].create({"name": "TC Screws", "is_storable": True})
        self.Quant._update_available_quantity(big, self.stock, 1500000)
        with self.assertRaises(UserError) as cm:
            big.product_tmpl_id.tracking_rule_id = self.lot_rule
        self.assertIn("1500000 Units in WH/Stock", str(cm.exception))
        wizard = self.env["stock.tracking.change"].create(
            {"product_tmpl_id": big.product_tmpl_id.id, "tracking_rule_id": self.lot_rule.id}
        )
        wizard.line_ids.lot_text = "BIG-1;1000000"
        with self.assertRaises(UserError) as cm:
            wizard.action_confirm()
        self.assertIn("the lots add up to 1000000 but the quantity there is 1500000", str(cm.exception))
        wizard.line_ids.lot_text = "BIG-1;1000000\nBIG-2"
        wizard.action_confirm()
        self.assertEqual(
            sorted(self.Quant.search([("product_id", "=", big.id), ("quantity", ">", 0)]).mapped("quantity")),
            [500000, 1000000],
        )

    def test_button_on_product_form_for_stock_users_with_lots(self):
        lots = self.env.ref("stock.group_production_lot")
        self.env.ref("base.group_user").write({"implied_ids": [(3, lots.id)]})  # demo gives lots to everybody
        action = self.env.ref("lot_serial_tracking.stock_tracking_change_action")
        with_lots = new_test_user(
            self.env, login="tc_btn_lots", groups="stock.group_stock_user,stock.group_production_lot"
        )
        no_lots = new_test_user(self.env, login="tc_btn_nolots", groups="stock.group_stock_user")
        no_lots.write({"groups_id": [(3, lots.id)]})
        no_stock = new_test_user(self.env, login="tc_btn_nostock", groups="base.group_user,stock.group_production_lot")
        for user, shown in ((with_lots, True), (no_lots, False), (no_stock, False)):
            with self.subTest(user=user.login):
                arch = self.env(user=user)["product.template"].get_view(view_type="form")["arch"]
                # the button is a widget (it opens the wizard even while a refused change is pending)
                self.assertTrue(action.exists())
                self.assertEqual('name="lst_change_tracking_button"' in arch, shown)
