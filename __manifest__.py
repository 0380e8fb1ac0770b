# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Lot & Serial Tracking Rules",
    "summary": "Lot/serial tracking as a policy per product or category: capture at every "
    "operation or at delivery only, batch production of serials, recall lists",
    "version": "18.0.1.3.0",
    "category": "Inventory/Inventory",
    "license": "LGPL-3",
    "author": "lot_serial_tracking contributors",
    "website": "https://github.com/lot-serial-tracking/lot_serial_tracking",
    "depends": ["mrp", "stock", "product_expiry"],
    "data": [
        "security/ir.model.access.csv",
        "security/lot_serial_tracking_security.xml",
        "views/stock_tracking_rule_views.xml",
        "views/product_category_views.xml",
        "views/product_template_views.xml",
        "views/stock_move_views.xml",
        "views/stock_picking_views.xml",
        "views/stock_move_line_views.xml",
        "wizards/stock_tracking_change_views.xml",
        "security/stock_recall_security.xml",
        "views/stock_recall_line_views.xml",
        "views/stock_lot_views.xml",
        "report/stock_recall_report.xml",
        "wizards/mrp_batch_produce_views.xml",
        "views/mrp_production_views.xml",
        "wizards/stock_traceability_checklist_views.xml",
        "security/stock_lot_status_security.xml",
        "wizards/stock_lot_status_wizard_views.xml",
        "views/stock_location_views.xml",
        "data/stock_recall_sequence.xml",
        "data/stock_recall_mail_template.xml",
        "security/stock_recall_case_security.xml",
        "views/stock_recall_views.xml",
    ],
    "demo": [
        "demo/lot_serial_tracking_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "lot_serial_tracking/static/src/js/tours/*.js",
        ],
        "web.assets_backend": [
            "lot_serial_tracking/static/src/js/generate_serial_patch.js",
            "lot_serial_tracking/static/src/js/change_tracking_button.js",
            "lot_serial_tracking/static/src/js/stock_move_dialog_title.js",
        ],
    },
    "installable": True,
    "application": False,
}
