# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Companies stay apart, for an API caller: users of company B call XML-RPC with company A's ids against a
real multi-worker server; nothing of company A is read back or changed."""

import xmlrpc.client

import pytest

from . import live_server

pytestmark = pytest.mark.skipif(not live_server.available(), reason="needs the make test environment")

SECRET_PRODUCT = "Secret Product of A"
SECRET_CUSTOMER = "Secret Customer of A"


@pytest.fixture(scope="module")
def server():
    with live_server.LiveServer(workers=2, db_prefix="lst_rpcmc") as srv:
        admin = srv.rpc(*live_server.ADMIN)
        srv.admin = admin
        company_a = admin.ref("base.main_company")
        company_b = admin("res.company", "create", {"name": "RPC Company B"})
        admin("res.users", "write", [admin.uid], {"company_ids": [(4, company_b)]})  # admin of both companies
        groups = {
            "user_b": ["stock.group_stock_user", "stock.group_production_lot"],
            "admin_b": ["stock.group_stock_manager", "stock.group_production_lot"],
            "user_a": ["stock.group_stock_user", "stock.group_production_lot"],
        }
        for login, xmlids in groups.items():
            company = company_a if login.endswith("_a") else company_b
            admin(
                "res.users",
                "create",
                {
                    "name": login,
                    "login": f"mc_{login}",
                    "password": f"{login}-pw-1234",
                    "company_id": company,
                    "company_ids": [(6, 0, [company])],
                    "groups_id": [(4, admin.ref(x)) for x in xmlids],
                },
            )
        srv.as_user = {login: srv.rpc(f"mc_{login}", f"{login}-pw-1234") for login in groups}
        # company A: a shared rule its product uses, a lot of it delivered to its customer
        srv.rule_id = admin(
            "stock.tracking.rule", "create", {"name": "Shared serials", "tracking": "serial", "lot_prefix": "A-"}
        )
        srv.tmpl_id = admin(
            "product.template",
            "create",
            {"name": SECRET_PRODUCT, "is_storable": True, "company_id": company_a, "tracking_rule_id": srv.rule_id},
        )
        srv.product_id = admin("product.product", "search", [("product_tmpl_id", "=", srv.tmpl_id)])[0]
        srv.lot_id = admin("stock.lot", "create", {"name": "A-00001", "product_id": srv.product_id})
        srv.partner_id = admin("res.partner", "create", {"name": SECRET_CUSTOMER, "company_id": company_a})
        srv.stock_a = admin.ref("stock.stock_location_stock")
        # Odoo makes a new company's warehouse in test mode only
        warehouse_b = admin(
            "stock.warehouse",
            "create",
            {"name": "B Warehouse", "code": "BWH", "company_id": company_b},
            context={"allowed_company_ids": [company_b, company_a]},
        )
        srv.stock_b = admin("stock.warehouse", "read", [warehouse_b], ["lot_stock_id"])[0]["lot_stock_id"][0]
        yield srv


def fault(call, *args, **kwargs):
    with pytest.raises(xmlrpc.client.Fault) as info:
        call(*args, **kwargs)
    return info.value.faultString


def test_shared_rule_cannot_be_taken_over(server):
    """Company B's Inventory Administrator: neither the company nor the numbering of the shared rule company
    A's product uses can be changed; company A's next name stays A's."""
    admin_b, rule_id = server.as_user["admin_b"], server.rule_id
    assert admin_b("stock.tracking.rule", "search_count", [("id", "=", rule_id)]) == 1, "shared: B sees it"
    company_b = admin_b("res.users", "read", [admin_b.uid], ["company_id"])[0]["company_id"][0]
    attempts = [{"company_id": company_b}, {"lot_prefix": "HACKED-"}, {"lot_padding": 2}, {"lot_number_next": 500}]
    for vals in [*attempts, {"active": False}]:
        msg = fault(admin_b, "stock.tracking.rule", "write", [rule_id], vals)
        assert "used by products of companies you do not belong to" in msg, msg
        assert SECRET_PRODUCT not in msg
    (rule,) = server.admin("stock.tracking.rule", "read", [rule_id], ["company_id", "lot_name_preview", "active"])
    assert rule["company_id"] is False and rule["lot_name_preview"] == "A-00002" and rule["active"] is True
    # company A's users keep using it
    user_a = server.as_user["user_a"]
    assert user_a("stock.lot", "lst_propose_first_name", server.product_id) == "A-00002"
    # company A's own administrator (here: admin) may still change it
    assert server.admin("stock.tracking.rule", "write", [rule_id], {"lot_padding": 5}) is True


def test_rule_company_consistent_with_its_products(server):
    """Even the administrator of both companies cannot give the shared rule to company B while company A's
    product uses it: a ValidationError saying what to do."""
    company_b = server.admin("res.company", "search", [("name", "=", "RPC Company B")])[0]
    msg = fault(server.admin, "stock.tracking.rule", "write", [server.rule_id], {"company_id": company_b})
    assert "cannot belong to company RPC Company B" in msg and SECRET_PRODUCT in msg
    assert "Leave the rule shared" in msg
    (rule,) = server.admin("stock.tracking.rule", "read", [server.rule_id], ["company_id"])
    assert rule["company_id"] is False


def test_recall_lines_cannot_be_made_by_hand(server):
    user_b = server.as_user["user_b"]
    msg = fault(
        user_b,
        "stock.recall.line",
        "create",
        {
            "lot_id": server.lot_id,
            "partner_id": server.partner_id,
            "product_id": server.product_id,
            "company_id": user_b("res.users", "read", [user_b.uid], ["company_id"])[0]["company_id"][0],
        },
    )
    assert "not allowed to create" in msg
    assert SECRET_CUSTOMER not in msg and SECRET_PRODUCT not in msg
    assert user_b("stock.recall.line", "search_count", []) == 0


def test_tracking_change_with_other_company_ids(server):
    user_b = server.as_user["user_b"]
    msg = fault(user_b, "stock.tracking.change", "create", {"product_tmpl_id": server.tmpl_id})
    assert "there is no record with id" in msg and SECRET_PRODUCT not in msg
    # B's own product, with a line pointing to company A's product and stock location
    tmpl_b = server.admin("product.template", "create", {"name": "Product of B", "is_storable": True})
    wizard_id = user_b("stock.tracking.change", "create", {"product_tmpl_id": tmpl_b})
    for line in (
        {"product_id": server.product_id, "location_id": server.stock_b},
        {"product_id": user_b("product.product", "search", [("product_tmpl_id", "=", tmpl_b)])[0],
         "location_id": server.stock_a},
    ):  # fmt: skip
        msg = fault(user_b, "stock.tracking.change.line", "create", {"wizard_id": wizard_id, **line})
        assert "there is no record with id" in msg and SECRET_PRODUCT not in msg and "WH/Stock" not in msg
        msg = fault(user_b, "stock.tracking.change", "write", [wizard_id], {"line_ids": [(0, 0, line)]})
        assert "there is no record with id" in msg
    assert user_b("stock.tracking.change.line", "search_count", [("wizard_id", "=", wizard_id)]) == 0
    # the lot of company A cannot be read either way
    msg = fault(user_b, "stock.lot", "lst_propose_first_name", server.product_id)
    assert "does not exist" in msg and "A-0000" not in msg


def test_rule_sequence_is_its_own(server):
    """The rule renumbers (in sudo) and deletes its sequence: company B's administrator may not point a rule to
    another sequence (here company A's rule's; an invoice numbering would do as well)."""
    admin_b = server.as_user["admin_b"]
    (rule,) = server.admin("stock.tracking.rule", "read", [server.rule_id], ["sequence_id"])
    seq_a = rule["sequence_id"][0]
    msg = fault(admin_b, "stock.tracking.rule", "create", {"name": "B thief", "tracking": "lot", "sequence_id": seq_a})
    assert "leave Numbering Sequence (sequence_id) out" in msg
    assert admin_b("stock.tracking.rule", "search_count", [("name", "=", "B thief")]) == 0
    own_id = admin_b("stock.tracking.rule", "create", {"name": "B own", "tracking": "lot"})
    for value in (seq_a, False):
        msg = fault(admin_b, "stock.tracking.rule", "write", [own_id], {"sequence_id": value})
        assert "leave Numbering Sequence (sequence_id) out" in msg
    (own,) = admin_b("stock.tracking.rule", "read", [own_id], ["sequence_id", "lot_number_next"])
    assert own["sequence_id"] and own["sequence_id"][0] != seq_a
    # deleting its own rule deletes its own sequence only
    assert admin_b("stock.tracking.rule", "unlink", [own_id]) is True
    assert server.admin("ir.sequence", "search_count", [("id", "=", seq_a)]) == 1
