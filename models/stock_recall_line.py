# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .lst_guards import check_ids, check_record_ids


class StockRecallLine(models.TransientModel):
    """One delivery that sent a recalled lot/serial to a customer, directly or inside a finished
    product ("via"). Filled in one INSERT by ``stock.lot.action_lst_recall``; read-only for users
    (the access rights give them no create, write or unlink)."""

    _name = "stock.recall.line"
    _description = "Recall Line"
    _order = "partner_id, date desc, id"
    _transient_max_hours = 24.0

    lot_id = fields.Many2one("stock.lot", "Lot/Serial Number", readonly=True, help="The recalled lot/serial number.")
    product_id = fields.Many2one("product.product", readonly=True, help="The recalled product.")
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    picking_id = fields.Many2one("stock.picking", "Delivery", readonly=True)
    move_id = fields.Many2one("stock.move", readonly=True)
    date = fields.Datetime(readonly=True)
    delivered_product_id = fields.Many2one(
        "product.product",
        readonly=True,
        help="The product on the delivery: the recalled product itself, or the finished product it went into.",
    )
    via_lot_id = fields.Many2one(
        "stock.lot",
        "Via Lot/Serial",
        readonly=True,
        help="The finished product's lot/serial number the recalled lot reached the customer in.",
    )
    via_production_id = fields.Many2one(
        "mrp.production", "Via Manufacturing Order", readonly=True, help="The order that produced the via lot/serial."
    )
    via_path = fields.Char(
        "Via",
        readonly=True,
        help="Every lot/serial (and its manufacturing order) between the recalled lot and the customer.",
    )
    product_uom_id = fields.Many2one("uom.uom", "Unit", readonly=True)
    quantity = fields.Float("Delivered Quantity", digits="Product Unit of Measure", readonly=True)
    returned_qty = fields.Float("Returned Quantity", digits="Product Unit of Measure", readonly=True)
    net_qty = fields.Float("Quantity at Customer", digits="Product Unit of Measure", readonly=True)
    state = fields.Selection(
        [("delivered", "At Customer"), ("partial", "Partially Returned"), ("returned", "Returned")],
        string="Status",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)

    _COLUMNS = (
        ("lot_id", "int4"),
        ("product_id", "int4"),
        ("partner_id", "int4"),
        ("picking_id", "int4"),
        ("move_id", "int4"),
        ("date", "timestamp"),
        ("delivered_product_id", "int4"),
        ("via_lot_id", "int4"),
        ("via_production_id", "int4"),
        ("via_path", "varchar"),
        ("product_uom_id", "int4"),
        ("quantity", "float8"),
        ("returned_qty", "float8"),
        ("net_qty", "float8"),
        ("state", "varchar"),
        ("company_id", "int4"),
    )

    def _lst_insert_rows(self, rows):
        """Insert ``rows`` (the dicts of ``stock.lot._lst_recall_rows``) in ONE query whatever their
        number (the ORM's create() issues one INSERT per 100 records), and return the new lines.
        The records only hold plain values: no computed fields, no constraints to run.

        Users may only read recall lines (no create, write or unlink: a line made by hand could point to
        another company's records and show their names); the recall engine writes them here, as their
        own (create_uid), so the record rules show each user his own recall of his companies."""
        self.check_access("read")
        if not rows:
            return self.browse()
        names = [name for name, _type in self._COLUMNS]
        arrays = [
            SQL("%s::%s[]", [None if row[name] is False else row[name] for row in rows], SQL(typ))
            for name, typ in self._COLUMNS
        ]
        uid = self.env.uid
        self.env.cr.execute(
            SQL(
                "INSERT INTO stock_recall_line (%s, create_uid, write_uid, create_date, write_date) "
                "SELECT *, %s, %s, now() at time zone 'UTC', now() at time zone 'UTC' FROM unnest(%s) "
                "RETURNING id",
                SQL(", ").join(SQL.identifier(name) for name in names),
                uid,
                uid,
                SQL(", ").join(arrays),
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    _QUANTITY_FIELDS = ("quantity", "returned_qty", "net_qty")

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """Quantities of different units do not add up (2 chairs + 5 kg of glue): a group's sums are
        kept only when all its lines are in one unit (the list's group rows)."""
        wanted = [f for f in self._QUANTITY_FIELDS if any(spec.split(":")[0] == f for spec in fields)]
        if not wanted:
            return super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        fields = [*fields, "lst_uom_count:count_distinct(product_uom_id)"]
        groups = super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        for group in groups:
            if group.pop("lst_uom_count", 0) > 1:
                for name in wanted:
                    group.pop(name, None)
        return groups

    def action_print_recall(self):
        """The PDF of the recall this list shows (the selected lines' lots, else the recalled lots)."""
        check_record_ids(self)
        # a plain context value (the recall action's, sent back by the web client): only names lots, whose
        # report then applies the user's own access rights
        lot_ids = check_ids(self.env, self.env.context.get("lst_recall_lot_ids") or [], _("Recalled lots"))
        lots = self.lot_id or self.env["stock.lot"].browse(lot_ids)
        if not lots:
            raise UserError(_("Open a recall from a lot/serial number first, then print it."))
        return lots.action_lst_recall_print()
