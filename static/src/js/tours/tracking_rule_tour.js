/** @odoo-module **/
import { registry } from "@web/core/registry";

// Create a tracking rule from Inventory > Configuration > Tracking Rules.
registry.category("web_tour.tours").add("lot_serial_tracking_rule_create", {
    url: "/odoo/action-lot_serial_tracking.action_stock_tracking_rule",
    steps: () => [
        { trigger: ".o_list_button_add", run: "click" },
        { trigger: ".o_field_widget[name=name] input", run: "edit Tour serial rule" },
        { trigger: ".o_field_widget[name=lot_prefix] input", run: "edit TOUR-" },
        { trigger: ".o_field_widget[name=lot_padding] input", run: "edit 3" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_field_widget[name=lot_name_preview]:contains('TOUR-001')" },
        { trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a", run: "click" },
        { trigger: ".o_list_view .o_data_cell:contains('Tour serial rule')" },
    ],
});
