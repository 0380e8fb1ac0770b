# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Recall case over XML-RPC: stock.recall create / action_open / action_notify / action_close, the case from a lot,
its customers and its export as an Inventory User,
an Inventory Administrator, a Manufacturing User and a portal user, against a real multi-worker server."""

import xmlrpc.client

import pytest

from . import live_server

pytestmark = pytest.mark.skipif(not live_server.available(), reason="needs the make test environment")

USERS = {
    "inv_user": ["stock.group_stock_user", "stock.group_production_lot"],
    "inv_admin": ["stock.group_stock_manager", "stock.group_production_lot"],
    "mrp_user": ["mrp.group_mrp_user", "stock.group_production_lot"],
    "portal": ["base.group_portal"],
}


@pytest.fixture(scope="module")
def server():
    with live_server.LiveServer(workers=2, db_prefix="lst_rpcrc") as srv:
        admin = srv.rpc(*live_server.ADMIN)
        for login, groups in USERS.items():
            group_ids = [admin.ref(g) for g in groups]
            vals = {"name": login, "login": f"rc_{login}", "password": f"{login}-pw-1234"}
            vals["groups_id"] = [(6, 0, group_ids)] if login == "portal" else [(4, gid) for gid in group_ids]
            admin("res.users", "create", vals)
        srv.admin = admin
        srv.as_user = {login: srv.rpc(f"rc_{login}", f"{login}-pw-1234") for login in USERS}
        tmpl_id = admin("product.template", "create", {"name": "RPC Glue", "is_storable": True, "tracking": "lot"})
        product_id = admin("product.product", "search", [("product_tmpl_id", "=", tmpl_id)])[0]
        srv.lot_id = admin("stock.lot", "create", {"name": "RPC-GLUE-1", "product_id": product_id})
        stock = admin.ref("stock.stock_location_stock")
        customers = admin.ref("stock.stock_location_customers")
        quant = admin(
            "stock.quant",
            "create",
            {"product_id": product_id, "location_id": stock, "lot_id": srv.lot_id, "inventory_quantity": 5},
        )
        with pytest.raises(xmlrpc.client.Fault):  # applied, then "cannot marshal None" (see test_rpc.py)
            admin("stock.quant", "action_apply_inventory", [quant])
        srv.partner_id = admin("res.partner", "create", {"name": "RPC Recallee", "email": "recallee@example.com"})
        picking = admin(
            "stock.picking",
            "create",
            {
                "partner_id": srv.partner_id,
                "picking_type_id": admin.ref("stock.picking_type_out"),
                "location_id": stock,
                "location_dest_id": customers,
                "move_ids": [
                    (0, 0, {"name": "glue", "product_id": product_id, "product_uom_qty": 2,
                            "location_id": stock, "location_dest_id": customers}),
                ],
            },
        )  # fmt: skip
        admin("stock.picking", "action_confirm", [picking])
        admin("stock.picking", "action_assign", [picking])
        assert admin("stock.picking", "button_validate", [picking], context={"skip_sms": True}) is True
        yield srv


def fault(call, *args, **kwargs):
    with pytest.raises(xmlrpc.client.Fault) as info:
        call(*args, **kwargs)
    return info.value.faultString


def test_case_lifecycle_as_inventory_user(server):
    inv_user = server.as_user["inv_user"]
    case_id = inv_user("stock.recall", "create", {"lot_ids": [(6, 0, [server.lot_id])], "reason": "RPC leak"})
    assert inv_user("stock.recall", "action_open", [case_id]) is True
    (case,) = inv_user(
        "stock.recall",
        "read",
        [case_id],
        ["name", "state", "partner_count", "qty_at_customer", "qty_in_stock", "affected_lot_ids", "trace_seconds"],
    )
    assert case["name"].startswith("RC/") and case["state"] == "open"
    assert case["partner_count"] == 1 and case["qty_at_customer"] == 2 and case["qty_in_stock"] == 3
    assert case["affected_lot_ids"] == [server.lot_id]
    (lot,) = inv_user("stock.lot", "read", [server.lot_id], ["lot_status"])
    assert lot["lot_status"] == "blocked"
    assert inv_user("stock.recall", "action_notify", [case_id]) is True
    lines = inv_user("stock.recall.customer", "search_read", [("recall_id", "=", case_id)], ["notified_on"])
    assert lines and all(line["notified_on"] for line in lines)
    assert inv_user("stock.recall", "action_close", [case_id]) is True
    assert "Only an open recall" in fault(inv_user, "stock.recall", "action_close", [case_id])
    # releasing the lot afterwards is for administrators
    assert "Only Inventory Administrators" in fault(
        inv_user, "stock.lot", "set_lot_status", [server.lot_id], "released", "x"
    )
    assert server.as_user["inv_admin"]("stock.lot", "set_lot_status", [server.lot_id], "released", "RPC fixed") is True


def test_mock_case_and_other_users(server):
    mrp_user, inv_admin, portal = (server.as_user[k] for k in ("mrp_user", "inv_admin", "portal"))
    case_id = mrp_user(
        "stock.recall", "create", {"lot_ids": [(6, 0, [server.lot_id])], "reason": "RPC audit", "is_mock": True}
    )
    assert mrp_user("stock.recall", "action_open", [case_id]) is True
    assert "mock recall" in fault(mrp_user, "stock.recall", "action_notify", [case_id])
    (lot,) = inv_admin("stock.lot", "read", [server.lot_id], ["lot_status"])
    assert lot["lot_status"] == "released", "a mock recall blocks nothing"
    assert "Give a reason" in fault(
        inv_admin, "stock.recall", "create", {"lot_ids": [(6, 0, [server.lot_id])], "reason": ""}
    )
    assert inv_admin("stock.recall", "unlink", [case_id]) is True
    assert "not allowed" in fault(portal, "stock.recall", "search_read", [], ["name"])
    assert "not allowed" in fault(
        portal, "stock.recall", "create", {"lot_ids": [(6, 0, [server.lot_id])], "reason": "x"}
    )


def test_case_from_lot_customers_and_export(server):
    inv_user, portal = server.as_user["inv_user"], server.as_user["portal"]
    action = inv_user("stock.lot", "action_lst_recall_case", [server.lot_id])
    assert action["res_model"] == "stock.recall" and action["view_mode"] == "form"
    case_id = action["res_id"]
    (case,) = inv_user("stock.recall", "read", [case_id], ["state", "lot_ids"])
    assert case["state"] == "draft" and case["lot_ids"] == [server.lot_id]
    customers = inv_user("stock.recall", "action_lst_customers", [case_id])
    lines = inv_user("stock.recall.line", "search_read", customers["domain"], ["partner_id", "quantity"])
    assert [(line["partner_id"][0], line["quantity"]) for line in lines] == [(server.partner_id, 2)]
    export = inv_user("stock.recall", "action_lst_export_lines", [case_id])
    assert export["res_model"] == "stock.move.line"
    fields = ["product_id", "lot_id", "quantity", "date", "picking_partner_id", "location_id", "reference"]
    rows = inv_user("stock.move.line", "search_read", export["domain"], fields)
    assert [(row["lot_id"][0], row["quantity"], row["picking_partner_id"][0]) for row in rows] == [
        (server.lot_id, 2, server.partner_id)
    ]
    assert "not allowed" in fault(portal, "stock.lot", "action_lst_recall_case", [server.lot_id])
    assert "not allowed" in fault(portal, "stock.recall", "action_lst_export_lines", [case_id])
