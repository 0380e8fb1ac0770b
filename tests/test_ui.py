# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_tour_create_rule(self):
        self.start_tour("/odoo", "lot_serial_tracking_rule_create", login="admin")
        rule = self.env["stock.tracking.rule"].search([("name", "=", "Tour serial rule")])
        self.assertEqual(rule.lot_name_preview, "TOUR-001")

    def test_tour_product_tracking_rule_row(self):
        """The Tracking Rule row of the product form is readable (placeholder whole, no wrapped mode)."""
        self.env.ref("base.user_admin").groups_id |= self.env.ref("stock.group_production_lot")
        rule = self.env["stock.tracking.rule"].create({"name": "Row category rule", "tracking": "serial"})
        category = self.env["product.category"].create({"name": "Row Category", "tracking_rule_id": rule.id})
        template = self.env["product.template"].create(
            {"name": "Row Chair", "is_storable": True, "categ_id": category.id}
        )
        self.assertEqual((template.effective_tracking_rule_id, template.tracking), (rule, "serial"))
        self.start_tour(
            f"/odoo/action-stock.product_template_action_product/{template.id}",
            "lot_serial_tracking_product_rule_row",
            login="admin",
        )

    def test_tour_change_tracking(self):
        """Create a rule, set it on a category, convert a product with stock in two locations."""
        stock = self.env.ref("stock.stock_location_stock")
        shelf = self.env["stock.location"].create({"name": "Tour Shelf", "location_id": stock.id})
        self.env["product.category"].create({"name": "Tour Category"})
        bolt = self.env["product.product"].create({"name": "Tour Bolt", "is_storable": True})
        self.env["stock.quant"]._update_available_quantity(bolt, stock, 10)
        self.env["stock.quant"]._update_available_quantity(bolt, shelf, 4)
        self.start_tour("/odoo", "lot_serial_tracking_change_tour", login="admin")
        rule = self.env["stock.tracking.rule"].search([("name", "=", "Tour lot rule")])
        self.assertEqual(rule.tracking, "lot")
        self.assertEqual(self.env["product.category"].search([("name", "=", "Tour Category")]).tracking_rule_id, rule)
        self.assertEqual(bolt.tracking, "lot")
        self.assertEqual(bolt.tracking_rule_id, rule)
        quants = self.env["stock.quant"].search([("product_id", "=", bolt.id), ("quantity", ">", 0)])
        self.assertEqual(
            sorted((q.location_id.name, q.lot_id.name, q.quantity) for q in quants),
            [("Stock", "TLR-001", 10.0), ("Tour Shelf", "TLR-002", 4.0)],
        )

    def test_tour_receipt_generate_from_rule(self):
        rule = self.env["stock.tracking.rule"].create(
            {"name": "Receipt rule", "tracking": "serial", "lot_prefix": "RCV-", "lot_padding": 3}
        )
        product = self.env["product.product"].create(
            {"name": "Tour Receipt Serial", "is_storable": True, "tracking_rule_id": rule.id}
        )
        self.env["stock.lot"].create({"name": "RCV-002", "product_id": product.id})
        rule.lot_number_next = 1
        receipt_type = self.env.ref("stock.picking_type_in")
        supplier = self.env.ref("stock.stock_location_suppliers")
        stock = self.env.ref("stock.stock_location_stock")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": receipt_type.id,
                "location_id": supplier.id,
                "location_dest_id": stock.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": 3,
                            "location_id": supplier.id,
                            "location_dest_id": stock.id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_incoming/{picking.id}",
            "lot_serial_tracking_receipt_generate_tour",
            login="admin",
        )
        self.assertEqual(sorted(picking.move_line_ids.mapped("lot_name")), ["RCV-001", "RCV-003", "RCV-004"])

    def test_tour_change_tracking_from_refused_form(self):
        """Product form: the tracking change refused on Save opens Change Tracking pre-filled; the
        wizard shows the delivery's reservation at once, unreserves it and reserves it again."""
        self.env.ref("base.user_admin").groups_id |= self.env.ref("stock.group_production_lot")
        stock = self.env.ref("stock.stock_location_stock")
        customers = self.env.ref("stock.stock_location_customers")
        chair = self.env["product.product"].create({"name": "Pending Chair", "is_storable": True})
        self.env["stock.quant"]._update_available_quantity(chair, stock, 3)
        delivery = self.env["stock.picking"].create(
            {
                "origin": "LST-PENDING-OUT",
                "picking_type_id": self.env.ref("stock.picking_type_out").id,
                "location_id": stock.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": chair.name,
                            "product_id": chair.id,
                            "product_uom_qty": 2,
                            "location_id": stock.id,
                            "location_dest_id": customers.id,
                        },
                    )
                ],
            }
        )
        delivery.action_confirm()
        delivery.action_assign()
        self.assertEqual(delivery.state, "assigned")
        # the wizard names the transfer by its reference; the tour looks for the origin too
        delivery.name = "LST-PENDING-OUT"
        self.start_tour(
            f"/odoo/action-stock.product_template_action_product/{chair.product_tmpl_id.id}",
            "lst_tracking_change_pending_tour",
            login="admin",
            timeout=180,
        )
        self.assertEqual(chair.tracking, "serial")
        quants = self.env["stock.quant"].search([("product_id", "=", chair.id), ("location_id", "=", stock.id)])
        self.assertEqual(len(quants.filtered(lambda q: q.lot_id and q.quantity == 1)), 3)
        self.assertEqual(delivery.state, "assigned", "reserved again after the change")
        self.assertEqual(len(delivery.move_line_ids.lot_id), 2)
