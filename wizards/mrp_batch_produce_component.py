# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class MrpBatchProduceComponent(models.TransientModel):
    """One tracked component of the MO in the Batch Production wizard: a lot for every unit (lot-tracked
    components) or a first serial paired in order with the units (serial-tracked components), for the
    lines that give no column for it."""

    _name = "mrp.batch.produce.component"
    _inherit = ["lst.nul.guard.mixin"]
    _lst_nul_fields = ("first_serial",)
    _description = "Batch Production: component lot for every unit"
    _check_company_auto = True

    wizard_id = fields.Many2one("mrp.batch.produce", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="wizard_id.production_id.company_id")
    product_id = fields.Many2one("product.product", "Component", required=True, readonly=True)
    tracking = fields.Selection(related="product_id.tracking")
    qty_per_unit = fields.Float(
        "Per Unit",
        compute="_compute_qty_per_unit",
        digits="Product Unit of Measure",
        help="Quantity of this component in one unit of the finished product.",
    )
    uom_id = fields.Many2one(related="product_id.uom_id")
    lot_id = fields.Many2one(
        "stock.lot",
        "Lot for Every Unit",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
        help="Every unit consumes its quantity from this lot (lines with their own column for this component keep it).",
    )
    first_serial = fields.Char(
        size=128,
        help="Unit 1 takes this serial, unit 2 the next one (the same numbering as Generate: CMP-0001, "
        "CMP-0002, ...), and so on; several per unit when the BoM needs several.",
    )

    @api.depends("product_id", "wizard_id.production_id")
    def _compute_qty_per_unit(self):
        for line in self:
            moves = line.wizard_id.production_id.move_raw_ids.filtered(lambda m, p=line.product_id: m.product_id == p)
            line.qty_per_unit = sum(m.product_uom._compute_quantity(m.unit_factor, m.product_id.uom_id) for m in moves)

    def _lst_plan_entry(self):
        """(product id, (mode, name)) for the batch engine, or None when nothing is chosen."""
        self.ensure_one()
        if self.lot_id:
            return self.product_id.id, ("lot", self.lot_id.name)
        if (self.first_serial or "").strip():
            return self.product_id.id, ("serials", self.first_serial.strip())
        return None
