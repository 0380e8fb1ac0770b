/** @odoo-module **/
import { Component, xml } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

// "Change Tracking" on the product form. A plain action button saves the product first, and the
// save of a tracking change on a product with stock is refused: the button could not be used from
// the very state that asks for it. This one puts the saved tracking back on the form (saving the
// other edits, if any), then opens the wizard with the requested tracking and rule pre-filled.
const m2oId = (value) => (Array.isArray(value) ? value[0] : value?.id || false);

export class LstChangeTrackingButton extends Component {
    static template = xml`
        <button type="button" class="btn btn-link p-0 o_lst_change_tracking" t-att-title="help" t-on-click="onClick">
            <i class="fa fa-exchange me-1" role="img"/><t t-esc="label"/>
        </button>`;
    static props = { ...standardWidgetProps };

    setup() {
        this.action = useService("action");
        this.orm = useService("orm");
        this.label = _t("Change Tracking");
        this.help = _t("Change the tracking or the tracking rule of this product and convert its stock");
    }

    async onClick() {
        const record = this.props.record;
        if (!record.resId) {
            return;
        }
        const [saved] = await this.orm.read(record.resModel, [record.resId], ["tracking", "tracking_rule_id"]);
        const wanted = { tracking: record.data.tracking, ruleId: m2oId(record.data.tracking_rule_id) };
        const requested = wanted.tracking !== saved.tracking || wanted.ruleId !== m2oId(saved.tracking_rule_id);
        const context = {
            active_model: record.resModel,
            active_id: record.resId,
            active_ids: [record.resId],
        };
        if (requested) {
            Object.assign(context, {
                default_tracking: wanted.tracking,
                default_tracking_rule_id: wanted.ruleId,
            });
            await record.update({ tracking: saved.tracking, tracking_rule_id: saved.tracking_rule_id });
        }
        if ((await record.isDirty()) && !(await record.save())) {
            return;
        }
        await this.action.doAction("lot_serial_tracking.stock_tracking_change_action", {
            additionalContext: context,
            onClose: () => record.load(),
        });
    }
}

registry.category("view_widgets").add("lst_change_tracking_button", {
    component: LstChangeTrackingButton,
});
