# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Property-based tests (hypothesis) on every text a user or an integrator can send.

Whatever comes in (random unicode, control characters, separators, huge names, 100,000 lines), the outcome is
a success or a UserError/ValidationError, and after an error the database is what it was: the counts of MOs,
lots, move lines, quants, rules and sequences are compared before and after."""

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

HOSTILE_TEXT = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(["", " ", "\t", "\n", "\x00", "%", "%(", "%(year)s", "%(nope)s", "%d", "a\r\nb", "∑≠", "😀"]),
)
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
EXPECTED = (UserError, ValidationError)


class HostileCase(TransactionCase):
    COUNTED = (
        "mrp.production",
        "stock.lot",
        "stock.move",
        "stock.move.line",
        "stock.quant",
        "stock.tracking.rule",
        "ir.sequence",
    )

    def _counts(self):
        self.env.flush_all()
        counts = {}
        for model in self.COUNTED:
            if model in self.env:
                self.env.cr.execute(
                    SQL("SELECT count(*), coalesce(max(id), 0) FROM %s", SQL.identifier(self.env[model]._table))
                )
                counts[model] = self.env.cr.fetchone()
        return counts

    def assert_success_or_clean_error(self, func):
        """Run func in a savepoint: it either succeeds, or raises an expected error and changes nothing."""
        before = self._counts()
        try:
            with self.env.cr.savepoint():
                result = func()
        except EXPECTED as exc:
            self.assertTrue(str(exc).strip(), "an error says what to fix")
            self.env.invalidate_all()
            self.assertEqual(self._counts(), before, "the database is unchanged after an error")
            return None
        return result


@tagged("post_install", "-at_install")
class TestHostileRuleNumbering(HostileCase):
    @given(
        name=HOSTILE_TEXT,
        prefix=HOSTILE_TEXT,
        padding=st.integers(min_value=-5, max_value=40),
        number_next=st.integers(min_value=-10, max_value=10**12),
    )
    @example(name="x" * 10000, prefix="p" * 100000, padding=12, number_next=1)
    @example(name="ok", prefix="A\x00B", padding=3, number_next=5)
    @example(name="ok", prefix="%(nope)s", padding=3, number_next=5)
    @example(name="", prefix="", padding=0, number_next=0)  # found by hypothesis: SQL CHECK -> raw psycopg2 error
    @example(name="", prefix="\ud7fc", padding=1, number_next=0)  # found: unassigned code point in names
    @example(name="", prefix="", padding=1, number_next=2**31)  # found: integer out of range
    @SETTINGS
    def test_rule_numbering_fields(self, name, prefix, padding, number_next):
        def create():
            rule = self.env["stock.tracking.rule"].create(
                {"name": name, "tracking": "serial", "lot_prefix": prefix, "lot_padding": padding}
            )
            rule.lot_number_next = number_next
            rule.flush_recordset()
            return rule

        rule = self.assert_success_or_clean_error(create)
        if rule:
            product = self.env["product.product"].create(
                {"name": "h", "is_storable": True, "tracking_rule_id": rule.id}
            )
            (proposed,) = product._lst_next_lot_names(1)
            self.assertTrue(proposed.isprintable(), "a proposed name is printable")
            self.assertTrue(proposed.endswith(str(max(number_next, 1)).zfill(padding)[-padding:]))
