/** @odoo-module **/
import { registry } from "@web/core/registry";

// Lot list: select a lot, Block from the list header -> the reason dialog -> Apply; the badge says Blocked.
// Then its form: the ribbon and the reason, Release (Inventory Administrator) -> Released.
registry.category("web_tour.tours").add("lot_serial_tracking_lot_status", {
    steps: () => [
        { trigger: ".o_list_view .o_data_row:contains('LST-TOUR-1') .o_list_record_selector input", run: "click" },
        { trigger: ".o_list_view .o_control_panel button[name=action_lst_block]:visible", run: "click" },
        { trigger: ".modal .o_field_widget[name=status] input[data-value=blocked]:checked" },
        { trigger: ".modal .o_field_widget[name=lot_ids]:contains('LST-TOUR-1')" },
        { trigger: ".modal .o_field_widget[name=reason] input", run: "edit Tour complaint 42" },
        { trigger: ".modal footer button[name=action_apply]", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        {
            trigger: ".o_list_view .o_data_row:contains('LST-TOUR-1') .o_field_widget[name=lot_status] .text-bg-danger:contains('Blocked')",
        },
        { trigger: ".o_list_view .o_data_row:contains('LST-TOUR-1') td[name=name]", run: "click" },
        { trigger: ".o_form_view .ribbon:contains('Blocked')" },
        { trigger: ".o_form_view .o_field_widget[name=lot_status_reason]:contains('Tour complaint 42')" },
        { trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Blocked')" },
        { trigger: ".o_form_view .o-mail-Message:contains('Tour complaint 42')" },
        { trigger: ".o_form_view .o_statusbar_buttons button[name=action_lst_release]", run: "click" },
        { trigger: ".modal .o_field_widget[name=reason] input", run: "edit Tour lab passed" },
        { trigger: ".modal footer button[name=action_apply]", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Released')" },
        { trigger: ".o_form_view:not(:has(.ribbon))" },
    ],
});
