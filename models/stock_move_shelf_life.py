# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _generate_serial_move_line_commands(self, field_data, location_dest_id=False, origin_move_line=None):
        """Generate/Import Serials: product_expiry dates every new line today + Expiration Date days. Under a rule
        requiring dates without a delay (0 days) that is today, an expired lot: only a date given (e.g. pasted
        beside the serial) is kept, so a missing one is refused at validation. Odoo makes one command per entry
        of `field_data`, in order (stock.move._generate_serial_move_line_commands)."""
        given = [bool(vals.get("expiration_date")) for vals in field_data]
        commands = super()._generate_serial_move_line_commands(field_data, location_dest_id, origin_move_line)
        if self.product_id.product_tmpl_id._lst_expiry_date_by_hand() and len(commands) == len(given):
            for command, has_date in zip(commands, given, strict=True):
                if not has_date and isinstance(command[2], dict):
                    command[2].pop("expiration_date", None)
        return commands
