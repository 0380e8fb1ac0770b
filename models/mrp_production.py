# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import float_round

from .lst_guards import ServerState, server_state


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    def _prepare_stock_lot_values(self):
        """The MO "+" button and "Produce All" without a number: use the product's rule numbering
        (Odoo uses the global stock.lot.serial sequence)."""
        vals = super()._prepare_stock_lot_values()
        names = self.product_id.with_company(self.company_id)._lst_next_lot_names(1)
        if names:
            vals["name"] = names[0]
        return vals

    # ------------------------------------------------------------ delivery-only finished products
    def _lst_finished_delivery_only(self):
        self.ensure_one()
        return self.product_id._lst_is_delivery_only()

    def _auto_production_checks(self):
        """A delivery-only product needs no number when manufactured: Produce All never opens the
        Batch Production wizard for it (the MO is never split); only tracked components count."""
        if self._lst_finished_delivery_only():
            others = (self.move_raw_ids.product_id | self.move_finished_ids.product_id) - self.product_id
            if all(p.tracking == "none" for p in others):
                return True
            return self.reservation_state in ("assigned", "confirmed", "waiting")
        return super()._auto_production_checks()

    def action_generate_serial(self):
        """No lot is generated for a delivery-only product (Produce All calls this through
        _set_quantities when the MO has no lot)."""
        if self._lst_finished_delivery_only() and server_state(self.env, "lst_produce_all"):
            return None
        return super().action_generate_serial()

    def _set_quantities(self):
        if not self._lst_finished_delivery_only():
            return super()._set_quantities()
        res = super(MrpProduction, self.with_context(lst_produce_all=ServerState(True)))._set_quantities()
        # Odoo caps a serial product's qty_producing to 1: a delivery-only MO is produced whole.
        self.qty_producing = self.product_qty - self.qty_produced
        self._set_qty_producing()
        return res

    def _set_qty_producing(self, pick_manual_consumption_moves=True):
        """Odoo forces qty_producing to 1 for serial products; a delivery-only product is produced
        as plain quantity, so keep the quantity asked for."""
        if self.product_id.tracking == "serial" and self._lst_finished_delivery_only():
            qty = self.qty_producing
            res = super()._set_qty_producing(pick_manual_consumption_moves)
            if self.qty_producing != qty:
                self.qty_producing = qty
                # no hook to skip the serial cap: re-run the component quantities for the real qty
                self._lst_set_components_qty(pick_manual_consumption_moves)
            return res
        return super()._set_qty_producing(pick_manual_consumption_moves)

    def _lst_set_components_qty(self, pick_manual_consumption_moves=True):
        """The second half of Odoo's _set_qty_producing (component and by-product quantities),
        copied because the first half (serial cap to 1) has no hook."""
        is_waiting = self.warehouse_id.manufacture_steps != "mrp_one_step" and self.picking_ids.filtered(
            lambda p: p.picking_type_id == self.warehouse_id.pbm_type_id and p.state not in ("done", "cancel")
        )
        moves = self.move_raw_ids.filtered(
            lambda m: not is_waiting or m.product_id.tracking == "none"
        ) | self.move_finished_ids.filtered(lambda m: m.product_id != self.product_id)
        for move in moves:
            if move.manual_consumption and move.picked:
                continue
            if move.sudo()._should_bypass_set_qty_producing():
                continue
            new_qty = float_round(
                (self.qty_producing - self.qty_produced) * move.unit_factor,
                precision_rounding=move.product_uom.rounding,
            )
            move._set_quantity_done(new_qty)
            if not move.manual_consumption or pick_manual_consumption_moves:
                move.picked = True
