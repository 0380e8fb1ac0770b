/** @odoo-module **/
import { registry } from "@web/core/registry";

// A confirmed MO of 3 serial-tracked units: Produce All -> Batch Production -> Generate -> Produce.
registry.category("web_tour.tours").add("lot_serial_tracking_batch_produce", {
    steps: () => [
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=button_mark_done]:contains('Produce All'):visible",
            run: "click",
        },
        { trigger: ".modal .o_field_widget[name=lot_name] input:value(BPS-0001)" },
        { trigger: ".modal .o_field_widget[name=lot_qty] input:value(3)" },
        { trigger: ".modal button[name=action_generate_production_text]", run: "click" },
        { trigger: ".modal .o_field_widget[name=production_text] textarea:value(/BPS-0003/)" },
        { trigger: ".modal .o_field_widget[name=lst_summary]:contains('3 serials')" },
        { trigger: ".modal .o_field_widget[name=lst_summary]:contains('No problem found')" },
        { trigger: ".modal footer button[name=action_done]", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_form_view .o_field_widget[name=state] .o_arrow_button_current:contains('Done')" },
        { trigger: ".o_form_view .o_field_widget[name=name]:contains('-001')" },
        { trigger: ".o_form_view button[name=action_view_mrp_production_backorders]:contains('3')" },
        { trigger: ".o_form_view .o_form_saved, .o_form_view:not(:has(.o_form_dirty))" },
    ],
});
