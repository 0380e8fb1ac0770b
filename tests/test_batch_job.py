# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Large batches in the background (mrp.production.batch.job): queued after the same validation as a batch in
the request, produced chunk by chunk (each chunk all-or-nothing), stopped with the reason on an error,
resumable, and no second batch on the same MO meanwhile. The cron runner itself (which commits) is run on a
live server in devtests/test_rpc.py."""

from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from ..models import mrp_production_batch_job as batch_job_module
from .test_batch_produce import BatchProduceCommon


@tagged("post_install", "-at_install")
class TestBatchJob(BatchProduceCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_batch_data()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("lot_serial_tracking.batch_background_from", 4)
        params.set_param("lot_serial_tracking.batch_chunk", 2)
        cls.Job = cls.env["mrp.production.batch.job"]

    def _run_all(self, job, limit=20):
        for _i in range(limit):
            if job.state not in ("queued", "running"):
                break
            job._lst_run_chunk()
        return job

    def _mos(self, product):
        mos = self.env["mrp.production"].search([("product_id", "=", product.id)])
        return sorted(
            (
                mo.name.rsplit("-", 1)[-1],
                mo.lot_producing_id.name or "",
                mo.product_qty,
                mo.state,
                sorted((ml.quantity, ml.state) for ml in mo.move_finished_ids.move_line_ids),
            )
            for mo in mos
        )

    def _placeholders(self, mo):
        return len(mo.move_finished_ids.move_line_ids.filtered(lambda ml: not ml.lot_id))

    def test_wizard_queues_large_batch_then_chunks_make_what_one_run_makes(self):
        names = [f"BG-{i}" for i in range(1, 6)]
        mo = self._mo(self.serial_product, 6)
        form = self._wizard(mo)
        form.production_text = "\n".join(names)
        wizard = form.save()
        action = wizard.action_done()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("5 lines", action["params"]["message"])
        job = self.Job.search([("origin_production_id", "=", mo.id)])
        self.assertEqual((job.state, job.lines_total, job.lines_done), ("queued", 5, 0))
        self.assertEqual(mo.lst_batch_job_id, job, "the MO shows the batch working on it")
        self.assertEqual(mo.lst_batch_job_progress, "Queued: 0 of 5 lines done")
        self.assertFalse(self.env["stock.lot"].search([("name", "in", names)]), "nothing produced in the request")
        self.assertEqual(self._placeholders(mo), 6, "Odoo's placeholder line per unit of the confirmed MO")
        with patch.object(batch_job_module._logger, "info", wraps=batch_job_module._logger.info) as log:
            job._lst_run_chunk()
        fmt, *args = log.call_args.args
        self.assertRegex(
            fmt % tuple(args), r"Batch job \d+: 2 lines produced in [\d.]+ s \(CPU [\d.]+ s\), 2 of 5 done"
        )
        self.assertEqual((job.state, job.lines_done, len(job.production_ids)), ("running", 2, 2))
        self.assertEqual(job.production_id.product_qty, 4, "the rest waits on the next MO")
        self.assertEqual(self._placeholders(job.production_id), 0, "the rest carries none from chunk to chunk")
        self._run_all(job)
        self.assertEqual((job.state, job.lines_done, len(job.production_ids)), ("done", 5, 5))
        mo.invalidate_recordset(["lst_batch_job_id"])
        self.assertFalse(mo.lst_batch_job_id)
        background = self._mos(self.serial_product)
        # the same batch in one request, on another MO of the same product
        self.env["mrp.production"].search([("product_id", "=", self.serial_product.id)]).write(
            {"product_id": self.comp_a.id}
        )
        mo2 = self._mo(self.serial_product, 6)
        mo2.batch_produce([f"FG-{i}" for i in range(1, 6)])
        one_run = self._mos(self.serial_product)
        self.assertEqual(
            [(n, lot.replace("BG", "X"), q, s, lines) for n, lot, q, s, lines in background],
            [(n, lot.replace("FG", "X"), q, s, lines) for n, lot, q, s, lines in one_run],
            "same MO names, lots, quantities, states and finished lines (the sixth unit left on a backorder MO with "
            "its placeholder line)",
        )
        self.assertIn("Batch production finished: 5 lines, 5 MOs.", mo.message_ids.mapped("body")[0])

    def test_failed_chunk_is_undone_and_the_batch_resumes(self):
        mo = self._mo(self.serial_product, 5)
        job = self.Job.browse(mo.batch_produce_in_background([f"FX-{i}" for i in range(1, 6)]))
        # after queueing, FX-4 gets into stock (another receipt): its chunk must fail, alone
        lot = self.env["stock.lot"].create({"name": "FX-4", "product_id": self.serial_product.id})
        quant = self.env["stock.quant"]._update_available_quantity(self.serial_product, self.stock, 1, lot_id=lot)
        job._lst_run_chunk()
        job._lst_run_chunk()
        self.assertEqual((job.state, job.lines_done), ("failed", 2))
        self.assertIn("FX-4 already exists", job.error)
        self.assertFalse(self.env["stock.lot"].search([("name", "=", "FX-3")]), "the failed chunk left nothing")
        self.assertEqual(set(job.production_ids.mapped("state")), {"done"})
        self.assertEqual(job.production_id.product_qty, 3, "the rest is on the current MO")
        self.assertEqual(self._placeholders(job.production_id), 3, "with its placeholder lines, as in Odoo")
        self.assertIn("stopped after 2 of 5 lines", job.production_id.message_ids[0].body)
        self.assertEqual(mo.lst_batch_job_id, job, "a stopped batch still shows on the MO")
        # the cause fixed (the unit left again), Resume goes on from the failed chunk
        self.assertTrue(quant)
        self.env["stock.quant"]._update_available_quantity(self.serial_product, self.stock, -1, lot_id=lot)
        job.action_resume()
        with self.assertRaisesRegex(UserError, "Only a stopped batch can be resumed"):
            job.action_resume()
        self.assertEqual(job.state, "queued")
        self._run_all(job)
        self.assertEqual((job.state, job.lines_done, len(job.production_ids)), ("done", 5, 5))

    def test_no_second_batch_while_one_runs(self):
        mo = self._mo(self.serial_product, 6)
        job = self.Job.browse(mo.batch_produce_in_background([f"NS-{i}" for i in range(1, 6)]))
        with self.assertRaisesRegex(UserError, "A batch is running in the background on"):
            mo.batch_produce_in_background(["NS-9"])
        with self.assertRaisesRegex(UserError, "A batch is running in the background on"):
            mo.batch_produce(["NS-9"])
        with self.assertRaisesRegex(UserError, "A batch is running in the background on"):
            mo.button_mark_done()
        job._lst_run_chunk()
        current = job.production_id
        self.assertNotEqual(current, mo)
        with self.assertRaisesRegex(UserError, "A batch is running in the background on"):
            current.batch_produce(["NS-9"])
        # even a client sending the running job's context key gets the refusal
        with self.assertRaisesRegex(UserError, "A batch is running in the background on"):
            current.with_context(lst_batch_job_id=job.id).batch_produce(["NS-9"])
        # once cancelled, the MO is free again
        job.action_cancel()
        self.assertEqual(job.state, "cancel")
        self.assertEqual(self._placeholders(current), current.product_qty, "its placeholder lines back, as in Odoo")
        ids = current.batch_produce(["NS-9"])
        self.assertEqual((ids[0], len(ids)), (current.id, 2), "NS-9 on the current MO, the rest on a backorder")
        self.assertEqual(current.state, "done")

    def test_client_context_keeps_placeholder_lines(self):
        """The chunks' lst_rest_unassigned is a server-only value: sent by a client, Odoo assigns as always."""
        form = Form(self.env["mrp.production"].with_context(lst_rest_unassigned=True))
        form.product_id = self.serial_product
        form.product_qty = 3
        mo = form.save()
        mo.with_context(lst_rest_unassigned=True).action_confirm()
        self.assertEqual(self._placeholders(mo), 3)

    def test_interrupted_chunk_retried_smaller_then_stopped(self):
        mo = self._mo(self.serial_product, 5)
        job = self.Job.browse(mo.batch_produce_in_background([f"IR-{i}" for i in range(1, 6)]))
        self.env["ir.config_parameter"].sudo().set_param("lot_serial_tracking.batch_chunk", 4)
        job._lst_count_attempt()  # the cron counts each attempt (and commits) before the chunk
        self.assertEqual(job._lst_chunk_size(), 4)
        job._lst_count_attempt()  # the first attempt was killed: the retry takes half
        self.assertEqual(job._lst_chunk_size(), 2)
        job._lst_run_chunk()
        self.assertEqual((job.lines_done, job.attempts), (2, 0))
        job.attempts = 5
        job._lst_run_chunk()
        self.assertEqual(job.state, "failed")
        self.assertIn("interrupted 4 times in a row", job.error)

    def test_validation_before_queueing_and_arguments(self):
        mo = self._mo(self.serial_product, 3)
        with self.assertRaisesRegex(UserError, "Line 2: BQ-1 is already on line 1"):
            mo.batch_produce_in_background(["BQ-1", "BQ-1"])
        with self.assertRaisesRegex(UserError, "the lines give 4 Units but the MO is for 3 Units"):
            mo.batch_produce_in_background(["A1", "A2", "A3", "A4"])
        for bad in ("BQ-1", [1, 2], None):
            with self.assertRaisesRegex(UserError, "lot_names must be a list"):
                mo.batch_produce_in_background(bad)
        with self.assertRaisesRegex(UserError, "mark_done must be"):
            mo.batch_produce_in_background(["BQ-1"], mark_done="yes")
        with self.assertRaisesRegex(ValidationError, "cannot contain a NUL character"):
            mo.batch_produce_in_background(["BQ-1,GL\x00UE"])
        with self.assertRaisesRegex(UserError, "At most 100000 lines"):
            mo.batch_produce_in_background(["x"] * 100_001)
        self.assertFalse(self.Job.search([("origin_production_id", "=", mo.id)]), "nothing queued")

    def test_access(self):
        mo = self._mo(self.serial_product, 3)
        job = self.Job.browse(mo.batch_produce_in_background(["AC-1", "AC-2"], mark_done=False))
        mrp_user = new_test_user(self.env, "bj_mrp", groups="mrp.group_mrp_user,stock.group_production_lot")
        self.assertEqual(job.with_user(mrp_user).read(["state"])[0]["state"], "queued")
        with self.assertRaises(AccessError):
            job.with_user(mrp_user).write({"lines_text": "EVIL-1"})
        with self.assertRaises(AccessError):
            self.Job.with_user(mrp_user).create(
                {"name": "x", "origin_production_id": mo.id, "production_id": mo.id, "company_id": mo.company_id.id,
                 "user_id": mrp_user.id}
            )  # fmt: skip
        other_company = self.env["res.company"].create({"name": "BJ other"})
        outsider = new_test_user(
            self.env, "bj_out", groups="mrp.group_mrp_user", company_id=other_company.id, company_ids=[other_company.id]
        )
        self.assertFalse(self.Job.with_user(outsider).search([("id", "=", job.id)]))
        stock_user = new_test_user(self.env, "bj_stock", groups="stock.group_stock_user")
        with self.assertRaises(AccessError):
            job.with_user(stock_user).read(["state"])
        # prepared only (mark_done False): the MOs are split with their serials, not produced
        self._run_all(job)
        self.assertEqual(job.state, "done")
        self.assertEqual(sorted(job.production_ids.mapped("state")), ["confirmed", "confirmed"])
