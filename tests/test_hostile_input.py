# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Property-based tests (hypothesis) on every text a user or an integrator can send.

Whatever comes in (random unicode, control characters, separators, huge names, 100,000 lines), the outcome is
a success or a UserError/ValidationError, and after an error the database is what it was: the counts of MOs,
lots, move lines, quants, rules and sequences are compared before and after."""

import os

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
    max_examples=int(os.environ.get("LST_HYPOTHESIS_EXAMPLES", "40")),
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

    def assert_success_or_clean_error(self, func, check=None):
        """Run func in a savepoint: it either succeeds (then `check(result)` runs on its outcome), or raises
        an expected error and changes nothing. Either way the savepoint is rolled back, so every example
        starts from the same data (a success would otherwise leave e.g. a done delivery to later examples).
        Returns True on success."""
        before = self._counts()
        try:
            with self.env.cr.savepoint():
                result = func()
                if check:
                    check(result)
                raise _Undo()
        except _Undo:
            self.env.invalidate_all()
            return True
        except EXPECTED as exc:
            self.assertTrue(str(exc).strip(), "an error says what to fix")
            self.env.invalidate_all()
            self.assertEqual(self._counts(), before, "the database is unchanged after an error")
            return False


class _Undo(Exception):
    """Rolls a successful example back."""


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
    @example(name="ok", prefix="%s", padding=3, number_next=1)  # found by a probe: names became a dict dump
    @example(name="ok", prefix="%(year)10000000s", padding=3, number_next=1)  # found: 10 MB proposals
    @example(name="ok", prefix="%(year)-3s%(month)s", padding=3, number_next=1)
    @SETTINGS
    def test_rule_numbering_fields(self, name, prefix, padding, number_next):
        def create():
            rule = self.env["stock.tracking.rule"].create(
                {"name": name, "tracking": "serial", "lot_prefix": prefix, "lot_padding": padding}
            )
            rule.lot_number_next = number_next
            rule.flush_recordset()
            return rule

        def check(rule):
            product = self.env["product.product"].create(
                {"name": "h", "is_storable": True, "tracking_rule_id": rule.id}
            )
            (proposed,) = product._lst_next_lot_names(1)
            self.assertTrue(proposed.isprintable(), "a proposed name is printable")
            self.assertLessEqual(len(proposed), 128, "a proposed name fits a lot name")
            self.assertNotIn("{", proposed, "no dictionary dump")
            self.assertTrue(proposed.endswith(str(max(number_next, 1)).zfill(padding)[-padding:]))

        self.assert_success_or_clean_error(create, check)


NAME_LISTS = st.one_of(
    st.lists(HOSTILE_TEXT, max_size=12),
    st.lists(st.sampled_from(["SN-1", "SN-2", " SN-3 ", "SN-1", "", "a|b", "a;b", "a,b", "\x00"]), max_size=8),
)


def _set_stock(env, product, location, qty):
    env["stock.quant"]._update_available_quantity(product, location, qty)


@tagged("post_install", "-at_install")
class TestHostileProductionAndDelivery(HostileCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.env.ref("stock.stock_location_stock")
        comps = cls.env["product.product"].create([{"name": f"H part {i}", "is_storable": True} for i in (1, 2)])
        for comp in comps:
            _set_stock(cls.env, comp, cls.stock, 1000)
        cls.finished = cls.env["product.product"].create({"name": "H chair", "is_storable": True, "tracking": "serial"})
        cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.finished.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [(0, 0, {"product_id": c.id, "product_qty": 1}) for c in comps],
            }
        )
        cls.mo = cls.env["mrp.production"].create({"product_id": cls.finished.id, "product_qty": 3})
        cls.mo.action_confirm()
        rule = cls.env["stock.tracking.rule"].create(
            {"name": "H delivery only", "tracking": "serial", "capture": "delivery_only"}
        )
        cls.lamp = cls.env["product.product"].create(
            {"name": "H lamp", "is_storable": True, "tracking_rule_id": rule.id}
        )
        _set_stock(cls.env, cls.lamp, cls.stock, 50)
        cls.delivery = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.env.ref("stock.picking_type_out").id,
                "location_id": cls.stock.id,
                "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    (0, 0, {"name": "lamp", "product_id": cls.lamp.id, "product_uom_qty": 3,
                            "location_id": cls.stock.id,
                            "location_dest_id": cls.env.ref("stock.stock_location_customers").id}),
                ],
            }
        )  # fmt: skip
        cls.delivery.action_confirm()
        cls.delivery.action_assign()

    @given(text=st.one_of(HOSTILE_TEXT, st.lists(HOSTILE_TEXT, max_size=6).map("\n".join)))
    @example(text="\n".join(f"H-{i}" for i in range(100000)))
    @example(text="H-1\nH-1\nH-2")
    @example(text="x" * 100000 + "\nH-2\nH-3")
    @SETTINGS
    def test_batch_production_text(self, text):
        def produce():
            wizard = self.env["mrp.batch.produce"].create({"production_id": self.mo.id, "production_text": text})
            return wizard.action_done()

        self.assert_success_or_clean_error(produce)

    @given(first=HOSTILE_TEXT, count=st.integers(min_value=-3, max_value=50))
    @example(first="\x00", count=0)  # found by hypothesis: NUL reached PostgreSQL
    @SETTINGS
    def test_batch_production_generate(self, first, count):
        def generate():
            wizard = self.env["mrp.batch.produce"].create(
                {"production_id": self.mo.id, "lot_name": first, "lot_qty": count}
            )
            return wizard.action_generate_production_text()

        self.assert_success_or_clean_error(generate)

    @given(names=NAME_LISTS)
    @example(names=[f"B-{i}" for i in range(100000)])
    @example(names=["\x00"])  # found by hypothesis: NUL reached PostgreSQL
    @SETTINGS
    def test_batch_produce_method(self, names):
        self.assert_success_or_clean_error(lambda: self.mo.batch_produce(names, mark_done=True))

    @given(names=NAME_LISTS)
    @example(names=[f"L-{i}" for i in range(100000)])
    @example(names=["L-1", "L-1"])
    @SETTINGS
    def test_set_lot_names(self, names):
        def set_and_validate():
            self.delivery.move_ids.set_lot_names(names)
            return self.delivery.button_validate()

        self.assert_success_or_clean_error(set_and_validate)


@tagged("post_install", "-at_install")
class TestHostileLotReceipt(HostileCase):
    """set_lot_names on a standard receipt of 10 units of a lot-tracked product."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        stock = cls.env.ref("stock.stock_location_stock")
        supplier = cls.env.ref("stock.stock_location_suppliers")
        cls.paint = cls.env["product.product"].create({"name": "H paint", "is_storable": True, "tracking": "lot"})
        cls.receipt = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.env.ref("stock.picking_type_in").id,
                "location_id": supplier.id,
                "location_dest_id": stock.id,
                "move_ids": [
                    (0, 0, {"name": "paint", "product_id": cls.paint.id, "product_uom_qty": 10,
                            "location_id": supplier.id, "location_dest_id": stock.id}),
                ],
            }
        )  # fmt: skip
        cls.receipt.action_confirm()

    @given(names=NAME_LISTS)
    @example(names=[f"R-{i}" for i in range(100000)])  # found by a probe: 100,000 lots for 10 units (81 s)
    @example(names=[f"R-{i}" for i in range(11)])
    @example(names=["R-1", "x" * 129])
    @example(names=["y" * 100000])
    @SETTINGS
    def test_set_lot_names_lots(self, names):
        def set_and_validate():
            self.receipt.move_ids.set_lot_names(names)
            return self.receipt.button_validate()

        def check(_result):
            lots = self.receipt.move_ids.move_line_ids.lot_id
            self.assertLessEqual(len(lots), 10, "never more lots than units")
            self.assertTrue(all(len(name) <= 128 for name in lots.mapped("name")))

        self.assert_success_or_clean_error(set_and_validate, check)


@tagged("post_install", "-at_install")
class TestHostilePastedLists(HostileCase):
    """Pasted serial lists: the Change Tracking wizard's text per location, and Import Serials on the delivery
    of a delivery-only product (the Detailed Operations dialog calls stock.move.action_generate_lot_line_vals)."""

    COUNTED = (*HostileCase.COUNTED, "stock.tracking.change")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.env.ref("stock.stock_location_stock")
        cls.plain = cls.env["product.product"].create({"name": "H plain", "is_storable": True})
        cls.env["stock.quant"]._update_available_quantity(cls.plain, cls.stock, 3)
        cls.serial_rule = cls.env["stock.tracking.rule"].create({"name": "H serials", "tracking": "serial"})
        cls.lot_rule = cls.env["stock.tracking.rule"].create({"name": "H lots", "tracking": "lot"})
        cls.lamp = cls.env.ref("lot_serial_tracking.product_desk_lamp_demo")
        cls.delivery = cls.env.ref("lot_serial_tracking.delivery_desk_lamp_demo")

    @given(text=st.one_of(HOSTILE_TEXT, st.lists(HOSTILE_TEXT, max_size=6).map("\n".join)))
    @example(text="S-1\nS-2\nS-3")
    @example(text="S-1\nS-1\nS-2")
    @example(text="\n".join(f"S-{i}" for i in range(100000)))
    @example(text="S-1;2\nS-2\tx\n\x00")
    @example(text="S-1;nan\nS-2\nS-3")  # found by a probe: programming errors for non-finite quantities
    @example(text="S-1;inf\nS-2\nS-3")
    @example(text="S-1;1e309\nS-2\nS-3")
    @example(text="S-1;-inf\nS-2;NaN\nS-3")
    @example(text="\n".join(["S-1", "S-2", "x" * 129]))
    @SETTINGS
    def test_change_tracking_text(self, text):
        def convert():
            wizard = self.env["stock.tracking.change"].create(
                {"product_tmpl_id": self.plain.product_tmpl_id.id, "tracking_rule_id": self.serial_rule.id}
            )
            wizard.line_ids.lot_text = text
            return wizard.action_confirm()

        def check(_result):
            quants = self.env["stock.quant"].search(
                [("product_id", "=", self.plain.id), ("location_id", "=", self.stock.id)]
            )
            self.assertEqual(sum(quants.mapped("quantity")), 3, "quantities are kept")
            self.assertEqual(len(quants.lot_id), 3, "one serial per unit")

        self.assert_success_or_clean_error(convert, check)

    @given(
        text=st.one_of(
            HOSTILE_TEXT,
            st.lists(
                st.one_of(HOSTILE_TEXT, st.sampled_from(["L;nan", "L;inf", "L;1e309", "L;-1", "L;0.5", "L;2,5"])),
                max_size=6,
            ).map("\n".join),
        )
    )
    @example(text="L-1;nan\nL-2")
    @example(text="L-1;1e309")
    @example(text="L-1;2\nL-2;1e400\nL-3")
    @SETTINGS
    def test_change_tracking_lot_text(self, text):
        """Lot text (NAME;QUANTITY) for 3 units of a plain product going to lots."""

        def convert():
            wizard = self.env["stock.tracking.change"].create(
                {"product_tmpl_id": self.plain.product_tmpl_id.id, "tracking_rule_id": self.lot_rule.id}
            )
            wizard.line_ids.lot_text = text
            wizard.line_ids.mapped("lot_summary")  # the live summary of the same text
            return wizard.action_confirm()

        def check(_result):
            quants = self.env["stock.quant"].search(
                [("product_id", "=", self.plain.id), ("location_id", "=", self.stock.id)]
            )
            self.assertEqual(sum(quants.mapped("quantity")), 3, "quantities are kept")

        self.assert_success_or_clean_error(convert, check)

    @given(text=st.one_of(HOSTILE_TEXT, st.lists(HOSTILE_TEXT, max_size=6).map("\n".join)))
    # a list longer than the delivery's demand (3) is refused before any move line is made: 100,000 pasted
    # lines used to become 100,000 move lines (about 30 queries each through validation, half an hour)
    @example(text="\n".join(f"I-{i}" for i in range(100000)))
    @example(text="\n".join(f"I-{i}" for i in range(4)))
    @example(text="I-1\nI-2\nI-3")
    @example(text="I-1\nI-1")
    @example(text="\x00")  # found by hypothesis: Odoo's import searched lots with a NUL (raw database error)
    @example(text=";:/0")  # found by hypothesis: product_expiry's date-format guess called int(":") (ValueError)
    @example(text="I-1;20/:")  # the second date part read as a number when the first is a day (13-31)
    @SETTINGS
    def test_import_serials_on_delivery(self, text):
        move = self.delivery.move_ids

        def import_and_validate():
            ctx = {  # what the Import Serials dialog sends: the picking form's move context, the move's data
                "default_company_id": move.company_id.id,
                "default_picking_id": self.delivery.id,
                "default_picking_type_id": self.delivery.picking_type_id.id,
                "picking_type_code": "outgoing",
                "default_product_id": self.lamp.id,
                "default_location_id": move.location_id.id,
                "default_location_dest_id": move.location_dest_id.id,
                "default_tracking": self.lamp.tracking,
                "default_quantity": move.product_qty,
            }
            vals = move.action_generate_lot_line_vals(ctx, "import", False, 0, text)
            keep = ("lot_name", "lot_id", "quantity", "product_id", "product_uom_id", "location_id", "location_dest_id",
                    "move_id", "picking_id", "company_id")  # fmt: skip
            move.move_line_ids.unlink()
            lines = [  # many2one values come in the web client's {"id", "display_name"} form
                {k: (v["id"] if isinstance(v, dict) else v) for k, v in val.items() if k in keep} for val in vals
            ]
            move.write({"move_line_ids": [(0, 0, line) for line in lines]})
            return self.delivery.with_context(skip_sms=True).button_validate()

        def check(result):
            if result is True:  # fewer serials than units return the backorder wizard instead
                self.assertEqual(self.delivery.state, "done")
                self.assertEqual(len(move.move_line_ids.lot_id), 3, "three serials, one per unit delivered")
            negative = self.env["stock.quant"].search(
                [("product_id", "=", self.lamp.id), ("quantity", "<", 0), ("location_id.usage", "=", "internal")]
            )
            self.assertFalse(negative, "no negative stock")

        self.assert_success_or_clean_error(import_and_validate, check)
