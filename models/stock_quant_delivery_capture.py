# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

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
