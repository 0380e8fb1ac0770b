# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .lst_guards import server_state


class ProcurementGroup(models.Model):
    _inherit = "procurement.group"

    @api.model
    def _get_push_rule(self, product_id, location_dest_id, values):
        """Batch production closes hundreds of identical MOs in one call: Odoo searches the push
        rules for every done move and every parent location (7 queries per MO). Within such a call
        (context key `lst_push_rule_cache`, a dict in a ServerState set by the batch: a client cannot
        send one), the answer for the same product, destination, routes, packaging, warehouse and extra
        domain is reused."""
        cache = server_state(self.env, "lst_push_rule_cache")
        if cache is None:
            return super()._get_push_rule(product_id, location_dest_id, values)
        key = (
            self.env.uid,
            self.env.su,
            product_id.id,
            location_dest_id.id,
            tuple(values.get("route_ids", self.env["stock.route"]).ids),
            values.get("product_packaging_id") and values["product_packaging_id"].id,
            values.get("warehouse_id") and values["warehouse_id"].id,
            repr(values.get("domain")),
        )
        if key not in cache:
            cache[key] = super()._get_push_rule(product_id, location_dest_id, values).ids
        return self.env["stock.rule"].browse(cache[key])
