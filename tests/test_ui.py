# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_tour_create_rule(self):
        self.start_tour("/odoo", "lot_serial_tracking_rule_create", login="admin")
        rule = self.env["stock.tracking.rule"].search([("name", "=", "Tour serial rule")])
        self.assertEqual(rule.lot_name_preview, "TOUR-001")
