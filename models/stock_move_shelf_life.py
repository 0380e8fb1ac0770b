# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import models

# how product_expiry cuts the text after a pasted lot name into date parts (product_expiry/models/stock_move.py line 45)
DATE_PARTS = re.compile(r"[^-/ ]+")
LETTER = re.compile("[a-zA-Z]")


def _is_int(text):
    try:
        int(text)
    except ValueError:
        return False
    return True


def formatting_readable(string):
    """Whether product_expiry's _get_formating_options can read `string` without an error: it calls int() on the
    first date part unless it has a letter, and on the second when the first is between 13 and 31 (lines 52-60)."""
    parts = DATE_PARTS.findall(string)
    if len(parts) < 2 or LETTER.search(parts[0]):
        return True
    if not _is_int(parts[0]):
        return False
    return not (12 < int(parts[0]) <= 31) or bool(LETTER.search(parts[1])) or _is_int(parts[1])


class StockMove(models.Model):
    _inherit = "stock.move"

    def _get_formating_options(self, strings):
        """Import Serials: product_expiry guesses the date format of the text pasted after each lot name, and raises
        a ValueError (a traceback in the dialog, in standard Odoo too) on a part it cannot turn into a number, e.g.
        `SN-1;:/0` (found by tests/test_hostile_input.py). Those texts are left out of the guess; their dates are
        then read (or not) by Odoo as any text it cannot parse."""
        return super()._get_formating_options([string for string in strings if formatting_readable(string)])

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
