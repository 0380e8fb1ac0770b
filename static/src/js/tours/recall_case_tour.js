/** @odoo-module **/
import { registry } from "@web/core/registry";

// A recall case from start to close, in two parts around a return received in the test code:
// lot -> Recall -> the case (draft) -> Open (lots blocked, customers listed) -> Notify Customers ...
registry.category("web_tour.tours").add("lot_serial_tracking_recall_case_open", {
    steps: () => [
        { trigger: ".o_breadcrumb:contains('RC-RESIN-1')" },
        { trigger: ".o-form-buttonbox button[name=action_lst_recall_case]", run: "click" },
        { trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Draft')" },
        { trigger: ".o_form_view .o_field_widget[name=reason] input", run: "edit Tour seal defect" },
        { trigger: ".o_form_view .o_statusbar_buttons button[name=action_open]", run: "click" },
        { trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Open')" },
        { trigger: ".o_form_view .o_field_widget[name=partner_count]:contains('2')" },
        { trigger: ".o_form_view .o_field_widget[name=customer_ids] .o_data_row:contains('Bob Recallee')" },
        { trigger: ".o_form_view .o_statusbar_buttons button[name=action_notify]", run: "click" },
        {
            trigger:
                ".o_form_view .o_field_widget[name=customer_ids] .o_data_row:contains('Bob Recallee') td[name=notified_on]:contains('/')",
        },
    ],
});

// ... Bob returns a panel (test code) -> the case's figures show it -> Close.
registry.category("web_tour.tours").add("lot_serial_tracking_recall_case_close", {
    steps: () => [
        { trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Open')" },
        { trigger: ".o_form_view .o_field_widget[name=qty_returned]:contains('1.00')" },
        { trigger: ".o_form_view .o_field_widget[name=qty_at_customer]:contains('2.00')" },
        {
            trigger:
                ".o_form_view .o_field_widget[name=customer_ids] .o_data_row:contains('Bob Recallee') td[name=qty_returned]:contains('1.00')",
        },
        { trigger: ".o_form_view .o_statusbar_buttons button[name=action_close]", run: "click" },
        { trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Closed')" },
    ],
});
