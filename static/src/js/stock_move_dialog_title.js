/** @odoo-module **/
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { StockMoveX2ManyField } from "@stock/views/picking_form/stock_move_one2many";

// The detailed operations of a delivery-only product on its delivery open as "Open: Stock move"
// (Odoo's generic title); name what the dialog is for instead. Other moves keep Odoo's title.
patch(StockMoveX2ManyField.prototype, {
    setup() {
        super.setup(...arguments);
        const openRecord = this._openRecord;
        this._openRecord = (params) => {
            const record = params.record;
            if (record?.data?.lst_capture_here && !params.title) {
                const product = record.data.product_id;
                const name = Array.isArray(product) ? product[1] : product?.display_name || "";
                const title =
                    record.data.has_tracking === "lot"
                        ? _t("Lot Numbers to Deliver: %s", name)
                        : _t("Serial Numbers to Deliver: %s", name);
                params = { ...params, title };
            }
            return openRecord(params);
        };
    },
});
