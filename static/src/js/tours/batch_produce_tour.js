/** @odoo-module **/
import { registry } from "@web/core/registry";

const summary = ".modal .o_field_widget[name=lst_summary]";
const text = ".modal .o_field_widget[name=production_text] textarea";

// A confirmed MO of 3 serial-tracked units: Produce All -> Batch Production -> a duplicate shown in red
// -> Generate -> Produce.
registry.category("web_tour.tours").add("lot_serial_tracking_batch_produce", {
    steps: () => [
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=button_mark_done]:contains('Produce All'):visible",
            run: "click",
        },
        { trigger: ".modal .o_field_widget[name=lot_name] input:value(BPS-0001)" },
        { trigger: ".modal .o_field_widget[name=lot_qty] input:value(3)" },
        { trigger: ".modal label:contains('Number of SN')" },
        // every line counts, the duplicate is a problem shown in red (not in the grey of the counts)
        {
            trigger: text,
            async run(helpers) {
                await helpers.edit("BPS-0001\nBPS-0002\nBPS-0001\nBPS-0003");
            },
        },
        { trigger: ".modal .o_field_widget[name=lot_name] input", run: "click" },
        { trigger: `${summary} .o_lst_summary_head:contains('4 serials, 1 duplicate')` },
        { trigger: `${summary} .alert-danger .o_lst_summary_problem.text-danger:contains('BPS-0001 is already on line 1')` },
        { trigger: `${summary}:not(:has(.o_lst_summary_ok))` },
        { trigger: ".modal button[name=action_generate_production_text]:visible", run: "click" },
        { trigger: ".modal .o_field_widget[name=production_text] textarea:value(/BPS-0003/)" },
        { trigger: `${summary}:contains('3 serials')` },
        { trigger: `${summary} .o_lst_summary_ok.text-success:contains('No problem found')` },
        { trigger: `${summary}:not(:has(.alert-danger))` },
        { trigger: ".modal footer button[name=action_done]", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_form_view .o_field_widget[name=state] .o_arrow_button_current:contains('Done')" },
        { trigger: ".o_form_view .o_field_widget[name=name]:contains('-001')" },
        { trigger: ".o_form_view button[name=action_view_mrp_production_backorders]:contains('3')" },
        { trigger: ".o_form_view .o_form_saved, .o_form_view:not(:has(.o_form_dirty))" },
    ],
});

// A confirmed MO of 10 units of a lot-tracked product: Batch Production in lot mode (labels speak of
// lots; Units per Lot follows the number of lots), 3 lots of 3 leave 1 unit in a backorder MO, then the
// Backorders list shows whole MO references and each MO's lot.
registry.category("web_tour.tours").add("lot_serial_tracking_batch_produce_lots", {
    steps: () => [
        { trigger: ".o_form_view .o_statusbar_buttons button[name=action_lst_batch_produce]", run: "click" },
        { trigger: ".modal .o_field_widget[name=lot_qty] input:value(1)" },
        { trigger: ".modal label:contains('Number of Lots'):visible" },
        { trigger: ".modal:not(:has(label:contains('Number of SN'):visible))" },
        { trigger: ".modal .o_field_widget[name=production_text_help]:contains('one line per lot')" },
        { trigger: ".modal:not(:has(.o_field_widget[name=production_text_help]:contains('serial')))" },
        { trigger: ".modal .o_field_widget[name=lst_lot_size] input:value(10.00)" },
        { trigger: ".modal .o_field_widget[name=lot_qty] input", run: "edit 4" },
        { trigger: ".modal .o_field_widget[name=lot_name] input", run: "click" },
        { trigger: ".modal .o_field_widget[name=lst_lot_size] input:value(2.50)" },
        { trigger: ".modal .o_field_widget[name=lot_qty] input", run: "edit 3" },
        { trigger: ".modal .o_field_widget[name=lot_name] input", run: "click" },
        { trigger: ".modal .o_field_widget[name=lst_lot_size] input:value(3.33)" },
        { trigger: ".modal .o_field_widget[name=lst_lot_size] input", run: "edit 3" },
        { trigger: ".modal .o_field_widget[name=lot_name] input", run: "click" },
        { trigger: ".modal button[name=action_generate_production_text]:visible", run: "click" },
        { trigger: ".modal .o_field_widget[name=production_text] textarea:value(/BPL-003/)" },
        { trigger: `${summary}:contains('3 lots, 9 Units: first BPL-001, last BPL-003')` },
        { trigger: `${summary} .o_lst_summary_backorder:contains('Backorder: 1 Units of the 10 Units')` },
        { trigger: `${summary} .o_lst_summary_ok:contains('No problem found')` },
        { trigger: ".modal footer button[name=action_done]", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_form_view .o_field_widget[name=name]:contains('-001')" },
        { trigger: ".o_form_view .o_field_widget[name=state] .o_arrow_button_current:contains('Done')" },
        { trigger: ".o_form_view button[name=action_view_mrp_production_backorders]:contains('4')", run: "click" },
        { trigger: ".o_list_view th[data-name=lot_producing_id]" },
        { trigger: ".o_list_view .o_data_row td[name=lot_producing_id]:contains('BPL-003')" },
        {
            trigger: ".o_list_view .o_data_row td[name=name]:contains('-004')",
            run() {
                for (const cell of document.querySelectorAll(".o_list_view .o_data_row td[name=name]")) {
                    if (cell.scrollWidth > cell.clientWidth) {
                        throw new Error(`MO reference cut in the Backorders list: ${cell.textContent}`);
                    }
                }
            },
        },
    ],
});

// A confirmed MO of 2 chairs whose BoM has a lot-tracked glue (2 per chair) and a serial-tracked wheel
// (2 per chair): the Components list takes the glue lot for every unit and the first wheel serial, Generate,
// the summary names them, Produce.
registry.category("web_tour.tours").add("lot_serial_tracking_batch_produce_components", {
    steps: () => [
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=button_mark_done]:contains('Produce All'):visible",
            run: "click",
        },
        { trigger: ".modal .o_lst_batch_components .o_data_row td[name=product_id]:contains('BC wheel')" },
        {
            trigger: ".modal .o_lst_batch_components .o_data_row:contains('BC glue') td[name=lot_id]",
            run: "click",
        },
        { trigger: ".modal .o_lst_batch_components .o_data_row:contains('BC glue') td[name=lot_id] input", run: "edit GLUE-7" },
        { trigger: ".ui-autocomplete a:contains('GLUE-7')", run: "click" },
        {
            trigger: ".modal .o_lst_batch_components .o_data_row:contains('BC wheel') td[name=first_serial]",
            run: "click",
        },
        {
            trigger: ".modal .o_lst_batch_components .o_data_row:contains('BC wheel') td[name=first_serial] input",
            run: "edit CMP-0003",
        },
        { trigger: ".modal button[name=action_generate_production_text]:visible", run: "click" },
        { trigger: `${summary} .o_lst_summary_component:contains('lot GLUE-7 for every unit')` },
        { trigger: `${summary} .o_lst_summary_component:contains('serials from CMP-0003')` },
        { trigger: `${summary} .o_lst_summary_ok:contains('No problem found')` },
        { trigger: ".modal footer button[name=action_done]", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_form_view .o_field_widget[name=state] .o_arrow_button_current:contains('Done')" },
    ],
});
