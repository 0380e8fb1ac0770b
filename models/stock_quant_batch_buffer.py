# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Batch production's quant buffer: while the batch engine produces many MOs in one go (its
`batch_quants` argument, a ServerState `lst_batch_quants` in the context), the updates of untracked
component quants are computed in memory and each quant is written once, instead of Odoo gathering,
locking and writing the same few rows about 8 times per MO.

The same buffer serves the delivery of delivery-only products: creating, deleting and validating the
lines of such a delivery (one per serial) updates the product's one plain quant in stock about 4 times
per serial (reserve, unreserve, take); in a `lst_quant_buffer_plain` scope only those plain quants are
buffered (taking the pool's waiting lock once, and merging the pool once, see
stock_quant_delivery_capture.py), everything else goes Odoo's way.

It shadows stock.quant._update_available_quantity (Odoo 18, stock/models/stock_quant.py, the body
after the _gather call: incoming dates, min in_date, quantity and reserved_quantity arithmetic with
the reservation clamped at 0) for the one case it handles: one plain quant, no lot, package or owner.
tests/test_batch_produce.py TestBatchedQuantUpdates compares every result with Odoo's own path, and
tests/test_odoo_copies.py fails when Odoo's method changes."""

from odoo import api, fields, models
from odoo.tools import float_compare

from .lst_guards import ServerState, is_id, server_state
from .stock_quant_delivery_capture import LST_PLAIN_USAGES


class StockQuant(models.Model):
    _inherit = "stock.quant"

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
        # a delivery-only product's serial given for an internal location is dropped there (plain stock)
        if buffer is not None and not (package_id or owner_id):
            if not self._lst_plain_lot(product_id, location_id, lot_id):
                res = self._lst_buffered_update(buffer, product_id, location_id, quantity, reserved_quantity, in_date)
            else:
                res = self._lst_buffered_new_lot(buffer, product_id, location_id, lot_id, quantity, in_date)
            if res is not None:
                return res
        return super()._update_available_quantity(
            product_id,
            location_id,
            quantity=quantity,
            reserved_quantity=reserved_quantity,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            in_date=in_date,
        )

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
        # Batch production buffers untracked products; a delivery's capture scope (lst_quant_buffer_plain)
        # buffers the plain stock of delivery-only products only (internal/transit locations, lot dropped).
        plain_pool = server_state(self.env, "lst_quant_buffer_plain", False)
        if plain_pool:
            if not (location.usage in LST_PLAIN_USAGES and product._lst_is_delivery_only()):
                return None
        elif product.tracking != "none":
            return None
        if not product.is_storable or not (quantity or reserved_quantity):
            return None
        key = (product.id, location.id)
        entry = buffer.get(key)
        if entry is None:
            if key in buffer:
                return None  # not bufferable (see below)
            if plain_pool:
                # the waiting lock of the shared plain pool (see _lst_lock_plain_quants), once per scope
                # instead of once per update; the pool is merged when the scope ends
                self._lst_lock_plain_quants(product, location)
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
                if quants:
                    # several quants, or the one quant locked by another transaction: Odoo's way from now on
                    buffer[key] = None
                # No quant yet (e.g. the first component consumed into the production location): Odoo
                # creates it, and the next update of the same key finds it and is buffered.
                return None
            entry = buffer[key] = {
                "quant": quant,
                "quantity": quant.quantity,
                "reserved_quantity": quant.reserved_quantity,
                "in_date": quant.in_date,
                "plain_pool": plain_pool,
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
        # A negative available quantity after a move of stock is followed by Odoo's _free_reservation, which
        # reads the database: that goes Odoo's way. A reservation alone (the serials' lines of a delivery
        # are created before the line they replace is deleted) has no follow-up: Odoo returns the value.
        reservation_only = plain_pool and not quantity
        if not reservation_only and float_compare(available, 0, precision_rounding=rounding) < 0:
            self._lst_flush_quant_buffer({key: buffer.pop(key)})
            return None
        entry.update(quantity=new_quantity, reserved_quantity=new_reserved, in_date=new_in_date)
        return available, new_in_date

    @api.model
    def _lst_buffered_new_lot(self, buffer, product, location, lot, quantity, in_date):
        """Batch production only: the first quant of a lot in a location (a new serial put in stock, and
        taken from the production location) is created with the others when the scope ends, in one
        INSERT, instead of one stock.quant create per quant (Odoo's stock.quant.create creates its
        vals_list one by one). (available quantity, in_date) as Odoo returns them, or None for Odoo's path.

        Only a lot that has no quant at all in that location is handled (what Odoo would do then is
        create one quant with `quantity` and in_date = `in_date` or now), and only when the
        result needs no follow-up reading the database: a positive quantity, or a location that does not
        reserve (Odoo's _free_reservation then returns at once). Any later update of the same
        lot and location within the scope is applied to the pending values, as Odoo applies it to the quant."""
        if not server_state(self.env, "lst_batch_quants") or server_state(self.env, "lst_quant_buffer_plain", False):
            return None
        if not (lot and product.is_storable and quantity):
            return None
        key = (product.id, location.id, lot.id)
        entry = buffer.get(key)
        rounding = product.uom_id.rounding
        if entry is None:
            if key in buffer:
                return None
            bypass = location.should_bypass_reservation()
            if float_compare(quantity, 0, precision_rounding=rounding) < 0 and not bypass:
                return None
            quants = self.sudo()._gather(
                product,
                location,
                lot_id=lot,
                package_id=self.env["stock.quant.package"],
                owner_id=self.env["res.partner"],
                strict=True,
            )
            if quantity > 0:
                quants = quants.filtered("lot_id")
            if quants:
                buffer[key] = None
                return None
            entry = buffer[key] = {
                "quant": None,
                "create": {"product_id": product.id, "location_id": location.id, "lot_id": lot.id},
                "quantity": 0.0,
                "reserved_quantity": 0.0,
                "in_date": None,
                "plain_pool": False,
                "bypass": bypass,
            }
            new_in_date = in_date or fields.Datetime.now()
        else:
            # Odoo's update of the quant it would have created (same arithmetic as _lst_buffered_update)
            incoming_dates = []
            if not entry["bypass"] and float_compare(entry["quantity"], 0, precision_rounding=rounding) > 0:
                incoming_dates.append(entry["in_date"])
            if in_date:
                incoming_dates.append(in_date)
            new_in_date = min(incoming_dates) if incoming_dates else fields.Datetime.now()
            if float_compare(entry["quantity"] + quantity, 0, precision_rounding=rounding) < 0 and not entry["bypass"]:
                self._lst_flush_quant_buffer({key: buffer.pop(key)})
                buffer[key] = None
                return None
        entry.update(quantity=entry["quantity"] + quantity, in_date=new_in_date)
        return entry["quantity"] - entry["reserved_quantity"], new_in_date

    @api.model
    def _lst_create_quants(self, vals_list):
        """Create quants in one INSERT. Odoo's stock.quant.create (stock/models/stock_quant.py, create)
        creates its vals_list one record at a time; outside inventory mode (never here: the vals carry
        no inventory field) each record is `super().create(vals)` plus an entry in the `quants_cache`
        of the context. This calls the same parent create once for the whole list when no other
        installed module overrides stock.quant.create (tests/test_odoo_copies.py watches Odoo's
        method); otherwise it goes through the full create, one by one as before."""
        base = self._lst_quant_create_base()
        if base is None:
            return self.create(vals_list)
        quants = super(base, self).create(vals_list)
        cache = self.env.context.get("quants_cache")
        if cache is not None:
            for quant in quants:
                cache[quant.product_id.id, quant.location_id.id, quant.lot_id.id, False, False] |= quant
        return quants

    @api.model
    def _lst_quant_create_base(self):
        """Odoo's stock.quant class (the one whose create loops), when every create override above it in
        this registry is stock's or this module's; else None."""
        from odoo.addons.stock.models.stock_quant import StockQuant as OdooStockQuant

        for cls in type(self).__mro__:
            if cls is OdooStockQuant:
                return cls
            if "create" in vars(cls) and not cls.__module__.startswith("odoo.addons.lot_serial_tracking."):
                return None
        return None

    @api.model
    def _lst_flush_quant_buffer(self, buffer):
        """Write the pending quant values of a `lst_quant_buffer` scope (an entry that took no update yet
        writes the values it read, which changes nothing), and create the pending new quants at once."""
        to_create = []
        for entry in buffer.values():
            if entry and entry["quant"] is None:
                to_create.append(
                    dict(
                        entry["create"],
                        quantity=entry["quantity"],
                        reserved_quantity=entry["reserved_quantity"],
                        in_date=entry["in_date"],
                    )
                )
            elif entry:
                entry["quant"].write(
                    {
                        "quantity": entry["quantity"],
                        "reserved_quantity": entry["reserved_quantity"],
                        "in_date": entry["in_date"],
                    }
                )
        if to_create:
            self._lst_create_quants(to_create)
        for entry in buffer.values():
            if entry and entry["plain_pool"]:
                self._lst_merge_plain_quants(entry["quant"].product_id, entry["quant"].location_id)


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        # the reservation of every created line, e.g. one per split MO and component, or one per serial
        # given on a delivery of a delivery-only product (set_lot_names, Import/Generate Serials)
        move_ids = [move_id for move_id in {vals.get("move_id") for vals in vals_list} if is_id(move_id)]
        capture = bool(self.env["stock.move"].sudo().browse(move_ids).exists().filtered("lst_capture_here"))
        return self._lst_quant_batch(lambda mls: super(StockMoveLine, mls).create(vals_list), capture=capture)

    def _lst_quant_batch(self, func, capture=False):
        """Run func(self) with the quant updates of untracked products batched (see
        stock.quant._lst_buffered_update) when batch production asked for it, or, with `capture` (lines of
        a delivery of delivery-only products), those of the delivery-only products' plain stock: one
        serial per line would otherwise update (and lock, and merge) the same plain quant several times
        per serial. The pending values are written before returning, so nothing outside this call sees
        the difference."""
        env = self.env
        # The keys hold a ServerState (set by batch production, see mrp.batch.produce, or here): a client
        # sending them gets Odoo's own per-line updates. lst_quant_batch_off (a plain flag, used by the
        # tests to compare both ways) can only turn the batching off, i.e. back to Odoo's own path.
        if server_state(env, "lst_quant_buffer") is not None or env.context.get("lst_quant_batch_off"):
            return func(self)
        buffer = {}
        if server_state(env, "lst_batch_quants"):
            res = func(self.with_context(lst_quant_buffer=ServerState(buffer)))
        elif capture:
            res = func(self.with_context(lst_quant_buffer=ServerState(buffer), lst_quant_buffer_plain=ServerState()))
        else:
            return func(self)
        self.env["stock.quant"].sudo()._lst_flush_quant_buffer(buffer)
        return res.with_env(self.env) if isinstance(res, models.BaseModel) else res

    def unlink(self):
        # the lines a delivery's serials replace (one reserved line per unit): each gives its reservation back
        capture = bool(self.sudo().move_id.filtered("lst_capture_here"))
        return self._lst_quant_batch(lambda mls: super(StockMoveLine, mls).unlink(), capture=capture)

    def _action_done(self):
        capture = bool(self.sudo().move_id.filtered("lst_capture_here"))
        return self._lst_quant_batch(lambda mls: super(StockMoveLine, mls)._action_done(), capture=capture)
