# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Recall case spreadsheet for the authorities (issue 14): a real .xlsx, read back with openpyxl: the case
header, one row per delivery and lot with product, lot, quantities, date, ship-to, ship-from and reference, a
bold frozen header row with an autofilter; kept on the case and downloadable by the case's company only."""

import base64
import datetime
import io

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from ..models import stock_recall_export
from .test_recall import RecallCommon

try:
    import openpyxl
except ImportError:  # pragma: no cover - Odoo does not require it; make test installs it
    openpyxl = None

HEADER = [
    "Delivery",
    "Source Document",
    "Date Done (UTC)",
    "Product Reference",
    "Product",
    "Lot/Serial Number",
    "Recalled Lot/Serial",
    "Made Into (via MO)",
    "Delivered",
    "Returned",
    "Still at Customer",
    "Unit",
    "Ship To: Customer",
    "Ship To: Address",
    "Ship To: E-mail",
    "Ship To: Phone",
    "Ship From: Warehouse",
    "Ship From: Location",
    "Ship From: Company",
]


@tagged("post_install", "-at_install")
class TestRecallExport(RecallCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_recall_data()
        cls.resin.default_code = "RES-01"
        cls.alice.write({"street": "1 Rue Haute", "city": "Namur", "email": "alice@example.com", "phone": "+32 81 1"})
        cls.resin_lot = cls._lot(cls.resin, "RX-RESIN-1")
        cls.panel_lot = cls._lot(cls.panel, "RX-PANEL-1")
        cls._stock(cls.resin, 10, lot=cls.resin_lot)
        cls._produce(cls.bom_panel, 3, cls.panel_lot, {cls.resin: cls.resin_lot})  # 6 resin -> 3 panels
        cls.direct = cls._deliver(cls.alice, cls.resin, 1, lot=cls.resin_lot)
        cls.direct.origin = "S00042"
        cls.via = cls._deliver(cls.bob, cls.panel, 2, lot=cls.panel_lot)
        cls.user = new_test_user(
            cls.env, login="rx_stock_user", groups="stock.group_stock_user,stock.group_production_lot", tz="UTC"
        )

    def _case(self, **vals):
        return (
            self.env["stock.recall"]
            .with_user(self.user)
            .create({"lot_ids": [Command.set(self.resin_lot.ids)], "reason": "RX seal defect", **vals})
        )

    def _sheet(self, content):
        self.assertTrue(openpyxl, "openpyxl is needed to read the spreadsheet back (make test installs it)")
        return openpyxl.load_workbook(io.BytesIO(content)).active

    @staticmethod
    def _table(sheet):
        """(header row number, header, data rows as lists)."""
        top = next(row[0].row for row in sheet.iter_rows() if row[0].value == "Delivery")
        rows = [list(r) for r in sheet.iter_rows(min_row=top, values_only=True)]
        return top, rows[0], rows[1:]

    def test_spreadsheet_rows_header_and_autofilter(self):
        case = self._case()
        case.action_open()
        self._return(self.via, 1, self.panel_lot)
        result = case.with_user(self.user).get_recall_export_file()
        self.assertEqual(result["file_name"], f"{case.name.replace('/', '-')}-deliveries.xlsx")
        self.assertEqual(result["row_count"], 2)
        sheet = self._sheet(base64.b64decode(result["file_content"]))
        # case header
        self.assertIn(case.name, sheet["A1"].value)
        header = {sheet.cell(row, 1).value: sheet.cell(row, 2).value for row in range(2, 8)}
        self.assertEqual(header["Reason"], "RX seal defect")
        self.assertIn("RX-RESIN-1", header["Recalled Lots/Serials"])
        self.assertEqual(header["Status"], "Open")
        self.assertIsInstance(header["Generated At (UTC)"], datetime.datetime)
        # the table: one row per delivery and lot, by date
        top, columns, rows = self._table(sheet)
        self.assertEqual(list(columns), HEADER)
        self.assertTrue(all(sheet.cell(top, col).font.b for col in range(1, len(HEADER) + 1)), "bold header")
        self.assertEqual(sheet.freeze_panes, f"A{top + 1}")
        self.assertEqual(sheet.auto_filter.ref, f"A{top}:S{top + 2}")
        col = {name: index for index, name in enumerate(HEADER)}
        alice, bob = rows
        self.assertEqual(
            [
                alice[col[c]]
                for c in ("Delivery", "Source Document", "Product Reference", "Product", "Lot/Serial Number")
            ],
            [self.direct.name, "S00042", "RES-01", "Recall Resin", "RX-RESIN-1"],
        )
        self.assertEqual(
            [alice[col[c]] for c in ("Ship To: Customer", "Ship To: E-mail", "Ship To: Phone")],
            ["Alice Recallee", "alice@example.com", "+32 81 1"],
        )
        self.assertIn("1 Rue Haute", alice[col["Ship To: Address"]])
        self.assertIn("Namur", alice[col["Ship To: Address"]])
        self.assertEqual([alice[col[c]] for c in ("Delivered", "Returned", "Still at Customer")], [1, 0, 1])
        self.assertEqual(alice[col["Unit"]], "Units")
        self.assertEqual(alice[col["Ship From: Warehouse"]], self.warehouse.name)
        self.assertEqual(alice[col["Ship From: Location"]], self.stock.complete_name)
        self.assertEqual(alice[col["Ship From: Company"]], self.company.name)
        date = alice[col["Date Done (UTC)"]]
        self.assertIsInstance(date, datetime.datetime, "a real Excel date")
        self.assertEqual(date.replace(second=0), self.direct.date_done.replace(second=0, microsecond=0))
        # the panel made from the resin lot: the delivered serial, the recalled lot inside it, the return netted
        self.assertEqual(
            [bob[col[c]] for c in ("Delivery", "Lot/Serial Number", "Recalled Lot/Serial", "Ship To: Customer")],
            [self.via.name, "RX-PANEL-1", "RX-RESIN-1", "Bob Recallee"],
        )
        self.assertIn("RX-PANEL-1", bob[col["Made Into (via MO)"]])
        self.assertEqual([bob[col[c]] for c in ("Delivered", "Returned", "Still at Customer")], [2, 1, 1])

    def test_button_keeps_the_file_on_the_case_and_downloads_it(self):
        """The form button stores the file on the case and opens /web/content; the download (ir.binary, what
        /web/content runs) works for the case's company only."""
        draft = self._case()
        action = draft.with_user(self.user).action_lst_export_lines()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(
            action["url"],
            f"/web/content/stock.recall/{draft.id}/export_file/{draft.export_file_name}?download=true",
        )
        self.assertEqual(self._table(self._sheet(base64.b64decode(draft.export_file)))[2][0][0], self.direct.name)
        self.assertEqual(len(self._table(self._sheet(base64.b64decode(draft.export_file)))[2]), 2, "traced on the fly")
        binary = self.env["ir.binary"].with_user(self.user)
        self.assertEqual(binary._find_record(res_model="stock.recall", res_id=draft.id, field="export_file"), draft)

        company_b = self.env["res.company"].create({"name": "RX Company B"})
        user_b = new_test_user(
            self.env,
            login="rx_user_b",
            groups="stock.group_stock_user,stock.group_production_lot",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        portal = new_test_user(self.env, login="rx_portal", groups="base.group_portal")
        for other in (user_b, portal):
            with self.assertRaises(AccessError):
                self.env["ir.binary"].with_user(other)._find_record(
                    res_model="stock.recall", res_id=draft.id, field="export_file"
                )
            with self.assertRaises(AccessError):
                draft.with_user(other).get_recall_export_file()
            with self.assertRaises(AccessError):
                draft.with_user(other).action_lst_export_lines()
        self.assertFalse(self.env["ir.attachment"].with_user(user_b).search([("res_model", "=", "stock.recall")]))

    def test_only_the_case_company_and_bounded(self):
        """Deliveries of another company of the user are left out; too many rows is a UserError."""
        company_b = self.env["res.company"].create({"name": "RX Company B2"})
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)], limit=1)
        self.env.user.company_ids |= company_b
        lot = self._lot(self.gadget, "RX-SHARED-1")
        lot.company_id = False  # a lot both companies use
        self._stock(self.gadget, 5, lot=lot)
        self._stock(self.gadget, 5, lot=lot, location=warehouse_b.lot_stock_id)
        self._deliver(self.alice, self.gadget, 1, lot=lot)
        self._deliver(self.bob, self.gadget, 1, lot=lot, warehouse=warehouse_b)
        self.user.company_ids |= company_b
        case = self._case(lot_ids=[Command.set(lot.ids)])
        self.assertEqual(case.company_id, self.company)
        rows = case.with_user(self.user)._lst_export_rows()
        self.assertEqual([row["customer"] for row in rows], ["Alice Recallee"])
        self.patch(stock_recall_export, "EXPORT_MAX_ROWS", 0)
        with self.assertRaisesRegex(UserError, "at most 0 rows"):
            case.with_user(self.user).get_recall_export_file()

    def test_bad_ids(self):
        """Ids that are not integers, several cases, a deleted case: a UserError saying what to give."""
        recall = self.env["stock.recall"].with_user(self.user)
        with self.assertRaisesRegex(UserError, "Give the id of one recall case"):
            recall.browse(["1"]).get_recall_export_file()
        case = self._case()
        with self.assertRaisesRegex(UserError, "one recall case at a time"):
            (case | self._case()).get_recall_export_file()
        with self.assertRaisesRegex(UserError, "does not exist"):
            recall.browse(case.id + 1000).action_lst_export_lines()


@tagged("post_install", "-at_install")
class TestRecallExportDownload(RecallCommon, HttpCase):
    """The download through the web client's route, as each kind of user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_recall_data()
        cls.resin_lot = cls._lot(cls.resin, "RXD-RESIN-1")
        cls._stock(cls.resin, 5, lot=cls.resin_lot)
        cls.direct = cls._deliver(cls.alice, cls.resin, 2, lot=cls.resin_lot)
        groups = "stock.group_stock_user,stock.group_production_lot"
        cls.user = new_test_user(cls.env, login="rxd_user", groups=groups)
        company_b = cls.env["res.company"].create({"name": "RXD Company B"})
        cls.user_b = new_test_user(
            cls.env,
            login="rxd_user_b",
            groups=groups,
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        cls.portal = new_test_user(cls.env, login="rxd_portal", groups="base.group_portal")
        cls.case = (
            cls.env["stock.recall"]
            .with_user(cls.user)
            .create({"lot_ids": [Command.set(cls.resin_lot.ids)], "reason": "RXD leak"})
        )

    def test_download_as_each_user(self):
        url = self.case.with_user(self.user).action_lst_export_lines()["url"]
        self.authenticate("rxd_user", "rxd_user")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn(self.case.export_file_name, response.headers["Content-Disposition"])
        self.assertEqual(response.headers["Content-Type"], stock_recall_export.EXPORT_MIMETYPE)
        self.assertTrue(response.content.startswith(b"PK"), "an xlsx (zip) file")
        if openpyxl:
            sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
            self.assertIn(self.direct.name, [cell.value for cell in sheet["A"]])
        for login in ("rxd_user_b", "rxd_portal"):
            self.authenticate(login, login)
            response = self.url_open(url)
            self.assertIn(response.status_code, (403, 404), login)
            self.assertFalse(response.content.startswith(b"PK"), login)
        self.authenticate(None, None)
        response = self.url_open(url)
        self.assertFalse(response.content.startswith(b"PK"), "public")
