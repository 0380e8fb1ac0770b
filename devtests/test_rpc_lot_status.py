# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Lot status over XML-RPC (README "Integrator API"): stock.lot set_lot_status [[lot ids], status, reason] as an
Inventory User, an Inventory Administrator, a Manufacturing User and a portal user, against a real
multi-worker server; refusals arrive as faults carrying the user-facing message. `test_lot_status_as_each_kind_of_user`
runs every call as the four kinds of users of issue 14 (company A's Inventory User and Administrator, company B's
Inventory User, a portal user)."""

import xmlrpc.client

import pytest

from . import live_server

pytestmark = pytest.mark.skipif(not live_server.available(), reason="needs the make test environment")

USERS = {**live_server.USER_KINDS, "mrp_user": ("A", ["mrp.group_mrp_user", "stock.group_production_lot"])}
KINDS = ["inv_user", "inv_admin", "user_b", "portal"]  # the four kinds of users of issue 14


@pytest.fixture(scope="module")
def server():
    with live_server.LiveServer(workers=2, db_prefix="lst_rpcls") as srv:
        admin = srv.admin = srv.rpc(*live_server.ADMIN)
        live_server.create_users(srv, admin, "ls", USERS)
        tmpl_id = admin(
            "product.template",
            "create",
            {"name": "RPC Paint", "is_storable": True, "tracking": "lot", "company_id": srv.company_a},
        )
        srv.product_id = admin("product.product", "search", [("product_tmpl_id", "=", tmpl_id)])[0]
        srv.lot_ids = [
            admin("stock.lot", "create", {"name": name, "product_id": srv.product_id}) for name in ("RPC-L1", "RPC-L2")
        ]
        yield srv


def fault(call, *args, **kwargs):
    with pytest.raises(xmlrpc.client.Fault) as info:
        call(*args, **kwargs)
    return info.value.faultString


def statuses(server, ids):
    return {row["id"]: row["lot_status"] for row in server.admin("stock.lot", "read", ids, ["lot_status"])}


def test_inventory_user_holds_administrator_releases(server):
    inv_user, inv_admin = server.as_user["inv_user"], server.as_user["inv_admin"]
    ids = server.lot_ids
    assert inv_user("stock.lot", "set_lot_status", ids, "blocked", "RPC complaint 118") is True
    assert set(statuses(server, ids).values()) == {"blocked"}
    (lot,) = inv_user("stock.lot", "read", ids[:1], ["lot_status", "lot_status_reason", "lot_status_user_id"])
    assert lot["lot_status_reason"] == "RPC complaint 118" and lot["lot_status_user_id"][0] == inv_user.uid
    messages = inv_user("mail.message", "search_read", [("model", "=", "stock.lot"), ("res_id", "=", ids[0])], ["body"])
    assert any("RPC complaint 118" in m["body"] and "Blocked" in m["body"] for m in messages)
    assert inv_user("stock.lot", "set_lot_status", ids, "quarantine", "RPC lab test") is True
    # refused: releasing is for Inventory Administrators
    msg = fault(inv_user, "stock.lot", "set_lot_status", ids, "released", "RPC fine")
    assert "Only Inventory Administrators may release" in msg and "RPC-L1" in msg
    assert set(statuses(server, ids).values()) == {"quarantine"}
    assert inv_admin("stock.lot", "set_lot_status", ids, "released", "RPC lab test passed") is True
    assert set(statuses(server, ids).values()) == {"released"}


def test_bad_arguments_and_direct_writes_refused(server):
    inv_user, inv_admin = server.as_user["inv_user"], server.as_user["inv_admin"]
    ids = server.lot_ids
    assert "Give a reason" in fault(inv_user, "stock.lot", "set_lot_status", ids, "blocked", "")
    assert "one line of text" in fault(inv_user, "stock.lot", "set_lot_status", ids, "blocked", "a\nb")
    assert "at most 500" in fault(inv_user, "stock.lot", "set_lot_status", ids, "blocked", "x" * 501)
    assert "Unknown lot status" in fault(inv_user, "stock.lot", "set_lot_status", ids, "locked", "RPC")
    assert "give record ids" in fault(inv_user, "stock.lot", "set_lot_status", ["1"], "blocked", "RPC")
    # the status is not writable directly, by anyone, with or without a context key
    for user in (inv_user, inv_admin):
        msg = fault(user, "stock.lot", "write", ids, {"lot_status": "blocked"})
        assert "set_lot_status" in msg
        msg = fault(user, "stock.lot", "write", ids, {"lot_status": "blocked"}, context={"lst_lot_status_write": True})
        assert "set_lot_status" in msg
    assert set(statuses(server, ids).values()) == {"released"}


def test_manufacturing_and_portal_users(server):
    ids = server.lot_ids
    mrp_user, portal = server.as_user["mrp_user"], server.as_user["portal"]
    # a Manufacturing User is an Inventory User in Odoo: may hold, may not release
    assert mrp_user("stock.lot", "set_lot_status", ids[:1], "quarantine", "RPC line stop") is True
    assert "Only Inventory Administrators" in fault(mrp_user, "stock.lot", "set_lot_status", ids[:1], "released", "x")
    # portal: nothing
    assert "not allowed" in fault(portal, "stock.lot", "set_lot_status", ids, "blocked", "RPC portal")
    assert "not allowed" in fault(portal, "stock.lot", "read", ids, ["lot_status"])
    assert statuses(server, ids) == {ids[0]: "quarantine", ids[1]: "released"}
    assert server.as_user["inv_admin"]("stock.lot", "set_lot_status", ids[:1], "released", "RPC restart") is True


@pytest.mark.parametrize("kind", KINDS)
def test_lot_status_as_each_kind_of_user(server, kind):
    """quarantine, blocked, released and reading the status of a lot of company A, as one kind of user: company A's
    Inventory User holds and may not release, its Administrator does everything, company B's Inventory User and a
    portal user are refused every call (AccessError/UserError, never another fault) and find nothing."""
    admin, call = server.admin, server.as_user[kind]
    lot_id = admin("stock.lot", "create", {"name": f"RPC-LS-{kind}", "product_id": server.product_id})
    domain = [("id", "=", lot_id)]

    def status():
        return admin("stock.lot", "read", [lot_id], ["lot_status"])[0]["lot_status"]

    if kind in ("inv_user", "inv_admin"):
        for new_status in ("quarantine", "blocked"):
            assert call("stock.lot", "set_lot_status", [lot_id], new_status, f"RPC {kind} {new_status}") is True
            assert status() == new_status
        (lot,) = call("stock.lot", "search_read", domain, ["lot_status", "lot_status_reason", "lot_status_user_id"])
        assert lot["lot_status_reason"] == f"RPC {kind} blocked" and lot["lot_status_user_id"][0] == call.uid
        assert call("stock.lot", "search_count", [*domain, ("lot_status", "=", "blocked")]) == 1
        if kind == "inv_user":
            error, message = live_server.refusal(call, "stock.lot", "set_lot_status", [lot_id], "released", "RPC")
            assert error == "AccessError" and "Only Inventory Administrators may release" in message
            assert status() == "blocked"
        else:
            assert call("stock.lot", "set_lot_status", [lot_id], "released", "RPC lab test passed") is True
            assert status() == "released"
        return
    for new_status in ("quarantine", "blocked", "released"):
        error, message = live_server.refusal(call, "stock.lot", "set_lot_status", [lot_id], new_status, "RPC")
        assert f"RPC-LS-{kind}" not in message, message
        assert status() == "released"
    assert live_server.refusal(call, "stock.lot", "read", [lot_id], ["lot_status"])[0] == "AccessError"
    assert live_server.refusal(call, "stock.lot", "write", [lot_id], {"lot_status": "blocked"})
    if kind == "portal":
        assert live_server.refusal(call, "stock.lot", "search_read", domain, ["lot_status"])[0] == "AccessError"
        assert live_server.refusal(call, "stock.lot", "search_count", domain)[0] == "AccessError"
    else:
        assert call("stock.lot", "search_read", domain, ["lot_status"]) == []
        assert call("stock.lot", "search_count", [("product_id", "=", server.product_id)]) == 0
        assert call("stock.lot", "search_count", [("lot_status", "!=", "released")]) == 0
    assert status() == "released"
