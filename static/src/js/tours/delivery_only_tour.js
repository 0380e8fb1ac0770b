/** @odoo-module **/
import { registry } from "@web/core/registry";

// Delivery-only serial capture: a receipt is validated without any number, then the delivery
// gets its serials pasted in "Import Serials" and is validated.

// Serials pasted one per line in the Import Serials dialog (it reads the textarea value on Generate).
function pasteAndGenerate(text) {
    return [
        {
            trigger: ".modal textarea",
            run() {
                document.querySelector(".modal textarea").value = text;
            },
        },
        { trigger: ".modal .modal-footer button:contains('Generate')", run: "click" },
    ];
}
registry.category("web_tour.tours").add("lst_delivery_only_tour", {
    url: "/odoo/action-stock.action_picking_tree_all",
    steps: () => [
        { trigger: ".o_list_view .o_data_cell:contains('LST-TOUR-IN')", run: "click" },
        { trigger: ".o_form_view .o_statusbar_buttons button[name=button_validate]", run: "click" },
        { trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Done')" },
        { trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a", run: "click" },
        { trigger: ".o_list_view .o_data_cell:contains('LST-TOUR-OUT')", run: "click" },
        {
            trigger: ".o_field_widget[name=move_ids_without_package] button[name='Open Move']",
            run: "click",
        },
        { trigger: ".modal input.o_lst_scan_serial, .modal .o_lst_scan_serial input" },
        { trigger: ".modal button:contains('Import Serials')", run: "click" },
        // three serials for a demand of 2: refused before any line is made
        ...pasteAndGenerate("TOUR-A\nTOUR-B\nTOUR-C"),
        { trigger: ".o_error_dialog:contains('3 serial numbers pasted for a demand of 2')" },
        { trigger: ".o_error_dialog .modal-footer .btn-primary", run: "click" },
        { trigger: "body:not(:has(.o_error_dialog))" },
        ...pasteAndGenerate("TOUR-A\nTOUR-B"),
        { trigger: ".modal .o_data_cell:contains('TOUR-B')" },
        { trigger: ".modal .modal-footer .btn-primary", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_form_view .o_statusbar_buttons button[name=button_validate]", run: "click" },
        { trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Done')" },
        { trigger: ".o_form_view .o_form_saved" },
    ],
});
