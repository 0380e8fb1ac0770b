/** @odoo-module **/
import { registry } from "@web/core/registry";

// From a lot's form, open its recall and see the customers who received it (grouped by customer).
registry.category("web_tour.tours").add("lot_serial_tracking_recall", {
    steps: () => [
        { trigger: ".o_breadcrumb:contains('RESIN-TOUR')" },
        { trigger: ".o-form-buttonbox button[name=action_lst_recall]", run: "click" },
        { trigger: ".o_list_view .o_group_name:contains('Alice Recallee')" },
        { trigger: ".o_list_view .o_group_name:contains('Bob Recallee')" },
        { trigger: ".o_list_view .o_group_name:contains('Dave Recallee')", run: "click" },
        { trigger: ".o_list_view .o_data_row .o_data_cell:contains('RESIN-TOUR')" },
        { trigger: ".o_group_name:contains('Bob Recallee')", run: "click" },
        { trigger: ".o_list_view .o_data_cell:contains('CAB-TOUR')" },
        { trigger: ".o_breadcrumb:contains('Recall: RESIN-TOUR')" },
    ],
});
