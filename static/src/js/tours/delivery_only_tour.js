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
// Scan Serial: type the serial and press Enter, as a barcode scanner does.
function scan(serial) {
    return [{ trigger: ".modal .o_lst_scan_serial input", run: `edit ${serial} && press Enter` }];
}

registry.category("web_tour.tours").add("lst_delivery_only_tour", {
    url: "/odoo/action-stock.action_picking_tree_all",
    steps: () => [
        { trigger: ".o_list_view .o_data_cell:contains('LST-TOUR-IN')", run: "click" },
        { trigger: ".o_form_view .o_statusbar_buttons button[name=button_validate]", run: "click" },
        { trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Done')" },
        { trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a", run: "click" },
        { trigger: ".o_list_view .o_data_cell:contains('LST-TOUR-OUT')", run: "click" },
        // the operations say that serials will be asked, before Validate does
        { trigger: ".o_field_widget[name=move_ids_without_package] .o_data_cell[name=lst_serial_progress]:contains('serials: 0/2')" },
        {
            trigger: ".o_field_widget[name=move_ids_without_package] button[name='Open Move']",
            run: "click",
        },
        { trigger: ".modal .modal-title:contains('Serial Numbers to Deliver: [LAMP] Desk Lamp')" },
        // one Lot/Serial column (Scan, Generate and Import fill the same one)
        { trigger: ".modal .o_list_table th[data-name=lot_name]" },
        { trigger: ".modal .o_list_table:not(:has(th[data-name=lot_id]))" },
        // a scanner: every refusal is shown inline, no dialog; the next good scan clears it
        ...scan("TOUR-A"),
        { trigger: ".modal .o_data_cell[name=lot_name]:contains('TOUR-A')" },
        { trigger: ".modal .o_lst_serial_progress:contains('serials: 1/2')" },
        ...scan("TOUR-A"),
        { trigger: ".modal .o_lst_scan_message:contains('TOUR-A is already on this operation')" },
        ...scan("TOUR-B"),
        { trigger: ".modal:not(:has(.o_lst_scan_message))" },
        { trigger: ".modal .o_lst_serial_progress:contains('serials: 2/2')" },
        ...scan("TOUR-C"),
        { trigger: ".modal .o_lst_scan_message:contains('TOUR-C not added: 2 serial number(s) already given for a demand of 2')" },
        { trigger: "body:not(:has(.o_error_dialog)):not(:has(.o_notification:contains('TOUR-C')))" },
        { trigger: ".modal:not(:has(.o_data_cell[name=lot_name]:contains('TOUR-C')))" },
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
        { trigger: ".o_field_widget[name=move_ids_without_package] .o_data_cell[name=lst_serial_progress]:contains('serials: 2/2')" },
        { trigger: ".o_form_view .o_statusbar_buttons button[name=button_validate]", run: "click" },
        { trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Done')" },
        { trigger: ".o_form_view .o_form_saved" },
    ],
});
