/** @odoo-module **/
import { Component, useRef } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useInputField } from "@web/views/fields/input_field_hook";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * The text box of Batch Production (one line per serial, 10,000 lines and more).
 *
 * Odoo's text widget (web/views/fields/text/text_field.js) does three things per keystroke that cost
 * a lot on such a text: it grows the textarea to its whole content (autoresize: a 200,000 px box
 * laid out again on every input event), it spell-checks it, and it sends the text to the server on
 * Enter (useInputField commits on enter/tab), which recomputes the summary of every line. This
 * widget is a fixed-height textarea with its own scroll bar, without spell check, whose Enter only
 * starts a new line: the text goes to the server (and the summary is recomputed) when the user
 * leaves the box, presses Tab, or clicks a button, as with Odoo's other fields.
 */
export class LstBatchTextField extends Component {
    static template = "lot_serial_tracking.BatchTextField";
    static props = {
        ...standardFieldProps,
        placeholder: { type: String, optional: true },
        rowCount: { type: Number, optional: true },
    };
    static defaultProps = { rowCount: 12 };

    setup() {
        this.textareaRef = useRef("textarea");
        useInputField({
            getValue: () => this.props.record.data[this.props.name] || "",
            refName: "textarea",
        });
    }

    /** Enter inserts a new line and nothing else (the listener of useInputField, added after this
     * one, would commit the whole text). */
    onKeydown(ev) {
        if (ev.key === "Enter") {
            ev.stopImmediatePropagation();
        }
    }
}

export const lstBatchTextField = {
    component: LstBatchTextField,
    displayName: _t("Batch Production text"),
    supportedTypes: ["text"],
    extractProps: ({ attrs }) => ({
        placeholder: attrs.placeholder,
        rowCount: attrs.rows ? parseInt(attrs.rows, 10) : undefined,
    }),
};

registry.category("fields").add("lst_batch_text", lstBatchTextField);
