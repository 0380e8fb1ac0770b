# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.3.0 renamed its XML ids the OCA way (<model>_view_form, <model>_action, <model>_menu,
<model>_rule_<who>, _demo on demo data). Rename them in ir_model_data before the new data loads, so the
upgrade updates the same records (menus, actions and their bookmarks, record rules, demo products with
stock and MOs) instead of creating new ones and deleting the old. The ids Odoo derives for the demo
products' templates (<id>_product_template) follow their variants. The lot form's two extensions became
one (stock_lot_view_form); the other, view_production_lot_form_recall, is removed by the upgrade like any
record no longer in the module's data."""

MODULE = "lot_serial_tracking"
RENAMED = [
    ("action_delivered_serials", "stock_move_line_delivered_serials_action"),
    ("action_report_stock_recall", "stock_recall_line_report_action"),
    ("action_server_stock_lot_recall", "stock_lot_recall_server_action"),
    ("action_stock_recall_line", "stock_recall_line_action"),
    ("action_stock_tracking_change", "stock_tracking_change_action"),
    ("action_stock_tracking_rule", "stock_tracking_rule_action"),
    ("menu_delivered_serials", "stock_move_line_delivered_serials_menu"),
    ("menu_stock_tracking_rule", "stock_tracking_rule_menu"),
    ("mrp_production_backorders_list", "mrp_production_view_list_backorders"),
    ("mrp_production_form_view", "mrp_production_view_form"),
    ("product_category_form_view", "product_category_view_form"),
    ("product_template_form_view", "product_template_view_form"),
    ("product_template_form_view_change_tracking", "product_template_view_form_change_tracking"),
    ("product_template_list_view", "product_template_view_list"),
    ("product_template_search_view", "product_template_view_search"),
    ("stock_recall_line_company_rule", "stock_recall_line_rule_company"),
    ("stock_recall_line_own_rule", "stock_recall_line_rule_own"),
    ("stock_tracking_change_line_own_rule", "stock_tracking_change_line_rule_own"),
    ("stock_tracking_change_own_rule", "stock_tracking_change_rule_own"),
    ("stock_tracking_rule_company_rule", "stock_tracking_rule_rule_company"),
    ("view_move_line_delivered_serials_list", "stock_move_line_delivered_serials_view_list"),
    ("view_move_line_delivered_serials_search", "stock_move_line_delivered_serials_view_search"),
    ("view_mrp_batch_produce_form", "mrp_batch_produce_view_form"),
    ("view_picking_form_lst_serial_progress", "stock_picking_view_form_serial_progress"),
    ("view_production_lot_form_lst_customer", "stock_lot_view_form"),
    ("view_stock_move_operations_lst", "stock_move_view_form_operations"),
    ("rule_serial_every_operation", "rule_serial_every_operation_demo"),
    ("rule_lot_every_operation", "rule_lot_every_operation_demo"),
    ("rule_serial_delivery_only", "rule_serial_delivery_only_demo"),
    ("categ_serialized_furniture", "categ_serialized_furniture_demo"),
    ("categ_demo_components", "categ_components_demo"),
    ("product_chair_seat", "product_chair_seat_demo"),
    ("product_chair_base", "product_chair_base_demo"),
    ("product_office_chair", "product_office_chair_demo"),
    ("product_wood_glue", "product_wood_glue_demo"),
    ("product_desk_lamp", "product_desk_lamp_demo"),
    ("product_chair_seat_product_template", "product_chair_seat_demo_product_template"),
    ("product_chair_base_product_template", "product_chair_base_demo_product_template"),
    ("product_office_chair_product_template", "product_office_chair_demo_product_template"),
    ("product_wood_glue_product_template", "product_wood_glue_demo_product_template"),
    ("product_desk_lamp_product_template", "product_desk_lamp_demo_product_template"),
    ("bom_office_chair", "bom_office_chair_demo"),
    ("bom_office_chair_line_seat", "bom_office_chair_line_seat_demo"),
    ("bom_office_chair_line_base", "bom_office_chair_line_base_demo"),
    ("quant_chair_seat", "quant_chair_seat_demo"),
    ("quant_chair_base", "quant_chair_base_demo"),
    ("quant_wood_glue", "quant_wood_glue_demo"),
    ("quant_desk_lamp", "quant_desk_lamp_demo"),
    ("mo_office_chair_5", "mo_office_chair_5_demo"),
    ("mo_office_chair_1", "mo_office_chair_1_demo"),
    ("mo_office_chair_draft", "mo_office_chair_draft_demo"),
    ("delivery_desk_lamp", "delivery_desk_lamp_demo"),
    ("delivery_wood_glue", "delivery_wood_glue_demo"),
]


def migrate(cr, version):
    for old, new in RENAMED:
        cr.execute(
            """UPDATE ir_model_data SET name = %s
                WHERE module = %s AND name = %s
                  AND NOT EXISTS (SELECT 1 FROM ir_model_data WHERE module = %s AND name = %s)""",
            (new, MODULE, old, MODULE, new),
        )
