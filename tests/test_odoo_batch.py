# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo's own mrp tests of Batch Production and serial generation, re-run with this module loaded.

Odoo runs mrp's tests while installing mrp, before this module exists in the registry; subclassing them
here runs the same test methods against the module's overrides (pytest-odoo and Odoo's loader both pick
up these subclasses as tests of this module)."""

from odoo.tests import tagged

# modules, not classes: a test class imported by name would be collected and run a second time here
from odoo.addons.mrp.tests import common, test_smp, test_traceability


@tagged("post_install", "-at_install")
class TestOdooSerialMassProduce(test_smp.TestMrpSerialMassProduce):
    """All of Odoo's Batch Production (mass produce) tests, among them test_smp_produce_all_but_one:
    fewer serials than the MO quantity leave the rest in a backorder MO."""


@tagged("post_install", "-at_install")
class TestOdooGenerateSerial(common.TestMrpCommon):
    """Odoo's "+" (generate serial) with its serial sequence archived and no earlier serial: refused, as in
    Odoo, then the next serial after a manual one, then the sequence again."""

    test_generate_serial_button_sequence = test_traceability.TestTraceability.test_generate_serial_button_sequence
