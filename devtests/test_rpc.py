# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The README's "Integrator API", called through xmlrpc.client against a real multi-worker server, as an
Inventory User, an Inventory Administrator, a Manufacturing User and a portal user.

Every documented call has a passing call and a refused one (wrong user or bad argument) here; errors
must arrive as XML-RPC faults carrying the user-facing message."""

import xmlrpc.client

import pytest

from . import live_server

pytestmark = pytest.mark.skipif(not live_server.available(), reason="needs the make test environment")

USERS = {
    "inv_user": ["stock.group_stock_user"],
    "inv_admin": ["stock.group_stock_manager"],
    "mrp_user": ["mrp.group_mrp_user"],
    "portal": ["base.group_portal"],
}


@pytest.fixture(scope="module")
def server():
    with live_server.LiveServer(workers=2, db_prefix="lst_rpc") as srv:
        admin = srv.rpc(*live_server.ADMIN)
        for login, groups in USERS.items():
            group_ids = [admin.ref(g) for g in groups]
            vals = {"name": login, "login": f"lst_{login}", "password": f"{login}-pw-1234"}
            if login == "portal":
                vals["groups_id"] = [(6, 0, group_ids)]
            else:
                vals["groups_id"] = [(4, gid) for gid in group_ids]
            admin("res.users", "create", vals)
        srv.admin = admin
        srv.as_user = {login: srv.rpc(f"lst_{login}", f"{login}-pw-1234") for login in USERS}
        yield srv


def fault(call, *args, **kwargs):
    with pytest.raises(xmlrpc.client.Fault) as info:
        call(*args, **kwargs)
    return info.value.faultString


def test_rule_create_and_read(server):
    inv_admin, inv_user = server.as_user["inv_admin"], server.as_user["inv_user"]
    rule_id = inv_admin(
        "stock.tracking.rule",
        "create",
        {
            "name": "RPC serials",
            "tracking": "serial",
            "capture": "delivery_only",
            "lot_prefix": "RPC-",
            "lot_padding": 4,
        },
    )
    assert isinstance(rule_id, int)
    (rule,) = inv_user("stock.tracking.rule", "read", [rule_id], ["name", "lot_name_preview", "capture"])
    assert rule["lot_name_preview"] == "RPC-0001" and rule["capture"] == "delivery_only"
    assert server.as_user["mrp_user"]("stock.tracking.rule", "search_count", [("id", "=", rule_id)]) == 1
    # refused: a stock user cannot create rules, a portal user cannot even read them
    msg = fault(inv_user, "stock.tracking.rule", "create", {"name": "nope", "tracking": "lot"})
    assert "not allowed to create" in msg
    msg = fault(server.as_user["portal"], "stock.tracking.rule", "search_read", [], ["name"])
    assert "not allowed to access" in msg
    # refused: bad argument
    msg = fault(inv_admin, "stock.tracking.rule", "create", {"name": "bad", "tracking": "lot", "lot_prefix": "A\tB"})
    assert "printable characters" in msg


def test_rule_on_product_and_guard(server):
    inv_admin = server.as_user["inv_admin"]
    rule_id = inv_admin("stock.tracking.rule", "create", {"name": "RPC lots", "tracking": "lot", "lot_prefix": "RL"})
    tmpl_id = inv_admin("product.template", "create", {"name": "RPC widget", "is_storable": True})
    assert inv_admin("product.template", "write", [tmpl_id], {"tracking_rule_id": rule_id}) is True
    (tmpl,) = inv_admin(
        "product.template", "read", [tmpl_id], ["tracking", "effective_tracking_rule_id", "tracking_capture"]
    )
    assert tmpl["tracking"] == "lot" and tmpl["effective_tracking_rule_id"][0] == rule_id
    # the guard, over XML-RPC: stock on hand, then a tracking change is refused with the details
    plain_id = inv_admin("product.template", "create", {"name": "RPC stocked", "is_storable": True})
    product_id = inv_admin("product.product", "search", [("product_tmpl_id", "=", plain_id)])[0]
    stock_id = server.admin.ref("stock.stock_location_stock")
    quant_id = inv_admin(
        "stock.quant",
        "create",
        {"product_id": product_id, "location_id": stock_id, "inventory_quantity": 4},
    )
    # Odoo's own action_apply_inventory returns None, which XML-RPC cannot marshal: the call is done and
    # committed, then faults (documented in the README as a standard Odoo gotcha)
    assert "cannot marshal None" in fault(inv_admin, "stock.quant", "action_apply_inventory", [quant_id])
    (prod,) = inv_admin("product.product", "read", [product_id], ["qty_available"])
    assert prod["qty_available"] == 4
    msg = fault(inv_admin, "product.template", "write", [plain_id], {"tracking_rule_id": rule_id})
    assert "RPC stocked" in msg and "4" in msg and "WH/Stock" in msg and "Change Tracking" in msg
    (tmpl,) = inv_admin("product.template", "read", [plain_id], ["tracking", "tracking_rule_id"])
    assert tmpl["tracking"] == "none" and tmpl["tracking_rule_id"] is False, "nothing changed"
    # refused: a stock user may not assign rules? (product write needs product manager rights in Odoo)
    msg = fault(server.as_user["portal"], "product.template", "write", [tmpl_id], {"tracking_rule_id": False})
    assert "not allowed" in msg


# ---------------------------------------------------------------------------------------------- helpers
def assert_plain(value, where="result"):
    """What XML-RPC carries without extensions: no None, no records, only plain values."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str), f"{where}: key {key!r}"
            assert_plain(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            assert_plain(item, f"{where}[{index}]")
    else:
        assert isinstance(value, bool | int | float | str), f"{where}: {value!r}"


def stock_plain(server, product_id, qty, location_xmlid="stock.stock_location_stock"):
    """Put `qty` of an untracked product in stock (admin inventory adjustment)."""
    admin = server.admin
    location_id = admin.ref(location_xmlid)
    quant_id = admin(
        "stock.quant", "create", {"product_id": product_id, "location_id": location_id, "inventory_quantity": qty}
    )
    # applied and committed, then "cannot marshal None" (see test_rule_on_product_and_guard)
    assert "cannot marshal None" in fault(admin, "stock.quant", "action_apply_inventory", [quant_id])
    return location_id


def new_product(server, name, qty=0):
    """(template id, variant id) of a new storable, untracked product with `qty` in WH/Stock."""
    tmpl_id = server.admin("product.template", "create", {"name": name, "is_storable": True})
    product_id = server.admin("product.product", "search", [("product_tmpl_id", "=", tmpl_id)])[0]
    if qty:
        stock_plain(server, product_id, qty)
    return tmpl_id, product_id


def quants(user, product_id):
    """{lot name or False: quantity} in internal locations."""
    rows = user(
        "stock.quant",
        "search_read",
        [("product_id", "=", product_id), ("location_id.usage", "=", "internal")],
        ["lot_id", "quantity"],
    )
    result = {}
    for row in rows:
        key = row["lot_id"] and row["lot_id"][1]
        result[key] = result.get(key, 0.0) + row["quantity"]
    return {k: v for k, v in result.items() if v}


def template_tracking(user, tmpl_id):
    (tmpl,) = user("product.template", "read", [tmpl_id], ["tracking", "tracking_rule_id", "tracking_capture"])
    return tmpl["tracking"], tmpl["tracking_rule_id"] and tmpl["tracking_rule_id"][0], tmpl["tracking_capture"]


def new_picking(server, product_xmlid, qty, code="out", partner_id=False):
    """A confirmed and assigned delivery (code "out") or receipt ("in") of one product: (picking, move)."""
    admin = server.admin
    product_id = admin.ref(product_xmlid)
    stock_id, partners_id = admin.ref("stock.stock_location_stock"), admin.ref("stock.stock_location_customers")
    src, dst = (stock_id, partners_id) if code == "out" else (admin.ref("stock.stock_location_suppliers"), stock_id)
    picking_id = admin(
        "stock.picking",
        "create",
        {
            "picking_type_id": admin.ref(f"stock.picking_type_{code}"),
            "partner_id": partner_id,
            "location_id": src,
            "location_dest_id": dst,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "name": "RPC",
                        "product_id": product_id,
                        "product_uom_qty": qty,
                        "product_uom": admin.ref("uom.product_uom_unit"),
                        "location_id": src,
                        "location_dest_id": dst,
                    },
                )
            ],
        },
    )
    assert admin("stock.picking", "action_confirm", [picking_id]) is True
    assert admin("stock.picking", "action_assign", [picking_id]) is True
    move_id = admin("stock.move", "search", [("picking_id", "=", picking_id)])[0]
    return picking_id, move_id


def move_lines(user, move_id):
    rows = user("stock.move.line", "search_read", [("move_id", "=", move_id)], ["lot_id", "lot_name", "quantity"])
    return sorted(((r["lot_id"] and r["lot_id"][1]) or r["lot_name"] or False, r["quantity"]) for r in rows)


# ---------------------------------------------------------------------------------------------- rule and category write
def test_rule_and_category_write(server):
    """`stock.tracking.rule` `write` and `product.category` `write`: allowed for Inventory Administrators,
    refused for Inventory Users, and refused by the guard when stocked products would change tracking."""
    admin, inv_admin, inv_user = server.admin, server.as_user["inv_admin"], server.as_user["inv_user"]
    rule_id = inv_admin(
        "stock.tracking.rule", "create", {"name": "RPC cat serials", "tracking": "serial", "lot_prefix": "RW-"}
    )
    assert inv_admin("stock.tracking.rule", "write", [rule_id], {"name": "RPC cat serials 2", "lot_padding": 4})
    assert inv_user("stock.tracking.rule", "read", [rule_id], ["lot_name_preview"])[0]["lot_name_preview"] == "RW-0001"
    msg = fault(inv_user, "stock.tracking.rule", "write", [rule_id], {"lot_padding": 6})
    assert "not allowed to modify" in msg
    assert inv_user("stock.tracking.rule", "read", [rule_id], ["lot_padding"])[0]["lot_padding"] == 4
    # category: an empty one takes the rule; one with a stocked product is refused by the guard
    all_id = admin.ref("product.product_category_all")
    empty_id = inv_admin("product.category", "create", {"name": "RPC empty", "parent_id": all_id})
    assert inv_admin("product.category", "write", [empty_id], {"tracking_rule_id": rule_id}) is True
    (categ,) = inv_user("product.category", "read", [empty_id], ["effective_tracking_rule_id"])
    assert categ["effective_tracking_rule_id"][0] == rule_id
    categ_id = inv_admin("product.category", "create", {"name": "RPC stocked", "parent_id": all_id})
    tmpl_id = admin("product.template", "create", {"name": "RPC cat widget", "is_storable": True, "categ_id": categ_id})
    product_id = admin("product.product", "search", [("product_tmpl_id", "=", tmpl_id)])[0]
    stock_plain(server, product_id, 2)
    msg = fault(inv_admin, "product.category", "write", [categ_id], {"tracking_rule_id": rule_id})
    assert "RPC cat widget" in msg and "WH/Stock" in msg and "Change Tracking" in msg
    msg = fault(inv_admin, "product.category", "write", [categ_id], {"parent_id": empty_id})
    assert "RPC cat widget" in msg
    (categ,) = inv_admin("product.category", "read", [categ_id], ["tracking_rule_id", "parent_id"])
    assert categ["tracking_rule_id"] is False and categ["parent_id"][0] == all_id, "nothing written"
    assert template_tracking(inv_admin, tmpl_id) == ("none", False, "every_operation")
    assert "not allowed to modify" in fault(inv_user, "product.category", "write", [empty_id], {"name": "x"})
    # rule write guard: the demo Desk Lamp (delivery-only, plain stock) under its rule
    lamp_rule_id = admin.ref("lot_serial_tracking.rule_serial_delivery_only_demo")
    msg = fault(inv_admin, "stock.tracking.rule", "write", [lamp_rule_id], {"capture": "every_operation"})
    assert "Desk Lamp" in msg and "WH/Stock" in msg
    (rule,) = inv_admin("stock.tracking.rule", "read", [lamp_rule_id], ["capture"])
    assert rule["capture"] == "delivery_only"


# ---------------------------------------------------------------------------------------------- Change Tracking
def test_tracking_change_wizard_generate_and_confirm(server):
    """Inventory User: create (lines made from the stock), action_generate, edit a line, action_confirm."""
    inv_user = server.as_user["inv_user"]
    rule_id = server.as_user["inv_admin"](
        "stock.tracking.rule",
        "create",
        {"name": "RPC bolt lots", "tracking": "lot", "lot_prefix": "BOLT-", "lot_padding": 3},
    )
    tmpl_id, product_id = new_product(server, "RPC bolts", qty=10)
    wizard_id = inv_user("stock.tracking.change", "create", {"product_tmpl_id": tmpl_id, "tracking_rule_id": rule_id})
    assert isinstance(wizard_id, int)
    (line,) = inv_user(
        "stock.tracking.change.line",
        "search_read",
        [("wizard_id", "=", wizard_id)],
        ["product_id", "location_id", "quantity", "lot_text"],
    )
    assert line["product_id"][0] == product_id and line["quantity"] == 10 and line["lot_text"] is False
    assert line["location_id"][0] == server.admin.ref("stock.stock_location_stock")
    action = inv_user("stock.tracking.change", "action_generate", [wizard_id])
    assert_plain(action)
    assert action["type"] == "ir.actions.act_window" and action["res_model"] == "stock.tracking.change"
    assert action["res_id"] == wizard_id
    (line,) = inv_user("stock.tracking.change.line", "read", [line["id"]], ["lot_text"])
    assert line["lot_text"] == "BOLT-001", "a lot line gets one name from the rule"
    assert inv_user("stock.tracking.change.line", "write", [line["id"]], {"lot_text": "BOLT-001;6\nBOLT-002"})
    assert inv_user("stock.tracking.change", "action_confirm", [wizard_id]) == {"type": "ir.actions.act_window_close"}
    assert template_tracking(inv_user, tmpl_id) == ("lot", rule_id, "every_operation")
    assert quants(inv_user, product_id) == {"BOLT-001": 6, "BOLT-002": 4}


def test_tracking_change_wizard_with_lines_refused_then_done(server):
    """Manufacturing User (Odoo makes them Inventory Users): lines given in create; a wrong count is refused
    with nothing changed, then the corrected wizard converts the stock."""
    mrp_user = server.as_user["mrp_user"]
    tmpl_id, product_id = new_product(server, "RPC screws", qty=3)
    stock_id = server.admin.ref("stock.stock_location_stock")
    wizard_id = mrp_user(
        "stock.tracking.change",
        "create",
        {
            "product_tmpl_id": tmpl_id,
            "tracking_rule_id": False,
            "tracking": "serial",
            "line_ids": [[0, 0, {"product_id": product_id, "location_id": stock_id, "lot_text": "SCR-1\nSCR-1"}]],
        },
    )
    msg = fault(mrp_user, "stock.tracking.change", "action_confirm", [wizard_id])
    assert "The tracking of RPC screws was not changed:" in msg
    assert "duplicate names SCR-1" in msg
    assert template_tracking(mrp_user, tmpl_id) == ("none", False, "every_operation")
    assert quants(mrp_user, product_id) == {False: 3}
    assert mrp_user("stock.lot", "search_count", [("product_id", "=", product_id)]) == 0
    (line_id,) = mrp_user("stock.tracking.change.line", "search", [("wizard_id", "=", wizard_id)])
    mrp_user("stock.tracking.change.line", "write", [line_id], {"lot_text": "SCR-1\nSCR-2"})
    msg = fault(mrp_user, "stock.tracking.change", "action_confirm", [wizard_id])
    assert "2 serial number(s) given for a quantity of 3" in msg
    assert quants(mrp_user, product_id) == {False: 3}
    mrp_user("stock.tracking.change.line", "write", [line_id], {"lot_text": "SCR-1\nSCR-2\nSCR-3"})
    assert mrp_user("stock.tracking.change", "action_confirm", [wizard_id]) == {"type": "ir.actions.act_window_close"}
    assert template_tracking(mrp_user, tmpl_id) == ("serial", False, "every_operation")
    assert quants(mrp_user, product_id) == {"SCR-1": 1, "SCR-2": 1, "SCR-3": 1}


def test_tracking_change_wizard_refused(server):
    """Portal: no wizard at all. Wood Glue (demo, 5 of its lot reserved by a delivery): generating numbers for
    a change that drops them and confirming with reserved stock are refused; nothing changes."""
    inv_admin, admin = server.as_user["inv_admin"], server.admin
    glue_tmpl = admin(
        "product.product", "read", [admin.ref("lot_serial_tracking.product_wood_glue_demo")], ["product_tmpl_id"]
    )
    glue_tmpl_id = glue_tmpl[0]["product_tmpl_id"][0]
    glue_id = admin.ref("lot_serial_tracking.product_wood_glue_demo")
    lot_rule_id = admin.ref("lot_serial_tracking.rule_lot_every_operation_demo")
    msg = fault(server.as_user["portal"], "stock.tracking.change", "create", {"product_tmpl_id": glue_tmpl_id})
    assert "You are not allowed to" in msg
    before = quants(inv_admin, glue_id)
    assert before == {"GLUE-DEMO-0001": 40}
    wizard_id = inv_admin(
        "stock.tracking.change",
        "create",
        {"product_tmpl_id": glue_tmpl_id, "tracking_rule_id": False, "tracking": "none"},
    )
    msg = fault(inv_admin, "stock.tracking.change", "action_generate", [wizard_id])
    assert "there are no lots/serials to give" in msg
    msg = fault(inv_admin, "stock.tracking.change", "action_confirm", [wizard_id])
    delivery = admin("stock.picking", "read", [admin.ref("lot_serial_tracking.delivery_wood_glue_demo")], ["name"])[0]
    assert "The tracking of [GLUE] Wood Glue was not changed:" in msg
    assert f"stock is reserved by {delivery['name']}" in msg and "unreserve" in msg
    assert template_tracking(inv_admin, glue_tmpl_id) == ("lot", lot_rule_id, "every_operation")
    assert quants(inv_admin, glue_id) == before
    # another user cannot drive someone else's wizard (transient records belong to their creator)
    msg = fault(server.as_user["inv_user"], "stock.tracking.change", "action_confirm", [wizard_id])
    assert "doesn't have 'read' access" in msg


# ---------------------------------------------------------------------------------------------- proposal
def test_propose_first_name(server):
    admin, inv_user = server.admin, server.as_user["inv_user"]
    lamp_id = admin.ref("lot_serial_tracking.product_desk_lamp_demo")
    name = inv_user("stock.lot", "lst_propose_first_name", lamp_id)
    assert isinstance(name, str) and name.startswith("LAMP-") and len(name) == len("LAMP-00001")
    assert server.as_user["inv_admin"]("stock.lot", "lst_propose_first_name", lamp_id) == name, "not consumed"
    admin("stock.lot", "create", {"name": name, "product_id": lamp_id})
    following = server.as_user["mrp_user"]("stock.lot", "lst_propose_first_name", lamp_id)
    assert following.startswith("LAMP-") and following > name, "a used name is not proposed again"
    glue_id = admin.ref("lot_serial_tracking.product_wood_glue_demo")
    assert inv_user("stock.lot", "lst_propose_first_name", glue_id).startswith("LOT-")
    seat_id = admin.ref("lot_serial_tracking.product_chair_seat_demo")
    assert inv_user("stock.lot", "lst_propose_first_name", seat_id) == "", "no rule"
    # refused: portal user, unknown product, not an id
    assert "not allowed to access" in fault(server.as_user["portal"], "stock.lot", "lst_propose_first_name", lamp_id)
    assert "Product 987654321 does not exist" in fault(inv_user, "stock.lot", "lst_propose_first_name", 987654321)
    assert "Give a product id (an integer)" in fault(inv_user, "stock.lot", "lst_propose_first_name", "LAMP")


# ---------------------------------------------------------------------------------------------- set_lot_names
def test_set_lot_names_delivery_only(server):
    """Demo delivery of 3 Desk Lamps (delivery-only serials): refused names leave the move as it was; three
    names give three lines; the delivery validates; a delivered serial cannot be given again."""
    admin, inv_user = server.admin, server.as_user["inv_user"]
    picking_id = admin.ref("lot_serial_tracking.delivery_desk_lamp_demo")
    (move_id,) = inv_user("stock.move", "search", [("picking_id", "=", picking_id)])
    before = move_lines(inv_user, move_id)
    assert sum(qty for _lot, qty in before) == 3 and all(lot is False for lot, _qty in before)
    lots_before = inv_user("stock.lot", "search_count", [])
    # refused: portal; bad names (all problems in one fault)
    msg = fault(server.as_user["portal"], "stock.move", "set_lot_names", [move_id], ["RPC-L1"])
    assert "You are not allowed to access" in msg
    msg = fault(inv_user, "stock.move", "set_lot_names", [move_id], ["RPC-L1", "RPC-L1", "RPC\tL2", "RPC-L3", "RPC-L4"])
    assert "Cannot set the lot/serial numbers of" in msg
    assert "Duplicate names: RPC-L1" in msg and "contains control characters" in msg
    assert "4 serial numbers for a demand of 3 [LAMP] Desk Lamp" in msg
    assert "Give at least one name" in fault(inv_user, "stock.move", "set_lot_names", [move_id], [])
    assert "names must be a list" in fault(inv_user, "stock.move", "set_lot_names", [move_id], "RPC-L1")
    assert move_lines(inv_user, move_id) == before and inv_user("stock.lot", "search_count", []) == lots_before
    # refused: validating without the serials
    msg = fault(inv_user, "stock.picking", "button_validate", [picking_id], context={"skip_sms": True})
    assert "3 serial number(s) missing for [LAMP] Desk Lamp (3 unit(s) to deliver, 0 number(s) given)" in msg
    assert inv_user("stock.picking", "read", [picking_id], ["state"])[0]["state"] == "assigned"
    # passing
    line_ids = inv_user("stock.move", "set_lot_names", [move_id], ["RPC-L1", "RPC-L2", "RPC-L3"])
    assert isinstance(line_ids, list) and len(line_ids) == 3 and all(isinstance(i, int) for i in line_ids)
    assert move_lines(inv_user, move_id) == [("RPC-L1", 1), ("RPC-L2", 1), ("RPC-L3", 1)]
    res = inv_user("stock.picking", "button_validate", [picking_id], context={"skip_sms": True})
    assert res is True
    (picking,) = inv_user("stock.picking", "read", [picking_id], ["state"])
    assert picking["state"] == "done"
    # refused: the serials are at the customer now
    _picking2, move2 = new_picking(server, "lot_serial_tracking.product_desk_lamp_demo", 1)
    before2 = move_lines(inv_user, move2)
    msg = fault(inv_user, "stock.move", "set_lot_names", [move2], ["RPC-L2"])
    assert "Serial RPC-L2 of [LAMP] Desk Lamp is at customer Deco Addict" in msg and "only after a return" in msg
    assert move_lines(inv_user, move2) == before2
    # refused: not on a receipt of a delivery-only product
    _receipt, receipt_move = new_picking(server, "lot_serial_tracking.product_desk_lamp_demo", 2, code="in")
    msg = fault(inv_user, "stock.move", "set_lot_names", [receipt_move], ["RPC-IN-1", "RPC-IN-2"])
    assert "captured at delivery only" in msg
    assert inv_user("stock.lot", "search_count", [("name", "=like", "RPC-IN-%")]) == 0


def test_set_lot_names_lot_receipt(server):
    """A standard lot-tracked receipt (Wood Glue) as a Manufacturing User: the demand is split over the lots."""
    mrp_user = server.as_user["mrp_user"]
    _picking, move_id = new_picking(server, "lot_serial_tracking.product_wood_glue_demo", 10, code="in")
    line_ids = mrp_user("stock.move", "set_lot_names", [move_id], ["RPC-GLUE-A", "RPC-GLUE-B", "RPC-GLUE-C"])
    assert len(line_ids) == 3
    assert move_lines(mrp_user, move_id) == [("RPC-GLUE-A", 3.33), ("RPC-GLUE-B", 3.33), ("RPC-GLUE-C", 3.34)]
    # a second call replaces the lines
    assert len(server.as_user["inv_admin"]("stock.move", "set_lot_names", [move_id], ["RPC-GLUE-D"])) == 1
    assert move_lines(mrp_user, move_id) == [("RPC-GLUE-D", 10)]
    msg = fault(mrp_user, "stock.move", "set_lot_names", [move_id], [" "])
    assert "Name #1 is empty or not a text" in msg
    assert move_lines(mrp_user, move_id) == [("RPC-GLUE-D", 10)]


# ---------------------------------------------------------------------------------------------- recall
RECALL_KEYS = {
    "partner_id",
    "partner_name",
    "picking_id",
    "picking_name",
    "product_id",
    "product_name",
    "lot_id",
    "lot_name",
    "delivered_product_id",
    "delivered_product_name",
    "date",
    "quantity",
    "returned_quantity",
    "net_quantity",
    "uom_name",
    "state",
    "via_lot_id",
    "via_lot_name",
    "via_production_id",
    "via_production_name",
    "via_path",
    "company_id",
}


def test_get_recall_lines(server):
    admin, inv_user = server.admin, server.as_user["inv_user"]
    partner_id = admin("res.partner", "create", {"name": "RPC Recall Customer"})
    picking_id, move_id = new_picking(server, "lot_serial_tracking.product_desk_lamp_demo", 2, partner_id=partner_id)
    inv_user("stock.move", "set_lot_names", [move_id], ["RCL-1", "RCL-2"])
    assert inv_user("stock.picking", "button_validate", [picking_id], context={"skip_sms": True}) is True
    lot_ids = inv_user("stock.lot", "search", [("name", "in", ["RCL-1", "RCL-2"])], order="name")
    assert len(lot_ids) == 2
    lines = inv_user("stock.lot", "get_recall_lines", lot_ids)
    assert_plain(lines)
    assert len(lines) == 2 and all(set(line) == RECALL_KEYS for line in lines)
    (picking,) = admin("stock.picking", "read", [picking_id], ["name"])
    first = lines[0]
    assert first["partner_id"] == partner_id and first["partner_name"] == "RPC Recall Customer"
    assert first["picking_id"] == picking_id and first["picking_name"] == picking["name"]
    assert (
        first["lot_id"] == lot_ids[0] and first["lot_name"] == "RCL-1" and first["product_name"].endswith("Desk Lamp")
    )
    lamp_id = admin.ref("lot_serial_tracking.product_desk_lamp_demo")
    assert first["delivered_product_id"] == first["product_id"] == lamp_id
    assert (first["quantity"], first["returned_quantity"], first["net_quantity"]) == (1.0, 0.0, 1.0)
    assert first["state"] == "delivered" and first["uom_name"] == "Units"
    assert first["via_lot_id"] is first["via_path"] is first["via_production_name"] is False
    assert len(first["date"]) == 19 and first["date"][10] == "T"
    assert server.as_user["mrp_user"]("stock.lot", "get_recall_lines", lot_ids) == lines
    assert server.as_user["inv_admin"]("stock.lot", "get_recall_lines", lot_ids[1:]) == lines[1:]
    # nothing delivered, no lot given
    glue_lot = admin.ref("lot_serial_tracking.lot_wood_glue_demo")
    assert inv_user("stock.lot", "get_recall_lines", [glue_lot]) == []
    assert inv_user("stock.lot", "get_recall_lines", []) == []
    # refused: portal user, unknown lot
    assert "not allowed to access" in fault(server.as_user["portal"], "stock.lot", "get_recall_lines", lot_ids)
    assert "does not exist" in fault(inv_user, "stock.lot", "get_recall_lines", [987654321])
    # a recall writes nothing the caller can see (the recall list is the UI's business)
    assert inv_user("stock.recall.line", "search_count", []) == 0


def _serial_mo(admin, name, qty, tracking="serial"):
    """A confirmed MO of `qty` units of a new serial (or lot) product with one untracked component in stock."""
    comp = admin("product.product", "create", {"name": f"{name} part", "is_storable": True})
    stock = admin.ref("stock.stock_location_stock")
    quant = admin("stock.quant", "create", {"product_id": comp, "location_id": stock, "inventory_quantity": 100})
    assert "cannot marshal None" in fault(admin, "stock.quant", "action_apply_inventory", [quant])
    product = admin("product.product", "create", {"name": name, "is_storable": True, "tracking": tracking})
    tmpl = admin("product.product", "read", [product], ["product_tmpl_id"])[0]["product_tmpl_id"][0]
    admin(
        "mrp.bom",
        "create",
        {"product_tmpl_id": tmpl, "product_qty": 1, "bom_line_ids": [(0, 0, {"product_id": comp, "product_qty": 1})]},
    )
    mo = admin("mrp.production", "create", {"product_id": product, "product_qty": qty})
    admin("mrp.production", "action_confirm", [mo])
    return mo, product


def test_batch_produce(server):
    admin, mrp_user = server.admin, server.as_user["mrp_user"]
    mo, product = _serial_mo(admin, "RPC chair", 3)
    # refused: bad argument (count differs, duplicate) and a portal user; the MO is untouched
    msg = fault(mrp_user, "mrp.production", "batch_produce", [mo], ["RC-1", "RC-1"])
    assert "RC-1" in msg and "line" in msg.lower()
    msg = fault(mrp_user, "mrp.production", "batch_produce", [mo], "RC-1")
    assert "list" in msg
    assert "not allowed" in fault(server.as_user["portal"], "mrp.production", "batch_produce", [mo], ["A", "B", "C"])
    (state,) = admin("mrp.production", "read", [mo], ["state", "product_qty", "name"])
    assert state["state"] == "confirmed" and state["product_qty"] == 3 and "-001" not in state["name"]
    # passing call, as a Manufacturing User: ids of the split MOs, all done, one serial each
    ids = mrp_user("mrp.production", "batch_produce", [mo], ["RC-1", "RC-2", "RC-3"], mark_done=True)
    assert isinstance(ids, list) and len(ids) == 3 and all(isinstance(i, int) for i in ids) and ids[0] == mo
    mos = admin("mrp.production", "read", ids, ["name", "state", "lot_producing_id"])
    assert [m["state"] for m in mos] == ["done"] * 3
    assert sorted(m["lot_producing_id"][1] for m in mos) == ["RC-1", "RC-2", "RC-3"]
    assert mos[0]["name"].endswith("-001")
    # refused: a serial that already exists for this product, on another MO of it
    mo2 = admin("mrp.production", "create", {"product_id": product, "product_qty": 2})
    admin("mrp.production", "action_confirm", [mo2])
    msg = fault(mrp_user, "mrp.production", "batch_produce", [mo2], ["RC-2", "RC-9"])
    assert "RC-2" in msg
    (state,) = admin("mrp.production", "read", [mo2], ["state", "lot_producing_id"])
    assert state["state"] == "confirmed" and not state["lot_producing_id"]


def test_batch_produce_bad_input_and_backorder(server):
    """Non-finite quantities, several MOs or ids that are not integers where one MO is expected: a
    UserError saying what to fix (no traceback), nothing changed. Fewer units than the MO: a backorder MO."""
    admin, mrp_user = server.admin, server.as_user["mrp_user"]
    lot_mo, _lot_product = _serial_mo(admin, "RPC paint", 10, tracking="lot")
    mo, _product = _serial_mo(admin, "RPC stool", 3)

    def refused(*args, **kwargs):
        msg = fault(mrp_user, "mrp.production", *args, **kwargs)
        assert "Traceback" not in msg, msg
        return msg

    for qty in ("nan", "inf", "1e309"):
        msg = refused("batch_produce", [lot_mo], [f"X;{qty}"])
        assert "Line 1:" in msg and "is not a quantity" in msg, msg
    msg = refused("batch_produce", [mo, lot_mo], ["A", "B", "C"])
    assert "one manufacturing order at a time; 2 were given" in msg
    msg = refused("action_lst_batch_produce", [mo, lot_mo])
    assert "one manufacturing order at a time" in msg
    for bad_ids in (["abc"], [1.5], [True]):
        msg = refused("batch_produce", bad_ids, ["A"])
        assert "Give the id of one manufacturing order (an integer)" in msg
    assert "does not exist" in refused("batch_produce", [999999999], ["A"])
    assert "mark_done must be true" in refused("batch_produce", [mo], ["A"], mark_done="yes")
    # the wizard: nan/inf numbers, several wizards at once
    msg = fault(mrp_user, "mrp.batch.produce", "create", {"production_id": lot_mo, "lst_lot_size": float("nan")})
    assert "Units per Lot must be a number" in msg and "Traceback" not in msg
    wiz = [
        mrp_user("mrp.batch.produce", "create", {"production_id": m, "production_text": "W-1"}) for m in (mo, lot_mo)
    ]
    msg = fault(mrp_user, "mrp.batch.produce", "action_done", wiz)
    assert "one Batch Production wizard at a time" in msg and "Traceback" not in msg
    for m, qty in ((mo, 3), (lot_mo, 10)):
        (state,) = admin("mrp.production", "read", [m], ["state", "product_qty", "name", "lot_producing_id"])
        assert state["state"] == "confirmed" and state["product_qty"] == qty and not state["lot_producing_id"]
    # fewer serials than the MO: the MOs of the lines, then the backorder MO with the rest
    ids = mrp_user("mrp.production", "batch_produce", [mo], ["RB-1", "RB-2"])
    mos = admin("mrp.production", "read", ids, ["state", "product_qty", "lot_producing_id"])
    assert [(m["state"], m["product_qty"]) for m in mos] == [("done", 1), ("done", 1), ("confirmed", 1)]
    assert not mos[2]["lot_producing_id"]


def test_get_checklist(server):
    inv_admin = server.as_user["inv_admin"]
    tmpl_id = inv_admin("product.template", "create", {"name": "RPC hand tracked", "is_storable": True})
    server.admin("product.template", "write", [tmpl_id], {"tracking": "lot"})
    checks = inv_admin("stock.tracking.rule", "get_checklist")
    assert [c["code"] for c in checks] == [
        "lots_disabled",
        "tracked_without_rule",
        "stock_without_numbers",
        "expiry_without_fefo",
        "lots_without_expiry",
        "expired_in_stock",
        "serials_created_at_shipping",
        "lot_names_shared",
    ]
    by_code = {c["code"]: c for c in checks}
    hand = by_code["tracked_without_rule"]
    assert hand["res_model"] == "product.template" and tmpl_id in hand["res_ids"] and hand["ok"] is False
    assert all(isinstance(c["count"], int) and isinstance(c["how_to_fix"], str) for c in checks)
    # refused: not an Inventory Administrator, or a company the user is not in
    msg = fault(server.as_user["inv_user"], "stock.tracking.rule", "get_checklist")
    assert "Only Inventory Administrators" in msg
    msg = fault(server.as_user["portal"], "stock.tracking.rule", "get_checklist")
    assert "Only Inventory Administrators" in msg or "not allowed" in msg
    company_id = server.admin("res.company", "create", {"name": "RPC other company"})
    msg = fault(inv_admin, "stock.tracking.rule", "get_checklist", context={"allowed_company_ids": [company_id]})
    assert "Access to unauthorized or invalid companies" in msg
