# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What an XML-RPC caller can send, against a real `--workers=4` server (issue 12, sections 2, 4 and 5).

- No context key skips a check or changes how stock is written: the module's internal keys sent by a client
  are ignored (nothing changes, or the call is refused as without them).
- Ids that are not integers are refused with a message, not an SQL error.
- Two transactions cannot create the same serial: the lot of a product is created once, and a serial enters
  stock (or reaches a customer) once; the others are refused with the serial named."""

import threading
import xmlrpc.client

import pytest

from . import live_server
from .test_rpc import USERS, _serial_mo, fault, new_product, template_tracking

pytestmark = pytest.mark.skipif(not live_server.available(), reason="needs the make test environment")


@pytest.fixture(scope="module")
def server():
    with live_server.LiveServer(workers=4, db_prefix="lst_grd") as srv:
        admin = srv.rpc(*live_server.ADMIN)
        for login, groups in USERS.items():
            if login == "portal":
                continue
            group_ids = [admin.ref(g) for g in groups]
            admin(
                "res.users",
                "create",
                {
                    "name": login,
                    "login": f"lst_{login}",
                    "password": f"{login}-pw-1234",
                    "groups_id": [(4, gid) for gid in group_ids],
                },
            )
        srv.admin = admin
        srv.as_user = {login: srv.rpc(f"lst_{login}", f"{login}-pw-1234") for login in USERS if login != "portal"}
        srv.stock = admin.ref("stock.stock_location_stock")
        srv.customers = admin.ref("stock.stock_location_customers")
        srv.suppliers = admin.ref("stock.stock_location_suppliers")
        yield srv


def picking(server, user, product_id, qty, kind="out", location_id=None):
    """A draft delivery (kind "out", from `location_id` or WH/Stock) or receipt ("in") of `qty` units: (picking,
    move), created by `user`."""
    stock = location_id or server.stock
    src, dst = (stock, server.customers) if kind == "out" else (server.suppliers, stock)
    picking_id = user(
        "stock.picking",
        "create",
        {
            "picking_type_id": server.admin.ref(f"stock.picking_type_{kind}"),
            "location_id": src,
            "location_dest_id": dst,
            "move_ids": [
                (0, 0, {"name": "GRD", "product_id": product_id, "product_uom_qty": qty,
                        "location_id": src, "location_dest_id": dst}),
            ],
        },
    )  # fmt: skip
    (move_id,) = user("stock.move", "search", [("picking_id", "=", picking_id)])
    return picking_id, move_id


def stock_of(user, product_id, location_id):
    """(quantity, reserved) of the product's quants in that location."""
    rows = user(
        "stock.quant",
        "search_read",
        [("product_id", "=", product_id), ("location_id", "=", location_id)],
        ["quantity", "reserved_quantity"],
    )
    return sum(r["quantity"] for r in rows), sum(r["reserved_quantity"] for r in rows)


def concurrently(server, calls):
    """Run each (model, method, args, kwargs) of `calls` from its own client and thread, released together.
    Returns [("ok", result) or ("fault", faultString)] in the order of `calls`."""
    results = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index, model, method, args, kwargs):
        client = server.rpc(*live_server.ADMIN)  # logged in before the barrier
        barrier.wait()
        try:
            results[index] = ("ok", client(model, method, *args, **kwargs))
        except xmlrpc.client.Fault as exc:
            results[index] = ("fault", exc.faultString)

    threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    return results


# ---------------------------------------------------------------------------------------------- section 2
def test_quant_buffer_sent_by_a_client_is_ignored(server):
    """Inventory User: a delivery confirmed, reserved and validated with the batch-production quant buffer
    keys in the context moves the stock exactly as without them (the buffer was never written: on hand stayed
    where it was while the transfer was done)."""
    inv_user = server.as_user["inv_user"]
    _tmpl, product = new_product(server, "GRD buffered part", qty=20)
    on_hand = 20
    for ctx in (
        {"lst_quant_buffer": {}},
        {"lst_batch_quants": True, "lst_quant_buffer": {}},
        {"lst_quant_buffer": [], "lst_batch_quants": "yes"},
        {"lst_batch_quants": True},
    ):
        picking_id, _move = picking(server, inv_user, product, 3)
        inv_user("stock.picking", "action_confirm", [picking_id], context=ctx)
        inv_user("stock.picking", "action_assign", [picking_id], context=ctx)
        assert stock_of(inv_user, product, server.stock) == (on_hand, 3), ctx
        assert inv_user("stock.picking", "button_validate", [picking_id], context=dict(ctx, skip_sms=True)) is True
        (state,) = inv_user("stock.picking", "read", [picking_id], ["state"])
        assert state["state"] == "done"
        on_hand -= 3
        assert stock_of(inv_user, product, server.stock) == (on_hand, 0), ctx
        assert stock_of(inv_user, product, server.customers)[0] == 20 - on_hand, ctx


def test_checked_lot_ids_sent_by_a_client_do_not_skip_the_serial_check(server):
    """Manufacturing User: an MO given a serial already produced (and delivered, so no stock check catches
    it) is refused by Odoo's serial check, even with the serial in `lst_checked_lot_ids`."""
    admin, mrp_user = server.admin, server.as_user["mrp_user"]
    mo1, product = _serial_mo(admin, "GRD chair", 1)
    lot = admin("stock.lot", "create", {"name": "GRD-SN-1", "product_id": product})
    admin("mrp.production", "write", [mo1], {"lot_producing_id": lot})
    admin("mrp.production", "button_mark_done", [mo1], context={"skip_redirection": True})
    assert admin("mrp.production", "read", [mo1], ["state"])[0]["state"] == "done"
    out_id, _move = picking(server, admin, product, 1)
    admin("stock.picking", "action_confirm", [out_id])
    admin("stock.picking", "action_assign", [out_id])
    assert admin("stock.picking", "button_validate", [out_id], context={"skip_sms": True}) is True
    mo2 = admin("mrp.production", "create", {"product_id": product, "product_qty": 1})
    admin("mrp.production", "action_confirm", [mo2])
    mrp_user("mrp.production", "write", [mo2], {"lot_producing_id": lot})
    for ctx in ({"lst_checked_lot_ids": [lot]}, {"lst_checked_lot_ids": [lot], "skip_redirection": True}):
        msg = fault(mrp_user, "mrp.production", "button_mark_done", [mo2], context=ctx)
        assert "has already been produced" in msg, msg
        assert mrp_user("mrp.production", "read", [mo2], ["state"])[0]["state"] != "done"
    produced = admin(
        "stock.move.line",
        "search_count",
        [("lot_id", "=", lot), ("state", "=", "done"), ("location_id.usage", "=", "production")],
    )
    assert produced == 1, "produced once"


def test_tracking_change_wizard_key_sent_by_a_client_does_not_skip_the_guard(server):
    """Inventory Administrator: tracking, rule, category and rule changes of stocked products are refused
    with `lst_tracking_change_wizard` in the context as without it."""
    inv_admin, admin = server.as_user["inv_admin"], server.admin
    ctx = {"lst_tracking_change_wizard": True}
    tmpl_id, _product = new_product(server, "GRD stocked", qty=4)
    rule_id = inv_admin("stock.tracking.rule", "create", {"name": "GRD serials", "tracking": "serial"})
    for vals in ({"tracking": "serial"}, {"tracking": "lot"}, {"tracking_rule_id": rule_id}):
        msg = fault(inv_admin, "product.template", "write", [tmpl_id], vals, context=ctx)
        assert "cannot change while they have stock on hand" in msg and "GRD stocked" in msg, msg
    assert template_tracking(inv_admin, tmpl_id) == ("none", False, "every_operation")
    categ_id = inv_admin("product.category", "create", {"name": "GRD categ"})
    admin("product.template", "write", [tmpl_id], {"categ_id": categ_id})
    msg = fault(inv_admin, "product.category", "write", [categ_id], {"tracking_rule_id": rule_id}, context=ctx)
    assert "GRD stocked" in msg
    lamp_rule_id = admin.ref("lot_serial_tracking.rule_serial_delivery_only_demo")
    for vals in ({"capture": "every_operation"}, {"tracking": "lot"}, {"active": False}):
        msg = fault(inv_admin, "stock.tracking.rule", "write", [lamp_rule_id], vals, context=ctx)
        assert "Desk Lamp" in msg and "Change Tracking" in msg, msg
    (rule,) = inv_admin("stock.tracking.rule", "read", [lamp_rule_id], ["capture", "tracking", "active"])
    assert (rule["capture"], rule["tracking"], rule["active"]) == ("delivery_only", "serial", True)


def test_push_rule_cache_sent_by_a_client_is_ignored(server):
    """A receipt validated with a `lst_push_rule_cache` of any shape (a list, a string, a dict naming another
    rule) is done exactly as without it: no error, no push rule applied."""
    inv_user, admin = server.as_user["inv_user"], server.admin
    _tmpl, product = new_product(server, "GRD pushed")
    other_rule = admin("stock.rule", "search", [], limit=1)[0]
    received = 0
    for ctx in (
        {"lst_push_rule_cache": []},
        {"lst_push_rule_cache": "cache"},
        {"lst_push_rule_cache": {"1": [other_rule], "(1, False)": [other_rule]}},
    ):
        picking_id, _move = picking(server, inv_user, product, 2, kind="in")
        inv_user("stock.picking", "action_confirm", [picking_id], context=ctx)
        assert inv_user("stock.picking", "button_validate", [picking_id], context=dict(ctx, skip_sms=True)) is True
        received += 2
        assert stock_of(inv_user, product, server.stock) == (received, 0), ctx
    moves = admin("stock.move", "search_count", [("product_id", "=", product)])
    assert moves == 3, "no move pushed further"


def test_generate_product_id_sent_by_a_client_is_ignored(server):
    """`generate_lot_names` with `lst_generate_product_id` from a client gives Odoo's plain increments, not
    another product's rule numbering (nor an SQL error for a product id that is not one)."""
    inv_user, admin = server.as_user["inv_user"], server.admin
    lamp_id = admin.ref("lot_serial_tracking.product_desk_lamp_demo")
    plain = [{"lot_name": "A-7"}, {"lot_name": "A-8"}]
    assert inv_user("stock.lot", "generate_lot_names", "A-7", 2) == plain
    for value in (lamp_id, "x", [lamp_id]):
        ctx = {"lst_generate_product_id": value}
        assert inv_user("stock.lot", "generate_lot_names", "A-7", 2, context=ctx) == plain, value


# ---------------------------------------------------------------------------------------------- section 4
def test_ids_that_are_not_integers_are_refused(server):
    inv_user, mrp_user = server.as_user["inv_user"], server.as_user["mrp_user"]
    _tmpl, product = new_product(server, "GRD ids")
    calls = [
        (inv_user, "stock.move", "set_lot_names", [["x"], ["A"]], {}),
        (inv_user, "stock.move", "set_lot_names", [[1.5], ["A"]], {}),
        (inv_user, "stock.lot", "get_recall_lines", [["x"]], {}),
        (inv_user, "stock.lot", "action_lst_recall", [["1"]], {}),
        (inv_user, "stock.lot", "create", [{"name": "GRD-X", "product_id": "x"}], {}),
        (inv_user, "stock.tracking.change", "create", [{"product_tmpl_id": "x"}], {}),
        (inv_user, "stock.tracking.change", "create", [{"product_tmpl_id": 2.5}], {}),
        (inv_user, "stock.tracking.change", "action_confirm", [["x"]], {}),
        (inv_user, "stock.tracking.change", "action_generate", [["x"]], {}),
        (inv_user, "stock.tracking.change", "default_get", [["line_ids"]], {"context": {
            "active_model": "product.product", "active_id": "x"}}),
        (mrp_user, "mrp.production", "batch_produce", [["x"], ["A"]], {}),
        (inv_user, "stock.move", "action_generate_lot_line_vals",
         [{"default_product_id": "x", "default_tracking": "serial"}, "import", False, 0, "A"], {}),
        (inv_user, "stock.move", "action_generate_lot_line_vals", [["x"], "import", False, 0, "A"], {}),
        (inv_user, "stock.recall.line", "action_print_recall", [[]], {"context": {"lst_recall_lot_ids": ["x"]}}),
    ]  # fmt: skip
    for user, model, method, args, kwargs in calls:
        msg = fault(user, model, method, *args, **kwargs)
        assert "Traceback" not in msg.splitlines()[0], (model, method, msg[-300:])
        assert any(text in msg for text in ("ids (integers)", "(an integer)", "must be a dictionary")), (
            model,
            method,
            msg[-300:],
        )
    assert inv_user("stock.lot", "search_count", [("name", "=", "GRD-X")]) == 0
    assert inv_user("stock.tracking.change", "search_count", []) == 0
    # the valid form of the same calls still works
    assert inv_user("stock.tracking.change", "create", {"product_tmpl_id": _tmpl})


# ---------------------------------------------------------------------------------------------- section 5
def test_concurrent_receipts_create_one_serial(server):
    """Four receipts of one serial product, each given the same new serial at the same moment: one lot; then
    validated at the same moment: one unit in stock, the three others refused naming the serial."""
    admin = server.admin
    product = admin("product.product", "create", {"name": "GRD conc serial", "is_storable": True, "tracking": "serial"})
    for rnd in range(2):
        name = f"GRD-DUP-{rnd}"
        receipts = [picking(server, admin, product, 1, kind="in") for _i in range(4)]
        for picking_id, _move in receipts:
            admin("stock.picking", "action_confirm", [picking_id])
        results = concurrently(server, [("stock.move", "set_lot_names", [[move], [name]], {}) for _p, move in receipts])
        assert [r[0] for r in results] == ["ok"] * 4, results
        assert admin("stock.lot", "search_count", [("product_id", "=", product), ("name", "=", name)]) == 1
        results = concurrently(
            server,
            [("stock.picking", "button_validate", [[p]], {"context": {"skip_sms": True}}) for p, _move in receipts],
        )
        assert sorted(r[0] for r in results) == ["fault", "fault", "fault", "ok"], results
        for kind, message in results:
            if kind == "fault":
                assert name in message and "Traceback" not in message.splitlines()[0], message[-500:]
        in_stock = admin(
            "stock.quant",
            "search_read",
            [("product_id", "=", product), ("lot_id.name", "=", name), ("location_id.usage", "=", "internal")],
            ["quantity"],
        )
        assert sum(q["quantity"] for q in in_stock) == 1, in_stock


def test_concurrent_deliveries_capture_one_serial(server):
    """Delivery-only capture: two deliveries from two shelves given the same new serial (typed or scanned: the
    lot is created on validation), validated at the same moment: one lot, one unit at the customer, the other
    delivery refused naming the serial."""
    admin = server.admin
    rule = admin("stock.tracking.rule", "create", {"name": "GRD dlo", "tracking": "serial", "capture": "delivery_only"})
    product = admin("product.product", "create", {"name": "GRD conc lamp", "is_storable": True})
    tmpl = admin("product.product", "read", [product], ["product_tmpl_id"])[0]["product_tmpl_id"][0]
    admin("product.template", "write", [tmpl], {"tracking_rule_id": rule})
    shelves = [
        admin("stock.location", "create", {"name": f"GRD shelf {i}", "location_id": server.stock, "usage": "internal"})
        for i in (1, 2)
    ]
    for shelf in shelves:
        quant = admin("stock.quant", "create", {"product_id": product, "location_id": shelf, "inventory_quantity": 5})
        assert "cannot marshal None" in fault(admin, "stock.quant", "action_apply_inventory", [quant])
    deliveries = [picking(server, admin, product, 1, location_id=shelf) for shelf in shelves]
    for picking_id, move_id in deliveries:
        admin("stock.picking", "action_confirm", [picking_id])
        admin("stock.picking", "action_assign", [picking_id])
        lines = admin("stock.move.line", "search", [("move_id", "=", move_id)])
        admin("stock.move.line", "write", lines, {"lot_name": "GRD-CAP-1"})
    results = concurrently(
        server, [("stock.picking", "button_validate", [[p]], {"context": {"skip_sms": True}}) for p, _m in deliveries]
    )
    assert sorted(r[0] for r in results) == ["fault", "ok"], results
    message = next(m for kind, m in results if kind == "fault")
    assert "GRD-CAP-1" in message and "is at customer" in message, message[-500:]
    at_customer = admin(
        "stock.quant",
        "search_read",
        [("product_id", "=", product), ("location_id", "=", server.customers), ("lot_id.name", "=", "GRD-CAP-1")],
        ["quantity"],
    )
    assert sum(q["quantity"] for q in at_customer) == 1
    assert admin("stock.lot", "search_count", [("product_id", "=", product), ("name", "=", "GRD-CAP-1")]) == 1
