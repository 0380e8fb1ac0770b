/** @odoo-module **/
import { registry } from "@web/core/registry";

// Receipt > detailed operations > "Generate Serials/Lots": the first serial is pre-filled with the
// rule's next name, and the generated names are the rule's free names (RCV-002 is taken).
registry.category("web_tour.tours").add("lot_serial_tracking_receipt_generate_tour", {
    steps: () => [
        { trigger: ".o_form_view .fa-list", run: "click" },
        { trigger: ".modal .o_widget_generate_serials > button", run: "click" },
        { trigger: ".modal h4:contains('Generate Serial numbers')" },
        { trigger: ".modal div[name=next_serial] input:value(RCV-001)" },
        { trigger: ".modal .modal-footer .btn-primary:contains('Generate')", run: "click" },
        { trigger: ".modal .o_field_cell[name=lot_name]:contains('RCV-004')" },
        { trigger: ".modal button:contains(save)", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
    ],
});
