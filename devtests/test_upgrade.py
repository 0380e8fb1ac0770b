# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Existing databases upgrade in place: a database made with the released 18.0.1.1.0 (installed from a git
worktree of that commit, with rules, lots, batch-produced MOs, a delivery-only delivery and a recall) is
upgraded to this checkout with `-u`, and everything is still there and still works.

A plain pytest function run by `make test` (it needs the cluster and Odoo source `make test` sets up)."""

import configparser
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

MODULE = "lot_serial_tracking"
REPO = Path(os.environ.get("LST_REPO") or Path(__file__).resolve().parent.parent)
RELEASED = "f2a7291"  # 18.0.1.1.0, the version on main before 18.0.1.2.0
# ids 18.0.1.3.0 renamed (migrations/18.0.1.3.0): a menu, an action, a record rule, views, demo data
KEPT = {
    "menu_stock_tracking_rule": "stock_tracking_rule_menu",
    "action_stock_tracking_rule": "stock_tracking_rule_action",
    "stock_tracking_rule_company_rule": "stock_tracking_rule_rule_company",
    "product_template_form_view": "product_template_view_form",
    "view_production_lot_form_lst_customer": "stock_lot_view_form",
    "product_office_chair": "product_office_chair_demo",
    "mo_office_chair_5": "mo_office_chair_5_demo",
    "rule_serial_delivery_only": "rule_serial_delivery_only_demo",
}

BEFORE = """
import json
env = env(context=dict(env.context, skip_sms=True))
ref = env.ref
chair = ref('lot_serial_tracking.product_office_chair')
mo = ref('lot_serial_tracking.mo_office_chair_5')
mo.batch_produce(['UPG-SN-%d' % i for i in range(1, 6)])
picking = ref('lot_serial_tracking.delivery_desk_lamp')
picking.move_ids.set_lot_names(['UPG-LAMP-1', 'UPG-LAMP-2', 'UPG-LAMP-3'])
picking.button_validate()
assert picking.state == 'done', picking.state
rule = env['stock.tracking.rule'].create({'name': 'Upgrade rule', 'tracking': 'lot', 'lot_prefix': 'UPG-L-'})
lots = env['stock.lot'].search([('name', 'like', 'UPG-')])
assert len(lots) == 8, lots.mapped('name')
env['stock.lot'].browse(ref('lot_serial_tracking.lot_wood_glue_demo').id).action_lst_recall()
env.cr.commit()
# the records behind the ids 18.0.1.3.0 renames: the upgrade must keep them (same ids), not recreate them
kept = {old: env.ref('lot_serial_tracking.' + old).id for old in KEPT}
print('BEFORE-OK', rule.id)
print('KEPT=' + json.dumps(kept))
"""

AFTER = """
env = env(context=dict(env.context, skip_sms=True))
ref = env.ref
chair = ref('lot_serial_tracking.product_office_chair_demo')
assert chair.effective_tracking_rule_id == ref('lot_serial_tracking.rule_serial_every_operation_demo')
assert chair.tracking == 'serial'
lamp = ref('lot_serial_tracking.product_desk_lamp_demo')
assert lamp.tracking_capture == 'delivery_only', lamp.tracking_capture
assert env['stock.tracking.rule'].search_count([('name', '=', 'Upgrade rule')]) == 1
mos = env['mrp.production'].search([('lot_producing_id.name', 'like', 'UPG-SN-')])
assert len(mos) == 5 and set(mos.mapped('state')) == {'done'}, (len(mos), mos.mapped('state'))
picking = ref('lot_serial_tracking.delivery_desk_lamp_demo')
assert sorted(picking.move_line_ids.lot_id.mapped('name')) == ['UPG-LAMP-1', 'UPG-LAMP-2', 'UPG-LAMP-3']
lamp_lot = env['stock.lot'].search([('name', '=', 'UPG-LAMP-1')])
rows = lamp_lot.get_recall_lines()
assert len(rows) == 1 and rows[0]['picking_id'] == picking.id, rows
# still works: a new batch on a new MO, and a new delivery-only delivery
mo = env['mrp.production'].create({'product_id': chair.id, 'product_qty': 2,
                                   'bom_id': ref('lot_serial_tracking.bom_office_chair_demo').id})
mo.action_confirm()
ids = mo.batch_produce(['UPG2-SN-1', 'UPG2-SN-2'])
assert len(ids) == 2 and set(env['mrp.production'].browse(ids).mapped('state')) == {'done'}
out = env['stock.picking'].create({
    'partner_id': ref('base.res_partner_2').id, 'picking_type_id': ref('stock.picking_type_out').id,
    'location_id': ref('stock.stock_location_stock').id,
    'location_dest_id': ref('stock.stock_location_customers').id,
    'move_ids': [(0, 0, {'name': 'lamp', 'product_id': lamp.id, 'product_uom_qty': 1,
                         'product_uom': lamp.uom_id.id, 'location_id': ref('stock.stock_location_stock').id,
                         'location_dest_id': ref('stock.stock_location_customers').id})]})
out.action_confirm()
out.action_assign()
out.move_ids.set_lot_names(['UPG2-LAMP-1'])
out.button_validate()
assert out.state == 'done', out.state
env.cr.rollback()
# renamed ids point to the same records; the old names are gone
for new, record_id in KEPT.items():
    assert env.ref('lot_serial_tracking.' + new).id == record_id, (new, record_id)
assert not env['ir.model.data'].search_count([('module', '=', 'lot_serial_tracking'), ('name', 'in', OLD_NAMES)])
assert not env.ref('lot_serial_tracking.view_production_lot_form_recall', raise_if_not_found=False)
print('AFTER-OK')
"""


def _run(cmd, **kw):
    res = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=1200, check=False, **kw)
    assert res.returncode == 0, f"{' '.join(map(str, cmd[:6]))} failed:\n{res.stdout[-4000:]}\n{res.stderr[-4000:]}"
    return res


def _conf(tmp_path, addons):
    conf = configparser.ConfigParser()
    conf.read(os.environ["LST_CONF"])
    odoo_src = Path(os.environ["LST_ODOO_SRC"])
    conf["options"]["addons_path"] = f"{odoo_src / 'odoo' / 'addons'},{addons}"
    conf["options"]["data_dir"] = str(tmp_path / "data")
    path = tmp_path / "odoo.conf"
    with open(path, "w") as fh:
        conf.write(fh)
    return path


def _shell(conf, db, script):
    odoo_bin = Path(os.environ["LST_ODOO_SRC"]) / "odoo-bin"
    return _run(
        [sys.executable, odoo_bin, "shell", "-c", conf, "-d", db, "--no-http", "--log-level=warn"],
        input=script,
    ).stdout


def _odoo(conf, db, *args):
    odoo_bin = Path(os.environ["LST_ODOO_SRC"]) / "odoo-bin"
    return _run(
        [sys.executable, odoo_bin, "-c", conf, "-d", db, *args, "--stop-after-init", "--no-http", "--log-level=warn"]
    )


@pytest.mark.skipif(not os.environ.get("LST_CONF"), reason="needs the make test environment")
def test_upgrade_from_released_version(tmp_path):
    if subprocess.run(["git", "-C", REPO, "cat-file", "-e", f"{RELEASED}^{{commit}}"], check=False).returncode:
        pytest.fail(f"commit {RELEASED} (18.0.1.1.0) is not in this clone: clone with full history")
    old = tmp_path / "old"
    _run(["git", "-C", REPO, "worktree", "add", "--detach", old, RELEASED])
    addons = tmp_path / "addons"
    addons.mkdir()
    link = addons / MODULE
    link.symlink_to(old)
    conf = _conf(tmp_path, addons)
    db = "lst_upgrade_test"
    subprocess.run(["dropdb", "--if-exists", "--force", db], capture_output=True, check=False)
    try:
        _odoo(conf, db, "-i", MODULE)
        out = _shell(conf, db, f"KEPT = {list(KEPT)!r}\n" + BEFORE)
        assert "BEFORE-OK" in out, out[-2000:]
        ids_before = json.loads(out.split("KEPT=", 1)[1].splitlines()[0])
        link.unlink()
        link.symlink_to(REPO)
        res = _odoo(conf, db, "-u", MODULE)
        assert " ERROR " not in res.stdout + res.stderr, res.stdout[-4000:] + res.stderr[-4000:]
        version = _run(
            ["psql", "-X", "-tA", "-d", db, "-c", f"SELECT latest_version FROM ir_module_module WHERE name='{MODULE}'"]
        ).stdout.strip()
        manifest = (REPO / "__manifest__.py").read_text()
        assert f'"version": "{version}"' in manifest, version
        kept = {new: ids_before[old] for old, new in KEPT.items()}
        out = _shell(conf, db, f"KEPT = {kept!r}\nOLD_NAMES = {list(KEPT)!r}\n" + AFTER)
        assert "AFTER-OK" in out, out[-2000:]
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", db], capture_output=True, check=False)
        subprocess.run(["git", "-C", REPO, "worktree", "remove", "--force", old], capture_output=True, check=False)
