/** @odoo-module **/
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// Inventory > Configuration > Tracking Rules: create a lot rule, put it on the category
// "Tour Category", then convert "Tour Bolt" (plain stock, set up by the Python test) to that rule
// with the Change Tracking wizard (numbers generated from the rule).
registry.category("web_tour.tours").add("lot_serial_tracking_change_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        { trigger: '.o_app[data-menu-xmlid="stock.menu_stock_root"]', run: "click" },
        { trigger: 'button[data-menu-xmlid="stock.menu_stock_config_settings"]', run: "click" },
        { trigger: '.dropdown-item[data-menu-xmlid="lot_serial_tracking.stock_tracking_rule_menu"]', run: "click" },
        { trigger: ".o_list_button_add", run: "click" },
        { trigger: ".o_field_widget[name=name] input", run: "edit Tour lot rule" },
        { trigger: ".o_field_widget[name=tracking] .o_radio_item:contains('By Lots') input", run: "click" },
        { trigger: ".o_field_widget[name=lot_prefix] input", run: "edit TLR-" },
        { trigger: ".o_field_widget[name=lot_padding] input", run: "edit 3" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved .o_field_widget[name=lot_name_preview]:contains('TLR-001')" },
        // the category
        { trigger: 'button[data-menu-xmlid="stock.menu_stock_config_settings"]', run: "click" },
        { trigger: '.dropdown-item[data-menu-xmlid="stock.menu_product_category_config_stock"]', run: "click" },
        { trigger: ".o_list_view .o_data_cell:contains('Tour Category')", run: "click" },
        { trigger: ".o_field_widget[name=tracking_rule_id] input", run: "edit Tour lot" },
        { trigger: ".o-autocomplete--dropdown-item:contains('Tour lot rule')", run: "click" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved .o_field_widget[name=tracking_rule_id] input:value(Tour lot rule)" },
        // the product with stock
        { trigger: 'button[data-menu-xmlid="stock.menu_stock_inventory_control"]', run: "click" },
        { trigger: '.dropdown-item[data-menu-xmlid="stock.menu_product_variant_config_stock"]', run: "click" },
        { trigger: ".o_searchview_input", run: "edit Tour Bolt" },
        { trigger: ".o_searchview_input", run: "press Enter" },
        { trigger: ".o_kanban_record:contains('Tour Bolt')", run: "click" },
        { trigger: ".o_form_view button:contains('Change Tracking')", run: "click" },
        { trigger: ".modal .o_field_widget[name=tracking_rule_id] input", run: "edit Tour lot" },
        { trigger: ".o-autocomplete--dropdown-item:contains('Tour lot rule')", run: "click" },
        { trigger: ".modal button[name=action_generate]", run: "click" },
        { trigger: ".modal .o_data_cell[name=lot_text]:contains('TLR-001')" },
        { trigger: ".modal .o_data_cell[name=lot_text]:contains('TLR-002')" },
        { trigger: ".modal button[name=action_confirm]", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_form_view .o_field_widget[name=tracking_capture]:contains('At Every Operation')" },
        { trigger: ".o_breadcrumb .breadcrumb-item a", run: "click" },
        { trigger: ".o_kanban_view .o_kanban_record:contains('Tour Bolt')" },
    ],
});
