# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
import os
import re
import subprocess
import uuid

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

MODULE = "lot_serial_tracking"


# Folders that sit inside the module's folder on a development machine but are not the module: the
# virtualenv and the state folder that make run/make test create there (git-ignored). Odoo's export walks
# them too and would take the terms of the packages installed there (passlib, isort...).
NOT_THE_MODULE = re.compile(r"/(\.venv|\.state|\.git)/")


def own_terms(po_text):
    """`po_text` without the entries found only in NOT_THE_MODULE folders (tools/gen_pot.py writes the .pot
    with the same filter)."""
    entries = po_text.split("\n\n")
    kept = []
    for entry in entries:
        refs = re.findall(r"^#: (\S+)", entry, flags=re.M)
        if refs and all(NOT_THE_MODULE.search(ref) for ref in refs):
            continue
        kept.append(entry)
    return "\n\n".join(kept)


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_module_installed_with_demo(self):
        module = self.env["ir.module.module"].search([("name", "=", MODULE)])
        self.assertEqual(module.state, "installed")
        chair = self.env.ref(f"{MODULE}.product_office_chair_demo")
        self.assertEqual(chair.tracking, "serial")
        self.assertEqual(chair.effective_tracking_rule_id, self.env.ref(f"{MODULE}.rule_serial_every_operation_demo"))
        self.assertEqual(len(chair.bom_ids.bom_line_ids), 2)
        lamp = self.env.ref(f"{MODULE}.product_desk_lamp_demo")
        self.assertEqual(lamp.tracking_capture, "delivery_only")
        self.assertEqual(lamp.qty_available, 25)
        self.assertTrue(self.env.ref("base.user_demo").has_group("stock.group_production_lot"))

    def test_apps_page_has_icon_and_description(self):
        """Apps shows the module with its icon and the description page generated from readme/."""
        module = self.env["ir.module.module"].search([("name", "=", MODULE)])
        self.assertEqual(module.icon, f"/{MODULE}/static/description/icon.png")
        self.assertIn("<h2>Changelog</h2>", module.description_html)
        self.assertIn("Change Tracking", module.description_html)
        check = subprocess.run(
            [
                "python3",
                os.path.join(os.path.dirname(os.path.dirname(__file__)), "tools", "gen_description.py"),
                "--check",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)

    def test_pot_is_up_to_date(self):
        """i18n/lot_serial_tracking.pot holds exactly the terms Odoo exports for the module (regenerate
        with odoo-bin --i18n-export=i18n/lot_serial_tracking.pot --modules=lot_serial_tracking)."""
        buffer = io.BytesIO()
        trans_export(False, [MODULE], buffer, "po", self.env.cr)

        def msgids(text):
            # a msgid and its continuation lines, joined
            return set(re.findall(r'^msgid ((?:".*"\n)+)', text, flags=re.M)) - {'""\n'}

        exported = msgids(own_terms(buffer.getvalue().decode()))
        pot = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n", f"{MODULE}.pot")
        with open(pot, encoding="utf-8") as f:
            in_file = msgids(f.read())
        self.assertGreater(len(exported), 200)
        self.assertEqual(sorted(exported - in_file), [], "terms missing from the .pot")
        self.assertEqual(sorted(in_file - exported), [], "terms in the .pot that no longer exist")

    def test_every_model_has_access_rules(self):
        """Every model (and wizard) this module defines has at least one ir.model.access line, and
        none grants anything to portal or public users."""
        models = (
            self.env["ir.model"]
            .search([])
            .filtered(
                lambda m: m.modules
                and MODULE in m.modules.split(", ")
                and not m.model.startswith(("product.", "stock.lot", "mrp.production", "stock.move", "stock.picking"))
            )
        )
        own = models.filtered(lambda m: self.env[m.model]._original_module == MODULE)
        self.assertIn("stock.tracking.rule", own.mapped("model"))
        outsiders = self.env.ref("base.group_portal") | self.env.ref("base.group_public")
        for model in own:
            if self.env[model.model]._abstract:
                continue
            with self.subTest(model=model.model):
                self.assertTrue(model.access_ids, f"{model.model} has no access rules")
                self.assertFalse(model.access_ids.filtered(lambda a: not a.group_id or a.group_id in outsiders))


def _odoo(*args, shell_input=None):
    """Run odoo-bin like an administrator would, on the same cluster as the tests."""
    base = [os.environ["LST_VPY"], os.path.join(os.environ["LST_ODOO_SRC"], "odoo-bin")]
    opts = ["-c", os.environ["LST_CONF"], "--no-http", "--log-level=warn", *args]
    if shell_input is not None:
        cmd = [*base, "shell", *opts]
    else:
        cmd = [*base, *opts, "--stop-after-init"]
    return subprocess.run(cmd, input=shell_input, capture_output=True, text=True, timeout=900, check=False)


UNINSTALL = """
m = env['ir.module.module'].search([('name', '=', 'lot_serial_tracking')])
m.button_immediate_uninstall()
env.cr.commit()
print('STATE', m.state)
"""
AFTER = """
print('FIELD', 'tracking_rule_id' in env['product.template']._fields)
env.cr.execute("SELECT to_regclass('stock_tracking_rule')")
print('TABLE', env.cr.fetchone()[0])
chair = env['product.product'].search([('default_code', '=', 'CHAIR')])
print('CHAIR', chair.tracking, len(env['stock.lot'].search([('product_id', 'in', chair.ids)])) >= 0)
print('MOVES', env['stock.move'].search_count([]) > 0)
"""


@tagged("post_install", "-at_install")
class TestLifecycle(TransactionCase):
    """Install, upgrade twice and uninstall on a database of its own, through odoo-bin."""

    def test_install_upgrade_uninstall(self):
        if not os.environ.get("LST_CONF"):
            self.skipTest("needs the make test environment (LST_CONF)")
        db = f"lst_lifecycle_{uuid.uuid4().hex[:8]}"
        try:
            res = _odoo("-d", db, "-i", MODULE)
            self.assertEqual(res.returncode, 0, res.stderr[-3000:])
            self.assertNotIn(" ERROR ", res.stderr, res.stderr[-3000:])
            for _i in range(2):
                res = _odoo("-d", db, "-u", MODULE)
                self.assertEqual(res.returncode, 0, res.stderr[-3000:])
                self.assertNotIn(" ERROR ", res.stderr, res.stderr[-3000:])
            res = _odoo("-d", db, shell_input=UNINSTALL)
            self.assertIn("STATE uninstalled", res.stdout, res.stderr[-3000:])
            res = _odoo("-d", db, shell_input=AFTER)
            self.assertIn("FIELD False", res.stdout, res.stderr[-3000:])
            self.assertIn("TABLE None", res.stdout)
            self.assertIn("CHAIR serial True", res.stdout)
            self.assertIn("MOVES True", res.stdout)
        finally:
            subprocess.run(["dropdb", "--if-exists", "--force", db], check=False, capture_output=True)
