# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Tracking rules take the expiry settings their products had by hand (see
    stock.tracking.rule._lst_adopt_products_shelf_life)."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["stock.tracking.rule"]._lst_adopt_products_shelf_life()
