# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Held lots (quarantine, blocked) are never reserved.

Every reservation of Odoo goes through stock.quant._get_reserve_quantity (stock.move._update_reserved_quantity
for pickings, manufacturing orders, chained moves and every other operation); it gathers the candidate quants
with _gather, also to compute the available quantity. While it reserves (a positive quantity), the held lots of
the product are set aside: _get_gather_domain leaves them out of the search and _gather filters them out of the
quants cache Odoo uses for chained moves. Unreserving, quant updates, and a lot picked by hand on a detailed
operation (which Odoo writes on the quant directly) are unchanged: whether such a line can be validated is
checked at validation (stock.move.line)."""

from odoo import api, models
from odoo.osv import expression
from odoo.tools import float_compare

from .lst_guards import ServerState, server_state


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _get_reserve_quantity(
        self,
        product_id,
        location_id,
        quantity,
        product_packaging_id=None,
        uom_id=None,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
    ):
        caller = self
        if (
            product_id.tracking != "none"
            and float_compare(quantity, 0, precision_rounding=product_id.uom_id.rounding) > 0
        ):
            held = self._lst_held_lot_ids(product_id)
            if held:
                self = self.with_context(lst_held_lot_ids=ServerState(held))
        res = super()._get_reserve_quantity(
            product_id,
            location_id,
            quantity,
            product_packaging_id=product_packaging_id,
            uom_id=uom_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )
        if self is caller:
            return res
        # the quants go on to the move lines: not with the set-aside lots in their context
        return [(quant.with_context(lst_held_lot_ids=None), qty) for quant, qty in res]

    @api.model
    def _lst_held_lot_ids(self, product):
        """Ids of the lots of `product` in quarantine or blocked (all companies: a quant is of one)."""
        return frozenset(
            self.env["stock.lot"]
            .sudo()
            .search([("product_id", "=", product.id), ("lot_status", "in", ("quarantine", "blocked"))])
            .ids
        )

    def _get_gather_domain(self, product_id, location_id, lot_id=None, package_id=None, owner_id=None, strict=False):
        domain = super()._get_gather_domain(product_id, location_id, lot_id, package_id, owner_id, strict)
        held = server_state(self.env, "lst_held_lot_ids")
        if held:
            domain = expression.AND([domain, ["|", ("lot_id", "=", False), ("lot_id", "not in", sorted(held))]])
        return domain

    def _gather(self, product_id, location_id, lot_id=None, package_id=None, owner_id=None, strict=False, qty=0):
        quants = super()._gather(product_id, location_id, lot_id, package_id, owner_id, strict, qty)
        held = server_state(self.env, "lst_held_lot_ids")
        if held:  # the quants cache of chained moves is not searched with the domain
            quants = quants.filtered(lambda quant: quant.lot_id.id not in held)
        return quants
