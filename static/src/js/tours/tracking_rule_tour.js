/** @odoo-module **/
import { registry } from "@web/core/registry";

// Create a tracking rule from Inventory > Configuration > Tracking Rules.
registry.category("web_tour.tours").add("lot_serial_tracking_rule_create", {
    url: "/odoo/action-lot_serial_tracking.stock_tracking_rule_action",
    steps: () => [
        { trigger: ".o_list_button_add", run: "click" },
        // a new rule: Next Number and Next Name agree
        { trigger: ".o_field_widget[name=lot_number_next] input:value(1)" },
        { trigger: ".o_field_widget[name=lot_name_preview]:contains('00001')" },
        { trigger: ".o_field_widget[name=name] input", run: "edit Tour serial rule" },
        { trigger: ".o_field_widget[name=lot_prefix] input", run: "edit TOUR-" },
        { trigger: ".o_field_widget[name=lot_padding] input", run: "edit 3" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_field_widget[name=lot_name_preview]:contains('TOUR-001')" },
        { trigger: ".o_form_saved .o_field_widget[name=lot_number_next] input:value(1)" },
        { trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a", run: "click" },
        { trigger: ".o_list_view .o_data_cell:contains('Tour serial rule')" },
    ],
});

// The product form's Tracking Rule row: the placeholder is readable whole, and the capture mode and
// the category's rule never wrap inside themselves (checked at the tour browser's 1366 px width).
function wraps(el) {
    const range = document.createRange();
    range.selectNodeContents(el);
    const lineHeight = Math.max(...[...range.getClientRects()].map((r) => r.height));
    return range.getBoundingClientRect().height > 1.5 * lineHeight;
}
registry.category("web_tour.tours").add("lot_serial_tracking_product_rule_row", {
    steps: () => [
        {
            trigger: ".o_form_view .o_field_widget[name=tracking_rule_id] input",
            run() {
                const input = this.anchor;
                const style = getComputedStyle(input);
                const ctx = document.createElement("canvas").getContext("2d");
                ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
                const room =
                    input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                const needed = ctx.measureText(input.placeholder).width;
                if (!input.placeholder || needed > room) {
                    throw new Error(`placeholder "${input.placeholder}" needs ${needed}px, has ${room}px`);
                }
            },
        },
        {
            trigger: ".o_form_view .o_field_widget[name=tracking_capture]:contains('At Every Operation')",
            run() {
                if (wraps(this.anchor)) {
                    throw new Error("the capture mode wraps");
                }
            },
        },
        {
            trigger: ".o_form_view span:contains('Category rule:') .o_field_widget[name=effective_tracking_rule_id]:contains('Row category rule')",
            run() {
                if (wraps(this.anchor)) {
                    throw new Error("the category's rule wraps");
                }
            },
        },
        { trigger: ".o_form_view button:contains('Change Tracking')" },
    ],
});
