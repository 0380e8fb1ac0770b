# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Background batch production on a real server with 2 workers, a cron worker and Odoo's default limits, driven
over XML-RPC the way an integrator would: queue, poll the job until it is done, a second batch on the same MO
refused meanwhile, a failing chunk stopping the job with its reason, Resume."""

import time
import xmlrpc.client

import pytest

from . import live_server

pytestmark = pytest.mark.skipif(not live_server.available(), reason="needs make test's environment")


@pytest.fixture(scope="module")
def server():
    with live_server.LiveServer(workers=2, db_prefix="lst_job", cron_threads=1, default_limits=True) as srv:
        admin = srv.rpc(*live_server.ADMIN)
        groups = [admin.ref("mrp.group_mrp_user"), admin.ref("stock.group_production_lot")]
        admin("res.users", "create", {"name": "Job MRP", "login": "lst_job_mrp", "password": "job-pw-1234",
                                      "groups_id": [(4, gid) for gid in groups]})  # fmt: skip
        admin("ir.config_parameter", "set_param", "lot_serial_tracking.batch_chunk", "15")
        srv.admin = admin
        srv.mrp = srv.rpc("lst_job_mrp", "job-pw-1234")
        yield srv


def apply_inventory(admin, quant_ids):
    """Odoo's Apply (it returns None, which XML-RPC cannot send back: the call is done, the answer a Fault)."""
    try:
        admin("stock.quant", "action_apply_inventory", quant_ids)
    except xmlrpc.client.Fault as fault:
        assert "cannot marshal None" in fault.faultString, fault.faultString


def _mo(admin, name, qty):
    part = admin("product.product", "create", {"name": f"{name} part", "is_storable": True})
    stock = admin.ref("stock.stock_location_stock")
    admin("stock.quant", "create", {"product_id": part, "location_id": stock, "inventory_quantity": 10 * qty})
    apply_inventory(admin, admin("stock.quant", "search", [("product_id", "=", part)]))
    product = admin("product.product", "create", {"name": name, "is_storable": True, "tracking": "serial"})
    (tmpl,) = admin("product.product", "read", [product], ["product_tmpl_id"])
    admin("mrp.bom", "create", {"product_tmpl_id": tmpl["product_tmpl_id"][0], "product_qty": 1,
                                "bom_line_ids": [(0, 0, {"product_id": part, "product_qty": 2})]})  # fmt: skip
    mo = admin("mrp.production", "create", {"product_id": product, "product_qty": qty})
    admin("mrp.production", "action_confirm", [mo])
    return mo, product


def _wait(call, job, states=("done", "failed", "cancel"), timeout=240):
    deadline = time.time() + timeout
    while time.time() < deadline:
        (vals,) = call("mrp.production.batch.job", "read", [job], ["state", "lines_done", "lines_total", "error"])
        if vals["state"] in states:
            return vals
        time.sleep(0.5)
    raise AssertionError(f"job {job} not finished in {timeout} s: {vals}")


def fault(call, *args, **kwargs):
    with pytest.raises(xmlrpc.client.Fault) as info:
        call(*args, **kwargs)
    return info.value.faultString


def test_background_batch_completes_in_chunks(server):
    admin, mrp = server.admin, server.mrp
    mo, product = _mo(admin, "Job chair", 60)
    names = [f"JB-{i:03d}" for i in range(1, 61)]
    job = mrp("mrp.production", "batch_produce_in_background", [mo], names)
    assert isinstance(job, int)
    # no second batch on the same MO while this one is queued or running
    msg = fault(mrp, "mrp.production", "batch_produce_in_background", [mo], ["JB-999"])
    assert "A batch is" in msg and "running" in msg
    vals = _wait(mrp, job)
    assert vals["state"] == "done", (vals, server.log()[-3000:])
    assert (vals["lines_done"], vals["lines_total"]) == (60, 60)
    (job_vals,) = mrp("mrp.production.batch.job", "read", [job], ["production_ids"])
    mos = admin("mrp.production", "read", job_vals["production_ids"], ["name", "state", "lot_producing_id"])
    assert len(mos) == 60 and {m["state"] for m in mos} == {"done"}
    assert sorted(m["lot_producing_id"][1] for m in mos) == names
    assert sorted(m["name"].rsplit("-", 1)[1] for m in mos) == [f"{i:03d}" for i in range(1, 61)]


def test_failing_chunk_stops_the_batch_then_resume(server):
    admin, mrp = server.admin, server.mrp
    mo, product = _mo(admin, "Job table", 30)
    # JT-020 is in stock already: validation refuses it before anything is queued
    lot = admin("stock.lot", "create", {"name": "JT-020", "product_id": product})
    stock = admin.ref("stock.stock_location_stock")
    quant = admin(
        "stock.quant", "create", {"product_id": product, "location_id": stock, "lot_id": lot, "inventory_quantity": 1}
    )
    apply_inventory(admin, [quant])
    names = [f"JT-{i:03d}" for i in range(1, 31)]
    assert "JT-020 already exists" in fault(mrp, "mrp.production", "batch_produce_in_background", [mo], names)
    # the clash appears after queueing, before any chunk runs (the cron held meanwhile): the second chunk
    # (lines 16-30) fails, the first one stays produced
    cron = admin.ref("lot_serial_tracking.ir_cron_mrp_production_batch_job")
    admin("ir.cron", "write", [cron], {"active": False})
    names[19] = "JT-A20"
    job = mrp("mrp.production", "batch_produce_in_background", [mo], names)
    admin("stock.lot", "write", [lot], {"name": "JT-A20"})
    admin("ir.cron", "write", [cron], {"active": True})
    admin("ir.cron", "method_direct_trigger", [cron])  # the first chunk, then the cron worker goes on
    vals = _wait(mrp, job)
    assert vals["state"] == "failed" and "JT-A20 already exists" in vals["error"], vals
    assert vals["lines_done"] == 15
    # fixed (the lot renamed back), Resume finishes it
    admin("stock.lot", "write", [lot], {"name": "JT-020"})
    assert mrp("mrp.production.batch.job", "action_resume", [job]) is True
    vals = _wait(mrp, job)
    assert vals["state"] == "done" and vals["lines_done"] == 30, vals
