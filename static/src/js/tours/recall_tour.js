/** @odoo-module **/
import { registry } from "@web/core/registry";

// From a lot's form, start a recall case, open its customers (the recall list) and see the customers who received it: the customer groups
// open by default; a group's sums show only when its lines share one unit (Bob got resin in kg and
// a cabinet in Units), and there is no grand total over units.
registry.category("web_tour.tours").add("lot_serial_tracking_recall", {
    steps: () => [
        { trigger: ".o_breadcrumb:contains('RESIN-TOUR')" },
        // the lot's Recall button starts a recall case; its Customers button is the recall list
        { trigger: ".o-form-buttonbox button[name=action_lst_recall_case]", run: "click" },
        { trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Draft')" },
        { trigger: ".o_form_view .o_field_widget[name=lot_ids]:contains('RESIN-TOUR')" },
        { trigger: ".o-form-buttonbox button[name=action_lst_customers]", run: "click" },
        { trigger: ".o_list_view .o_group_name:contains('Alice Recallee')" },
        { trigger: ".o_list_view .o_group_name:contains('Bob Recallee')" },
        { trigger: ".o_list_view .o_group_name:contains('Dave Recallee')" },
        // open without a click
        { trigger: ".o_list_view .o_data_row .o_data_cell:contains('CAB-TOUR')" },
        { trigger: ".o_list_view .o_data_row .o_data_cell:contains('3.00')" },
        { trigger: ".o_list_view .o_group_header:contains('Dave Recallee') td:contains('3.00')" },
        { trigger: ".o_list_view .o_group_header:contains('Bob Recallee'):not(:has(td))" },
        {
            trigger: ".o_list_view .o_list_footer",
            run() {
                const footer = document.querySelector(".o_list_view .o_list_footer");
                if (footer.textContent.trim()) {
                    throw new Error(`no grand total expected, got "${footer.textContent.trim()}"`);
                }
            },
        },
        // a click still folds a group
        { trigger: ".o_group_name:contains('Bob Recallee')", run: "click" },
        { trigger: ".o_list_view:not(:has(.o_data_cell:contains('CAB-TOUR')))" },
        { trigger: ".o_breadcrumb:contains('Recall: RESIN-TOUR')" },
    ],
});
