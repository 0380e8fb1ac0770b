# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one place for what every capability says the same way: the selections of tracking and capture,
what a lot/serial name may hold, how quantities and lists read in messages."""

# stock.lot.name has no size in Odoo; names longer than this do not print on a label and are refused
# everywhere a name is typed, pasted, scanned, imported or generated
MAX_LOT_NAME = 128
# items (names, lines, problems) listed in one message, at most: 100,000 bad names keep it readable
MAX_LISTED = 20

# Odoo's product.template.tracking selection, in its order
TRACKING_SELECTION = [
    ("serial", "By Unique Serial Number"),
    ("lot", "By Lots"),
    ("none", "By Quantity"),
]
# what a tracking rule may ask for (a rule always tracks)
RULE_TRACKING_SELECTION = [("lot", "By Lots"), ("serial", "By Unique Serial Number")]
CAPTURE_SELECTION = [
    ("every_operation", "At Every Operation"),
    ("delivery_only", "At Delivery Only"),
]


def bad_name_chars(name):
    """The characters of `name` that do not print on a label: control and format characters (tabs, line
    breaks, NUL, zero-width spaces...), line/paragraph separators, spaces other than the plain space,
    private-use, surrogate and unassigned code points (everything str.isprintable() refuses)."""
    return [char for char in name if not char.isprintable()]


def is_printable_name(text):
    """Printable on a label: no character of bad_name_chars()."""
    return text.isprintable()


def format_qty(qty, digits=6):
    """A quantity for messages and for text the user types back: 3.0 -> "3", 2.5 -> "2.5",
    1500000 -> "1500000" (never "1.5e+06" like %g), at most `digits` decimals."""
    text = "%.*f" % (digits, qty)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def listed(items, limit=MAX_LISTED):
    """'A, B, C' for messages: the first `limit` items, then ', ...'."""
    items = list(items)
    return ", ".join(str(item) for item in items[:limit]) + (", ..." if len(items) > limit else "")
