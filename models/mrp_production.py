# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round

from .lst_guards import ServerState, check_one_record, server_state


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

    # ------------------------------------------------------------ batch production
    def action_lst_batch_produce(self):
        """Open Odoo's Batch Production wizard on any tracked MO (Odoo only opens it from Produce
        All on multi-unit serial MOs): the way to split a lot-tracked MO into lots."""
        check_one_record(self, _("manufacturing order"))
        self._check_company()
        action = self.env["ir.actions.actions"]._for_xml_id("mrp.action_mrp_batch_produce")
        action["context"] = {"default_production_id": self.id}
        return action

    def batch_produce(self, lot_names, mark_done=True):
        """XML-RPC: split this MO into one MO per line of `lot_names` (serials, or "LOT;qty" for
        lot-tracked products, optionally followed by ",component lot" columns as in the wizard),
        assign each MO its lot/serial and, with `mark_done`, produce them all.

        Same validation as the Batch Production wizard; on any error nothing is written. Lines giving
        fewer units than the MO leave the rest in a backorder MO (as Odoo's wizard); more is an error.
        Returns the ids of the MOs of the lines (the original one, renamed -001, first, in the order of
        the lines), followed by the backorder MO's id when the lines leave a quantity."""
        check_one_record(self, _("manufacturing order"))
        if not isinstance(lot_names, list | tuple) or not all(isinstance(n, str) for n in lot_names):
            raise UserError(_("lot_names must be a list of lot/serial numbers (strings)."))
        if not isinstance(mark_done, bool):
            raise UserError(_("mark_done must be true (produce) or false (prepare the MOs only)."))
        wizard = self.env["mrp.batch.produce"].create(
            {"production_id": self.id, "production_text": "\n".join(lot_names)}
        )
        productions, backorder = wizard._lst_split_and_assign()
        if mark_done:
            productions._lst_prepare_mark_done()
            productions.with_context(
                skip_redirection=True, from_wizard=True, **productions._lst_batch_done_context()
            ).button_mark_done()
            not_done = productions.filtered(lambda p: p.state != "done")
            if not_done:
                raise UserError(
                    _(
                        "These MOs could not be produced without a confirmation in the interface (check "
                        "component quantities): %s",
                        ", ".join(not_done.mapped("name")),
                    )
                )
        return productions.ids + backorder.ids

    def action_view_mrp_production_backorders(self):
        """The Backorders smart button (the MOs of a batch): a list showing whole MO references and
        each MO's lot/serial."""
        action = super().action_view_mrp_production_backorders()
        action["views"] = [
            (self.env.ref("lot_serial_tracking.mrp_production_view_list_backorders").id, "list"),
            (False, "form"),
        ]
        return action

    def _lst_batch_done_context(self):
        """Context of button_mark_done on the MOs of a batch (these MOs): components consumed with one write
        per quant, push rules looked up once, and Odoo's per-MO serial query skipped for the serials the
        batch validation has checked. Each value is a ServerState: a client sending these keys changes
        nothing (see lst_guards)."""
        return {
            "lst_batch_quants": ServerState(True),
            "lst_push_rule_cache": ServerState({}),
            "lst_checked_lot_ids": ServerState(frozenset(self.lot_producing_id.ids)),
        }

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

    # ------------------------------------------------------------ faster Produce for batches
    def _lst_prepare_mark_done(self):
        """What Produce All does before closing each MO (Odoo's _set_quantities: qty_producing and
        consumed components), for a batch of MOs in a few statements.

        Odoo's _set_qty_producing calls _set_quantity_done on every component move, which rewrites
        each move line's quantity even when it is already the reserved quantity needed: every such
        write unreserves and re-reserves the quants (about 12 queries per MO). Here a component move
        whose reserved quantity already is the quantity to consume is only marked picked; any other
        move goes through Odoo's _set_quantity_done. MOs this shortcut does not cover (tracked or
        manually consumed components, by-products, multi-step manufacturing, already started) are
        left to Odoo's own path in button_mark_done."""
        fast = self.filtered(
            lambda p: p.lot_producing_id
            and p.product_tracking == "serial"
            and p.product_uom_id == p.product_id.uom_id
            and float_is_zero(p.qty_producing, precision_rounding=p.product_uom_id.rounding)
            and not p.qty_produced
            and p.warehouse_id.manufacture_steps == "mrp_one_step"
            and not p.move_byproduct_ids
            and not p.workorder_ids
            and all(m.has_tracking == "none" and not m.manual_consumption for m in p.move_raw_ids)
        )
        if not fast:
            return self
        to_pick = self.env["stock.move"]
        for production in fast:
            for move in production.move_raw_ids:
                if move.state in ("done", "cancel") or move.sudo()._should_bypass_set_qty_producing():
                    continue
                new_qty = float_round(move.unit_factor, precision_rounding=move.product_uom.rounding)
                if float_compare(move.quantity, new_qty, precision_rounding=move.product_uom.rounding):
                    move._set_quantity_done(new_qty)
                to_pick |= move
        fast.write({"qty_producing": 1})
        to_pick.write({"picked": True})
        return fast

    def _check_sn_uniqueness(self):
        """Batch production has already checked, under its per-product lock and in this same
        transaction, that each MO's serial is unused (wizard validation); skip Odoo's per-MO query
        for those MOs when no tracked component or by-product needs checking. The ids travel in a
        ServerState: a client sending `lst_checked_lot_ids` still gets Odoo's check."""
        checked = server_state(self.env, "lst_checked_lot_ids")
        if (
            checked
            and self.lot_producing_id.id in checked
            and all(m.has_tracking == "none" for m in self.move_raw_ids | self.move_byproduct_ids)
        ):
            return None
        return super()._check_sn_uniqueness()
