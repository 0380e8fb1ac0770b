/** @odoo-module **/
import { registry } from "@web/core/registry";

// The lot/serial form names the customer holding it once, with the delivery that brought it there.

// Odoo's Last Delivery Partner shows (a serial, Inventory Administrator): no At Customer beside it.
registry.category("web_tour.tours").add("lot_serial_tracking_lot_customer_odoo_field", {
    steps: () => [
        { trigger: ".o_form_view .o_field_widget[name=last_delivery_partner_id]:contains('Serial Buyer')" },
        { trigger: ".o_form_view .o_field_widget[name=lst_delivery_id]:contains('WH/OUT/')" },
        { trigger: ".o_form_view:not(:has(.o_field_widget[name=lst_customer_id]))" },
    ],
});

// Odoo's field does not show (a lot, or a user who is not an Inventory Administrator): At Customer does.
registry.category("web_tour.tours").add("lot_serial_tracking_lot_customer_at_customer", {
    steps: () => [
        { trigger: ".o_form_view .o_field_widget[name=lst_customer_id]:contains('Serial Buyer')" },
        { trigger: ".o_form_view .o_field_widget[name=lst_delivery_id]:contains('WH/OUT/')" },
        { trigger: ".o_form_view:not(:has(.o_field_widget[name=last_delivery_partner_id]))" },
    ],
});
