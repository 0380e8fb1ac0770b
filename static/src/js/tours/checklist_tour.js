/** @odoo-module **/
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// Inventory > Configuration > Traceability Checklist: every check is listed with its state, and a failing
// check opens its offending records in one click (here the product tracked by hand, without a rule).
registry.category("web_tour.tours").add("lot_serial_tracking_checklist_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        { trigger: ".o_app[data-menu-xmlid='stock.menu_stock_root']", run: "click" },
        { trigger: ".o_main_navbar button[data-menu-xmlid='stock.menu_stock_config_settings']", run: "click" },
        {
            trigger: ".dropdown-item[data-menu-xmlid='lot_serial_tracking.stock_traceability_checklist_menu']",
            run: "click",
        },
        { trigger: ".o_breadcrumb:contains('Traceability Checklist')" },
        { trigger: ".o_data_row:contains('No expired lot is left in stock')" },
        { trigger: ".o_data_row:contains('Lot names are not shared between products')" },
        { trigger: ".o_data_row .o_data_cell.text-success:contains('Serial numbers are not invented at shipping')" },
        {
            trigger:
                ".o_data_row:has(.o_data_cell.text-danger:contains('Tracked products follow a tracking rule')) " +
                ".o_data_cell[name=count]:contains('1')",
        },
        {
            trigger: ".o_data_row:contains('Tracked products follow a tracking rule') button[name=action_open_records]",
            run: "click",
        },
        { trigger: ".o_list_view .o_data_cell:contains('Tour Hand Tracked Lamp')" },
        { trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a", run: "click" },
        { trigger: ".o_form_view .o_data_row:contains('Tracked products follow a tracking rule')" },
    ],
});
