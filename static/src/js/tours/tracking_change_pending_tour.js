/** @odoo-module **/
import { registry } from "@web/core/registry";

// A product with stock (3 units, 2 of them reserved by a delivery), tracked By Quantity. The user
// picks "By Unique Serial Number" on the product form: the warning points to Change Tracking, Save
// is refused, and Change Tracking opens from that refused state with the requested tracking. The
// wizard shows the reservation at once and unreserves it; a wrong list names its problems.
registry.category("web_tour.tours").add("lst_tracking_change_pending_tour", {
    steps: () => [
        { trigger: ".o_form_view .o_field_widget[name=tracking] select", run: 'select "serial"' },
        // Odoo's own warning said "do an inventory adjustment"; this one points to Change Tracking
        { trigger: ".modal:contains('This product has stock'):contains('Click \"Change Tracking\"')" },
        { trigger: ".modal:not(:contains('inventory adjustment'))" },
        { trigger: ".modal .modal-footer .btn-primary", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_error_dialog:contains('Change Tracking')" },
        { trigger: ".o_error_dialog .modal-footer .btn-primary", run: "click" },
        { trigger: "body:not(:has(.o_error_dialog))" },
        // the record is still dirty (serial, refused): the button works from here
        { trigger: ".o_form_view button:contains('Change Tracking')", run: "click" },
        { trigger: ".modal .o_lst_reserved:contains('LST-PENDING-OUT')" },
        { trigger: ".modal button[name=action_generate]" },
        { trigger: ".modal button[name=action_unreserve]", run: "click" },
        { trigger: ".modal .o_lst_unreserved" },
        { trigger: ".modal:not(:has(.o_lst_reserved))" },
        // a duplicate and a wrong count: both named on the line
        { trigger: ".modal .o_data_row .o_data_cell[name=lot_text]", run: "click" },
        {
            trigger: ".modal .o_data_row .o_field_widget[name=lot_text] textarea",
            async run(helpers) {
                await helpers.edit("PS-1\nPS-1");
            },
        },
        { trigger: ".modal .modal-title", run: "click" },
        {
            trigger:
                ".modal .o_data_cell[name=lot_summary]:contains('2 problem(s): duplicate names PS-1; 2 serial number(s) given for a quantity of 3')",
        },
        { trigger: ".modal .o_data_row .o_data_cell[name=lot_text]", run: "click" },
        { trigger: ".modal .o_data_row .o_field_widget[name=lot_text] textarea", run: "clear" },
        { trigger: ".modal .modal-title", run: "click" },
        { trigger: ".modal button[name=action_generate]", run: "click" },
        { trigger: ".modal .o_data_cell[name=lot_summary]:contains('3 name(s)')" },
        { trigger: ".modal button[name=action_confirm]", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_form_view .o_form_saved" },
        { trigger: ".o_form_view .o_field_widget[name=tracking_capture]:contains('At Every Operation')" },
    ],
});
