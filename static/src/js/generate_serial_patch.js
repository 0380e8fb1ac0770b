/** @odoo-module **/
import { onMounted } from "@odoo/owl";
import { patch } from "@web/core/utils/patch";
import { GenerateDialog } from "@stock/widgets/generate_serial";

// "Generate Serials/Lots" of the detailed operations: pre-fill "First Lot/Serial Number" with the
// next name of the product's tracking rule (Odoo leaves it empty). Nothing changes without a rule.
patch(GenerateDialog.prototype, {
    setup() {
        super.setup(...arguments);
        onMounted(async () => {
            const productId = this.props.move.data.product_id?.[0] || this.props.move.data.product_id?.id;
            if (this.props.mode !== "generate" || !productId || !this.nextSerial.el) {
                return;
            }
            const name = await this.orm.call("stock.lot", "lst_propose_first_name", [productId]);
            if (name && this.nextSerial.el && !this.nextSerial.el.value) {
                this.nextSerial.el.value = name;
            }
        });
    },
});
