# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import float_compare

from .lst_guards import server_state

# Locations where stock of a delivery-only product is always kept lot-less.
LST_PLAIN_USAGES = ("internal", "transit")


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model
    def _lst_plain_lot(self, product, location, lot):
        """Delivery-only products: in internal/transit locations stock is plain quantity, so a
        lot/serial given for such a location is dropped. Everywhere else (customer, supplier,
        production, scrap...) the lot is kept: the customer location holds the serials."""
        if lot and product and location and location.usage in LST_PLAIN_USAGES and product._lst_is_delivery_only():
            return self.env["stock.lot"]
        return lot

    @api.model
    def _update_available_quantity(
        self,
        product_id,
        location_id,
        quantity=False,
        reserved_quantity=False,
        lot_id=None,
        package_id=None,
        owner_id=None,
        in_date=None,
    ):
        buffer = server_state(self.env, "lst_quant_buffer")
        if buffer is not None and not (lot_id or package_id or owner_id):
            res = self._lst_buffered_update(buffer, product_id, location_id, quantity, reserved_quantity, in_date)
            if res is not None:
                return res
        # Delivering serial X from a location holding plain stock takes the plain quant of that
        # location (no lot quant, so no negative lot quant); a return of serial X into stock
        # becomes plain quantity again.
        lot_id = self._lst_plain_lot(product_id, location_id, lot_id)
        plain_pool = bool(
            (quantity or reserved_quantity)
            and location_id.usage in LST_PLAIN_USAGES
            and product_id._lst_is_delivery_only()
        )
        if plain_pool:
            self._lst_lock_plain_quants(product_id, location_id)
        res = super()._update_available_quantity(
            product_id,
            location_id,
            quantity=quantity,
            reserved_quantity=reserved_quantity,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            in_date=in_date,
        )
        if plain_pool:
            self._lst_merge_plain_quants(product_id, location_id)
        return res

    # ------------------------------------------------------------------ batched quant updates
    # Batch production consumes the same component quants once per MO: for 1,000 MOs, Odoo's
    # _update_available_quantity runs about 8,000 times on the same few rows (reserve on split,
    # unreserve, take from stock, put in the production location), each time gathering the quants,
    # locking the row again, writing it and re-reading the available quantity. Inside a
    # `lst_quant_buffer` scope (stock.move.line create and _action_done during batch production,
    # see stock.move.line._lst_quant_batch; a ServerState, so a client cannot open one), the update
    # of an untracked quant is computed in memory exactly as Odoo computes it (same quant, same
    # quantity, reserved quantity clamped at 0, same in_date, same return value) and written once
    # when the scope ends. Anything else (lots,
    # packages, owners, several quants, no quant yet, a quant locked by another transaction, an
    # available quantity going negative, which Odoo follows with _free_reservation) takes Odoo's
    # own path, after the pending values of that quant are written.

    @api.model
    def _lst_buffered_update(self, buffer, product, location, quantity, reserved_quantity, in_date):
        """(available quantity, in_date) as Odoo's _update_available_quantity returns them, or None
        when this update must go through Odoo's own method."""
        if product.tracking != "none" or not product.is_storable or not (quantity or reserved_quantity):
            return None
        key = (product.id, location.id)
        entry = buffer.get(key)
        if entry is None:
            if key in buffer:
                return None  # not bufferable (see below)
            quants = self.sudo()._gather(
                product,
                location,
                lot_id=self.env["stock.lot"],
                package_id=self.env["stock.quant.package"],
                owner_id=self.env["res.partner"],
                strict=True,
            )
            quant = quants if len(quants) == 1 else None
            if quant:
                # what Odoo does before each write; the row stays locked by this transaction
                self.env.cr.execute(
                    "SELECT id FROM stock_quant WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED", [quant.id]
                )
                if not self.env.cr.fetchone():
                    quant = None
            if not quant:
                buffer[key] = None
                return None
            entry = buffer[key] = {
                "quant": quant,
                "quantity": quant.quantity,
                "reserved_quantity": quant.reserved_quantity,
                "in_date": quant.in_date,
            }
        rounding = product.uom_id.rounding
        if location.should_bypass_reservation():
            incoming_dates = []
        else:
            incoming_dates = (
                [entry["in_date"]]
                if entry["in_date"] and float_compare(entry["quantity"], 0, precision_rounding=rounding) > 0
                else []
            )
        if in_date:
            incoming_dates.append(in_date)
        new_in_date = min(incoming_dates) if incoming_dates else fields.Datetime.now()
        new_quantity = entry["quantity"] + (quantity or 0)
        new_reserved = (
            max(0, entry["reserved_quantity"] + reserved_quantity) if reserved_quantity else entry["reserved_quantity"]
        )
        available = new_quantity - new_reserved
        if float_compare(available, 0, precision_rounding=rounding) < 0:
            self._lst_flush_quant_buffer({key: buffer.pop(key)})
            return None
        entry.update(quantity=new_quantity, reserved_quantity=new_reserved, in_date=new_in_date)
        return available, new_in_date

    @api.model
    def _lst_flush_quant_buffer(self, buffer):
        """Write the pending quant values of a `lst_quant_buffer` scope (an entry that took no update yet
        writes the values it read, which changes nothing)."""
        for entry in buffer.values():
            if entry:
                entry["quant"].write(
                    {
                        "quantity": entry["quantity"],
                        "reserved_quantity": entry["reserved_quantity"],
                        "in_date": entry["in_date"],
                    }
                )

    @api.model
    def _lst_lock_plain_quants(self, product, location):
        """Wait for the plain quants a parallel delivery or reservation is using.

        Odoo picks the quant to update (quantity or reservation) with FOR NO KEY UPDATE SKIP LOCKED: while
        another transaction holds it, Odoo creates a second quant instead, which a later delivery drives
        negative (Odoo merges such quants some time later, in _merge_quants). Plain
        stock of a delivery-only product is one shared pool that every delivery draws from, so it is
        locked here *waiting*: the later delivery then fails with a serialization error, which Odoo's
        request retry replays on fresh data (nothing outside the transaction has happened yet)."""
        self.env.cr.execute(
            """SELECT id FROM stock_quant
                WHERE product_id = %s AND location_id = %s AND lot_id IS NULL
                  AND package_id IS NULL AND owner_id IS NULL
                FOR NO KEY UPDATE""",
            (product.id, location.id),
        )

    @api.model
    def _lst_merge_plain_quants(self, product, location):
        """One plain quant per location for a delivery-only product: should a second one exist (see
        _lst_lock_plain_quants), fold it into the oldest now rather than leave a negative quant until
        Odoo's own _merge_quants runs. The rows are locked by this transaction."""
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT id FROM stock_quant
                WHERE product_id = %s AND location_id = %s AND lot_id IS NULL
                  AND package_id IS NULL AND owner_id IS NULL
                ORDER BY id FOR NO KEY UPDATE""",
            (product.id, location.id),
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if len(ids) < 2:
            return
        quants = self.sudo().browse(ids)
        keep, others = quants[0], quants[1:]
        keep.write(
            {
                "quantity": sum(quants.mapped("quantity")),
                "reserved_quantity": sum(quants.mapped("reserved_quantity")),
                "in_date": min(quants.mapped("in_date")),
            }
        )
        others.unlink()

    @api.model_create_multi
    def create(self, vals_list):
        # Inventory adjustments of delivery-only products count plain quantity: drop a lot given
        # for an internal location before Odoo looks for the quant to update.
        for vals in vals_list:
            if vals.get("lot_id") and vals.get("product_id") and vals.get("location_id"):
                product = self.env["product.product"].browse(vals["product_id"])
                location = self.env["stock.location"].browse(vals["location_id"])
                lot = self.env["stock.lot"].browse(vals["lot_id"])
                if not self._lst_plain_lot(product, location, lot):
                    vals["lot_id"] = False
        return super().create(vals_list)

    def action_apply_inventory(self):
        """Counting a delivery-only product is counting plain quantity: no "Tracked Products in
        Inventory Adjustment" confirmation when only such quants are applied."""
        plain = self.filtered(
            lambda q: not q.lot_id
            and q.location_id.usage in LST_PLAIN_USAGES
            and q.product_id._lst_is_delivery_only()
            and not q.is_outdated
        )
        if not plain or plain != self or self.env.context.get("set_inventory_quantity_auto_apply"):
            return super().action_apply_inventory()
        self._apply_inventory()
        self.inventory_quantity_set = False
        return None
