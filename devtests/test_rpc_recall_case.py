# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Recall case over XML-RPC: stock.recall create / action_open / action_notify / action_close, the case from a lot,
its customers and its spreadsheet, against a real multi-worker server: the lifecycle, then every call as the four kinds
of users of issue 14 (company A's Inventory User and Inventory Administrator, an Inventory User of company B, a
portal user; `test_case_calls_as_each_kind_of_user`), and a Manufacturing User. Every refusal is an AccessError or
a UserError with a message (live_server.refusal), never another fault."""

import base64
import xmlrpc.client

import pytest

from . import live_server

pytestmark = pytest.mark.skipif(not live_server.available(), reason="needs the make test environment")

USERS = {
    **live_server.USER_KINDS,
    # company B's user may also use Odoo's export: the record rules, not the missing right, must stop it
    "user_b": ("B", [*live_server.STOCK_USER, "base.group_allow_export"]),
    "mrp_user": ("A", ["mrp.group_mrp_user", "stock.group_production_lot"]),
}
KINDS = ["inv_user", "inv_admin", "user_b", "portal"]  # the four kinds of users of issue 14
ALLOWED = {"inv_user", "inv_admin"}
LINE_FIELDS = ["partner_id", "picking_ids", "lot_ids", "qty_delivered", "qty_returned", "qty_at_customer"]
LINE_FIELDS += ["notified_on"]
FIGURES = [
    "name", "state", "is_mock", "affected_lot_ids", "partner_count", "qty_at_customer", "qty_returned", "qty_in_stock",
    "open_move_count", "opened_at", "traced_at", "trace_seconds",
]  # fmt: skip


def delivered_lot(srv, name, qty_in=5, qty_out=2):
    """A new lot of a new product of company A (so that the lot is company A's and the delivery cannot take
    another lot), qty_in in stock, qty_out of it delivered to srv.partner_id: (lot id, delivery id)."""
    admin = srv.admin
    tmpl_id = admin(
        "product.template",
        "create",
        {"name": f"RPC Glue {name}", "is_storable": True, "tracking": "lot", "company_id": srv.company_a},
    )
    product_id = admin("product.product", "search", [("product_tmpl_id", "=", tmpl_id)])[0]
    lot_id = admin("stock.lot", "create", {"name": name, "product_id": product_id})
    quant = admin(
        "stock.quant",
        "create",
        {"product_id": product_id, "location_id": srv.stock, "lot_id": lot_id, "inventory_quantity": qty_in},
    )
    with pytest.raises(xmlrpc.client.Fault):  # applied, then "cannot marshal None" (see test_rpc.py)
        admin("stock.quant", "action_apply_inventory", [quant])
    picking = admin(
        "stock.picking",
        "create",
        {
            "partner_id": srv.partner_id,
            "origin": f"SO-{name}",
            "picking_type_id": admin.ref("stock.picking_type_out"),
            "location_id": srv.stock,
            "location_dest_id": srv.customers,
            "move_ids": [
                (0, 0, {"name": name, "product_id": product_id, "product_uom_qty": qty_out,
                        "location_id": srv.stock, "location_dest_id": srv.customers}),
            ],
        },
    )  # fmt: skip
    admin("stock.picking", "action_confirm", [picking])
    admin("stock.picking", "action_assign", [picking])
    assert admin("stock.picking", "button_validate", [picking], context={"skip_sms": True}) is True
    return lot_id, picking


@pytest.fixture(scope="module")
def server():
    with live_server.LiveServer(workers=2, db_prefix="lst_rpcrc") as srv:
        admin = srv.admin = srv.rpc(*live_server.ADMIN)
        live_server.create_users(srv, admin, "rc", USERS)
        srv.stock = admin.ref("stock.stock_location_stock")
        srv.customers = admin.ref("stock.stock_location_customers")
        srv.partner_id = admin(
            "res.partner",
            "create",
            {"name": "RPC Recallee", "email": "recallee@example.com", "company_id": srv.company_a},
        )
        srv.lot_id, _picking = delivered_lot(srv, "RPC-GLUE-1")
        srv.case_0 = admin("stock.recall", "create", {"lot_ids": [(6, 0, [srv.lot_id])], "reason": "RPC other"})
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
    export = inv_user("stock.recall", "get_recall_export_file", [case_id])
    assert export["file_name"].endswith("-deliveries.xlsx") and export["row_count"] == 1
    assert base64.b64decode(export["file_content"]).startswith(b"PK")
    action = inv_user("stock.recall", "action_lst_export_lines", [case_id])
    assert (
        action["type"] == "ir.actions.act_url" and f"/web/content/stock.recall/{case_id}/export_file/" in action["url"]
    )
    assert "not allowed" in fault(portal, "stock.lot", "action_lst_recall_case", [server.lot_id])
    assert "not allowed" in fault(portal, "stock.recall", "action_lst_export_lines", [case_id])


@pytest.mark.parametrize("kind", KINDS)
def test_case_calls_as_each_kind_of_user(server, kind):
    """Every call of the case as one kind of user, on a lot of company A delivered to a customer of company A:
    company A's Inventory User and Administrator run the whole case; company B's Inventory User and a portal user
    get an AccessError or a UserError for each call, and read, search, count and export nothing of company A."""
    admin, call = server.admin, server.as_user[kind]
    allowed = kind in ALLOWED
    lot_id, picking = delivered_lot(server, f"RPC-M-{kind}")
    vals = {"lot_ids": [(6, 0, [lot_id])], "reason": f"RPC matrix {kind}"}

    def refused(*args, **kwargs):
        error, message = live_server.refusal(call, *args, **kwargs)
        # company A's lots and customers are not named to another company's user
        assert f"RPC-M-{kind}" not in message and "RPC Recallee" not in message, message
        return error, message

    # create: refused users do not learn that the lot exists
    if allowed:
        case_id = call("stock.recall", "create", vals)
    else:
        error, message = refused("stock.recall", "create", vals)
        assert error == "AccessError" or "no record with id" in message, message
        case_id = admin("stock.recall", "create", vals)
    # reading, searching, counting, exporting the case, its lot and its customer
    if allowed:
        (case,) = call("stock.recall", "read", [case_id], FIGURES)
        assert case["state"] == "draft" and case["name"].startswith("RC/")
        assert call("stock.recall", "search_count", [("id", "=", case_id)]) == 1
        assert call("stock.lot", "search_count", [("id", "=", lot_id)]) == 1
    else:
        assert refused("stock.recall", "read", [case_id], FIGURES)[0] == "AccessError"
        assert refused("stock.lot", "read", [lot_id], ["name", "lot_status"])[0] == "AccessError"
        assert refused("stock.recall", "export_data", [case_id], ["name", "reason"])
        for model, record_id in (("stock.recall", case_id), ("stock.lot", lot_id), ("res.partner", server.partner_id)):
            domain = [("id", "=", record_id)]
            if kind == "portal" and model != "res.partner":
                assert refused(model, "search_read", domain, ["display_name"])[0] == "AccessError"
                assert refused(model, "search_count", domain)[0] == "AccessError"
            else:
                assert call(model, "search_read", domain, ["display_name"]) == [], model
                assert call(model, "search_count", domain) == 0, model
        if kind == "user_b":
            assert call("stock.recall", "search_read", [], ["name"]) == []
            assert call("stock.recall.customer", "search_read", [], ["partner_id"]) == []

    # open: trace, block, list the customers
    if allowed:
        assert call("stock.recall", "action_open", [case_id]) is True
    else:
        refused("stock.recall", "action_open", [case_id])
        assert admin("stock.recall", "action_open", [case_id]) is True
    if allowed:
        (case,) = call("stock.recall", "read", [case_id], FIGURES)
        assert case["state"] == "open" and case["affected_lot_ids"] == [lot_id]
        assert (case["partner_count"], case["qty_at_customer"], case["qty_returned"]) == (1, 2, 0)
        assert (case["qty_in_stock"], case["open_move_count"]) == (3, 0)
        assert case["opened_at"] and case["traced_at"] and case["trace_seconds"] >= 0
        (line,) = call("stock.recall.customer", "search_read", [("recall_id", "=", case_id)], LINE_FIELDS)
        assert line["partner_id"][0] == server.partner_id and line["picking_ids"] == [picking]
        assert (line["lot_ids"], line["qty_delivered"], line["qty_at_customer"]) == ([lot_id], 2, 2)
        (lot,) = call("stock.lot", "read", [lot_id], ["lot_status"])
        assert lot["lot_status"] == "blocked"
    else:
        assert refused("stock.recall", "read", [case_id], ["partner_count", "qty_at_customer"])[0] == "AccessError"
        line_ids = admin("stock.recall.customer", "search", [("recall_id", "=", case_id)])
        assert line_ids
        assert refused("stock.recall.customer", "read", line_ids, ["partner_id"])[0] == "AccessError"
        if kind == "portal":
            assert refused("stock.recall.customer", "search_read", [("recall_id", "=", case_id)], ["partner_id"])
        else:
            assert call("stock.recall.customer", "search_read", [("recall_id", "=", case_id)], ["partner_id"]) == []
            assert call("stock.recall.customer", "search_count", [("partner_id", "=", server.partner_id)]) == 0

    # the spreadsheet for the authorities
    if allowed:
        export = call("stock.recall", "get_recall_export_file", [case_id])
        assert export["row_count"] == 1 and export["file_name"].endswith("-deliveries.xlsx")
        content = base64.b64decode(export["file_content"])
        assert content.startswith(b"PK") and len(content) < 50_000
        action = call("stock.recall", "action_lst_export_lines", [case_id])
        assert action["type"] == "ir.actions.act_url" and action["url"].endswith("?download=true")
        error, message = live_server.refusal(call, "stock.recall", "get_recall_export_file", [case_id, server.case_0])
        assert error == "UserError" and "one recall case at a time" in message
    else:
        assert refused("stock.recall", "get_recall_export_file", [case_id])[0] == "AccessError"
        assert refused("stock.recall", "action_lst_export_lines", [case_id])[0] == "AccessError"
        assert refused("stock.recall", "read", [case_id], ["export_file"])[0] == "AccessError"

    # notify, close
    for method in ("action_notify", "action_close"):
        if allowed:
            assert call("stock.recall", method, [case_id]) is True
        else:
            refused("stock.recall", method, [case_id])
            assert admin("stock.recall", method, [case_id]) is True
    if allowed:
        (line,) = call("stock.recall.customer", "search_read", [("recall_id", "=", case_id)], ["notified_on"])
        assert line["notified_on"]
        assert call("stock.recall", "read", [case_id], ["state"])[0]["state"] == "closed"
        assert live_server.refusal(call, "stock.recall", "action_close", [case_id])[0] == "UserError"

    # a mock case (on a lot of its own: the first one is blocked now)
    mock_lot, _picking = delivered_lot(server, f"RPC-MOCK-{kind}")
    mock_vals = {"lot_ids": [(6, 0, [mock_lot])], "reason": f"RPC audit {kind}", "is_mock": True}
    if allowed:
        mock_id = call("stock.recall", "create", mock_vals)
        assert call("stock.recall", "action_open", [mock_id]) is True
        (mock,) = call("stock.recall", "read", [mock_id], FIGURES)
        assert mock["is_mock"] and mock["state"] == "open" and mock["partner_count"] == 1 and mock["traced_at"]
        assert call("stock.lot", "read", [mock_lot], ["lot_status"])[0]["lot_status"] == "released"
        error, message = live_server.refusal(call, "stock.recall", "action_notify", [mock_id])
        assert error == "UserError" and "mock recall" in message
    else:
        refused("stock.recall", "create", mock_vals)
        mock_id = admin("stock.recall", "create", mock_vals)
        refused("stock.recall", "action_open", [mock_id])
        (mock,) = admin("stock.recall", "read", [mock_id], ["state"])
        assert mock["state"] == "draft"
    # nothing of company A was changed by a refused user
    assert admin("stock.lot", "read", [mock_lot], ["lot_status"])[0]["lot_status"] == "released"
