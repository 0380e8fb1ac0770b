# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Large batches in the background: a job that runs the batch engine (models/mrp_production_batch.py)
chunk after chunk in Odoo's cron worker.

A 10,000-serial batch takes longer than one request may take on a server with workers (Odoo's default
limits: 60 s of CPU, 120 s of real time per request, and the same for a cron job). The job keeps the
validated lines and produces them `CHUNK` lines at a time: each chunk is one transaction (split off the
chunk's MOs, assign their lots, produce them), then the job commits its progress and triggers the cron
again, so that every chunk starts with the whole time limit. Each chunk is all-or-nothing; the batch as
a whole stops at the first chunk that fails, with the MOs of the chunks before it produced, the rest of
the quantity on the MO the job works on, and the reason on the job and the MO: Resume goes on from there.
While the job runs, no other batch (and no Produce All) can start on its MOs."""

import logging
import time

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .lst_guards import ServerState, check_one_record, server_state
from .mrp_production_batch import DEFAULT_SEPARATORS, BatchSeparators

_logger = logging.getLogger(__name__)

# lines a background batch may have (a bound on what XML-RPC and the wizard can queue)
MAX_BATCH_LINES = 100_000
# lines produced per chunk (one transaction each); ir.config_parameter lot_serial_tracking.batch_chunk
DEFAULT_CHUNK = 500
# from this many lines the wizard's Produce / Prepare MO runs in the background;
# ir.config_parameter lot_serial_tracking.batch_background_from
DEFAULT_BACKGROUND_FROM = 1000
# a chunk that was interrupted (worker killed) is retried with half the lines, at most this many times
MAX_ATTEMPTS = 4
ACTIVE_STATES = ("queued", "running")
# first key of the advisory lock a cron worker holds on the job it runs
JOB_LOCK = 0x6C7374  # "lst"


class MrpProductionBatchJob(models.Model):
    _name = "mrp.production.batch.job"
    _description = "Batch Production Job"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    origin_production_id = fields.Many2one(
        "mrp.production", "Started from", required=True, readonly=True, index=True, check_company=True
    )
    production_id = fields.Many2one(
        "mrp.production",
        "Current MO",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
        help="The MO that holds the quantity still to produce: the next chunk is split off it.",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", "Started by", required=True, readonly=True)
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Stopped on an error"),
            ("cancel", "Cancelled"),
        ],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    mark_done = fields.Boolean("Produce", readonly=True, help="Produce the MOs (else only prepare them).")
    lines_text = fields.Text("Lines still to do", readonly=True)
    separators = fields.Char(readonly=True, default=",|;")
    lines_total = fields.Integer("Lines", readonly=True)
    lines_done = fields.Integer("Lines done", readonly=True)
    progress = fields.Float(compute="_compute_progress")
    attempts = fields.Integer(readonly=True, help="Consecutive interrupted attempts of the current chunk.")
    error = fields.Text(readonly=True)
    production_ids = fields.Many2many(
        "mrp.production", "mrp_production_batch_job_production_rel", "job_id", "production_id", "MOs", readonly=True
    )
    date_done = fields.Datetime("Finished on", readonly=True)

    _sql_constraints = [
        ("lines_done_bounded", "CHECK(lines_done >= 0 AND lines_done <= lines_total)", "Lines done out of range."),
    ]

    def init(self):
        # at most one active job per MO, whatever the timing of two requests
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS mrp_production_batch_job_one_active
               ON mrp_production_batch_job (production_id) WHERE state IN ('queued', 'running')"""
        )

    @api.depends("lines_done", "lines_total")
    def _compute_progress(self):
        for job in self:
            job.progress = 100.0 * job.lines_done / job.lines_total if job.lines_total else 0.0

    # ------------------------------------------------------------------ starting
    @api.model
    def _lst_start(self, production, text, mark_done, separators=DEFAULT_SEPARATORS):
        """Validate `text` for `production` as the batch engine does (nothing written on a problem), then queue
        a job for it and wake the cron. Returns the job."""
        production.ensure_one()
        production._lst_check_no_batch_job()
        lines = [line for line in (text or "").split("\n") if line.strip()]
        if len(lines) > MAX_BATCH_LINES:
            raise UserError(
                _(
                    "%(count)s lines are more than one batch takes (%(max)s): split the MO first.",
                    count=len(lines),
                    max=MAX_BATCH_LINES,
                )
            )
        # the same check as a batch run in the request: every problem listed, before anything is queued
        production._lst_batch_check(text, separators)
        try:
            with self.env.cr.savepoint(flush=True):
                job = self.sudo().create(
                    {
                        "name": production.name,
                        "origin_production_id": production.id,
                        "production_id": production.id,
                        "company_id": production.company_id.id,
                        "user_id": self.env.uid,
                        "mark_done": mark_done,
                        "lines_text": "\n".join(lines),
                        "separators": "".join(separators),
                        "lines_total": len(lines),
                    }
                )
        except psycopg2.errors.UniqueViolation:
            raise UserError(
                _("A batch is already running on %(mo)s: wait for it to finish.", mo=production.name)
            ) from None
        # a note (_message_log): a user without an e-mail address must be able to start a batch
        production._message_log(
            body=_(
                "Batch production of %(count)s lines started in the background by %(user)s.",
                count=len(lines),
                user=self.env.user.name,
            )
        )
        self.env.ref("lot_serial_tracking.ir_cron_mrp_production_batch_job")._trigger()
        return job.with_env(self.env)

    # ------------------------------------------------------------------ user actions
    def _lst_check_may_act(self):
        """Resume / Cancel: for whoever may see the job (its company) and change its MO (Manufacturing Users);
        the job itself is written by the module only."""
        self.check_access("read")
        self.production_id.check_access("write")

    def action_resume(self):
        """Go on with a stopped job from where it stopped (after fixing what its error says)."""
        job = check_one_record(self, _("batch job"))
        job._lst_check_may_act()
        if job.state != "failed":
            raise UserError(_("Only a stopped batch can be resumed (this one is %(state)s).", state=job.state))
        job.production_id._lst_check_no_batch_job()
        job.sudo().write({"state": "queued", "error": False, "attempts": 0})
        self.env.ref("lot_serial_tracking.ir_cron_mrp_production_batch_job")._trigger()
        return True

    def action_cancel(self):
        """Give up the lines not produced yet: the MOs already made stay, the rest of the quantity stays on the
        current MO. Refused while a chunk is being produced."""
        job = check_one_record(self, _("batch job"))
        job._lst_check_may_act()
        if job.state not in ("queued", "running", "failed"):
            raise UserError(_("This batch is already %(state)s.", state=job.state))
        # held until this transaction ends: the cron cannot start a chunk of this job meanwhile
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (JOB_LOCK, job.id))
        if not self.env.cr.fetchone()[0]:
            raise UserError(_("A chunk of this batch is being produced right now: try again in a minute."))
        job.sudo().write({"state": "cancel"})
        job.production_id._lst_restore_finished_placeholders()
        job.production_id._message_log(body=_("Batch production cancelled by %(user)s.", user=self.env.user.name))
        return True

    # ------------------------------------------------------------------ running
    @api.model
    def _cron_run(self):
        """ir.cron: one chunk of the oldest active job per run. The job is held by a session advisory lock
        (released when this worker is done with it, or when its connection ends), so the attempt can be
        counted and committed before the chunk: a worker killed at its time limit leaves the attempt
        counted, and the next run retries the chunk smaller. The cron is triggered again while jobs remain,
        so that each chunk starts with the full time limit of a cron run."""
        cr = self.env.cr
        job = self._lst_lock_next_job()
        if job:
            try:
                # Each chunk is its own transaction, so that each fits in the cron's time limit: the
                # commits are the design (the attempt first, so that a killed worker leaves it counted).
                job._lst_count_attempt()
                cr.commit()  # pylint: disable=invalid-commit
                job._lst_run_chunk()
                cr.commit()  # pylint: disable=invalid-commit
            except psycopg2.OperationalError:
                # a concurrent update (e.g. the job cancelled meanwhile): nothing of the chunk stays, retried
                cr.rollback()
            finally:
                cr.execute("SELECT pg_advisory_unlock(%s, %s)", (JOB_LOCK, job.id))
        if self.sudo().search_count([("state", "in", ACTIVE_STATES)], limit=1):
            self.env.ref("lot_serial_tracking.ir_cron_mrp_production_batch_job")._trigger()

    @api.model
    def _lst_lock_next_job(self):
        """The oldest active job no other cron worker holds, held by this one (session advisory lock)."""
        self.env.cr.execute(
            "SELECT id FROM mrp_production_batch_job WHERE state IN ('queued', 'running') ORDER BY id LIMIT 20"
        )
        for (job_id,) in self.env.cr.fetchall():
            self.env.cr.execute("SELECT pg_try_advisory_lock(%s, %s)", (JOB_LOCK, job_id))
            if self.env.cr.fetchone()[0]:
                return self.sudo().browse(job_id)
        return self.sudo()

    def _lst_count_attempt(self):
        self.ensure_one()
        self.write({"state": "running", "attempts": self.attempts + 1})

    def _lst_chunk_size(self):
        size = int(self.env["ir.config_parameter"].sudo().get_param("lot_serial_tracking.batch_chunk", DEFAULT_CHUNK))
        # a chunk that was interrupted (worker killed at its time limit) is retried smaller; `attempts`
        # counts the current one
        return max(1, max(1, size) >> max(0, self.attempts - 1))

    def _lst_run_chunk(self):
        """Produce the next chunk of this job as the user who started it, in a savepoint: on an error the chunk
        is undone, the job stops with the reason (on the job and the MO), and what earlier chunks made stays."""
        self.ensure_one()
        if self.state not in ACTIVE_STATES:
            return False
        if self.attempts > MAX_ATTEMPTS:
            return self._lst_fail(
                _(
                    "The batch was interrupted %(count)s times in a row (the server's time or memory limit?).",
                    count=self.attempts - 1,
                )
            )
        lines = self.lines_text.split("\n") if self.lines_text else []
        size = self._lst_chunk_size()
        chunk, rest = lines[:size], lines[size:]
        user_env = self.env(
            user=self.user_id.id,
            context=dict(
                self.user_id.context_get(),
                allowed_company_ids=[self.company_id.id],
                lst_batch_job_id=ServerState(self.id),
            ),
        )
        separators = BatchSeparators(*(self.separators or "".join(DEFAULT_SEPARATORS)))
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            with self.env.cr.savepoint():
                production = self.production_id.with_env(user_env)
                if rest:
                    production = production._lst_without_finished_placeholders()
                productions, backorder = production._lst_split_for_lots("\n".join(chunk), separators)
                if self.mark_done:
                    productions._lst_produce_or_refuse()
                if rest and not backorder:
                    raise UserError(_("The MO has no quantity left for the remaining %s lines.", len(rest)))
                self.env.flush_all()
        except psycopg2.OperationalError:
            raise  # a concurrent update: the cron run rolls back and the chunk is tried again
        except Exception as error:
            message = error.args[0] if isinstance(error, UserError) and error.args else repr(error)
            _logger.info("Batch job %s stopped: %s", self.id, message)
            return self._lst_fail(message)
        # for the administrator: how close a chunk comes to the cron's limits (limit_time_cpu, limit_time_real_cron)
        _logger.info(
            "Batch job %s: %s lines %s in %.1f s (CPU %.1f s), %s of %s done",
            self.id,
            len(chunk),
            "produced" if self.mark_done else "prepared",
            time.perf_counter() - wall,
            time.process_time() - cpu,
            self.lines_done + len(chunk),
            self.lines_total,
        )
        vals = {
            "lines_text": "\n".join(rest),
            "lines_done": self.lines_done + len(chunk),
            "production_ids": [fields.Command.link(p.id) for p in productions],
            "attempts": 0,
        }
        if rest:
            vals.update(production_id=backorder.id, state="running")
        else:
            vals.update(state="done", date_done=fields.Datetime.now())
        self.write(vals)
        if not rest:
            self.origin_production_id.sudo().message_post(
                body=_(
                    "Batch production finished: %(count)s lines, %(mos)s MOs.",
                    count=self.lines_total,
                    mos=len(self.production_ids),
                ),
                partner_ids=self.user_id.partner_id.ids,
            )
        return True

    def _lst_fail(self, message):
        self.write({"state": "failed", "error": message[:2000]})
        self.production_id._lst_restore_finished_placeholders()
        body = _(
            "Batch production stopped after %(done)s of %(total)s lines: %(error)s\n"
            "The MOs of the lines done are kept; the rest of the quantity is on %(mo)s. "
            "Fix the cause, then Resume the batch (or Cancel it).",
            done=self.lines_done,
            total=self.lines_total,
            error=message[:500],
            mo=self.production_id.name,
        )
        for production in self.production_id | self.origin_production_id:
            production.sudo().message_post(body=body, partner_ids=self.user_id.partner_id.ids)
        return False


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    lst_batch_job_id = fields.Many2one(
        "mrp.production.batch.job", "Batch in Progress", compute="_compute_lst_batch_job_id"
    )
    lst_batch_job_progress = fields.Char("Batch Progress", compute="_compute_lst_batch_job_id")

    def _compute_lst_batch_job_id(self):
        jobs = (
            self.env["mrp.production.batch.job"]
            .sudo()
            .search(
                [
                    ("state", "in", ("queued", "running", "failed")),
                    "|",
                    ("production_id", "in", self.ids),
                    ("origin_production_id", "in", self.ids),
                ]
            )
        )
        states = dict(self.env["mrp.production.batch.job"]._fields["state"]._description_selection(self.env))
        for production in self:
            job = jobs.filtered(lambda j, p=production: p in (j.production_id | j.origin_production_id))[:1]
            production.lst_batch_job_id = job.with_env(self.env)
            # the counts formatted before the call: the .pot extraction (babel) cannot read f-strings inside _()
            done, total = format(job.lines_done, ","), format(job.lines_total, ",")
            production.lst_batch_job_progress = (
                _("%(state)s: %(done)s of %(total)s lines done", state=states[job.state], done=done, total=total)
                if job
                else False
            )

    def _lst_check_no_batch_job(self, running_job_id=None):
        """Refuse to start a batch (or Produce All) on an MO a background batch works on, unless it is
        that job's own chunk (`running_job_id`)."""
        jobs = (
            self.env["mrp.production.batch.job"]
            .sudo()
            .search([("production_id", "in", self.ids), ("state", "in", ACTIVE_STATES)])
        )
        jobs = jobs.filtered(lambda j: j.id != running_job_id)
        if jobs:
            job = jobs[0]
            raise UserError(
                _(
                    "A batch is running in the background on %(mo)s (%(done)s of %(total)s lines done): "
                    "wait for it to finish, or cancel it.",
                    mo=job.production_id.name,
                    done=job.lines_done,
                    total=job.lines_total,
                )
            )

    def batch_produce_in_background(self, lot_names, mark_done=True, component_lots=None, component_first_serials=None):
        """XML-RPC: batch_produce for large batches: validated now (a UserError lists every problem, nothing
        queued), then produced by the cron in chunks. Returns the id of the mrp.production.batch.job: read
        its `state` ('queued', 'running', 'done', 'failed', 'cancel'), `lines_done` / `lines_total`, `error`
        and `production_ids` until `state` is 'done' or 'failed'."""
        text = self._lst_rpc_batch_text(lot_names, mark_done)
        self._check_company()
        if len(lot_names) > MAX_BATCH_LINES:
            raise UserError(_("At most %s lines per batch.", MAX_BATCH_LINES))
        self.check_access("write")
        # component lots as in batch_produce, written out as columns before the job cuts the text in chunks
        plan = self._lst_component_plan_from_rpc(component_lots, component_first_serials)
        text = self._lst_with_component_plan(plan)._lst_text_with_component_plan(text)
        return self.env["mrp.production.batch.job"]._lst_start(self, text, mark_done).id

    def _lst_without_finished_placeholders(self):
        """A background chunk splits its lines off this MO, which keeps the rest of the quantity for the next chunks.
        Odoo gives the finished move of a serial MO one placeholder line per unit (no lot; the production location
        reserves nothing), and its _split_productions rewrites every line of the split move (a copy_data and a
        write each), the rest's lines included: every chunk rewrote the lines of all the units still to do,
        chunk 1 of 10,000 serials took 18.3 s of CPU and the last one 5.0 s. The placeholder lines of this MO's
        finished serial move are removed, and the move holding the rest of the quantity gets none while the chunk
        runs (ServerState `lst_rest_unassigned`, stock.move._action_assign below): a chunk then costs the same
        whatever is left. The last chunk runs without it, so the MO left with the quantity beyond the lines gets
        its placeholder lines as in one run. Returns this MO with that context."""
        self.ensure_one()
        finished = self.move_finished_ids.filtered(
            lambda m: m.state not in ("done", "cancel") and m._lst_is_finished_serial_move()
        )
        finished.move_line_ids.filtered(lambda ml: not ml.lot_id and not ml.lot_name and not ml.picked).unlink()
        return self.with_context(lst_rest_unassigned=ServerState(True))

    def _lst_restore_finished_placeholders(self):
        """A stopped or cancelled job leaves its current MO as Odoo would have it: the placeholder lines of its finished
        serial move, which the chunks left out (_lst_without_finished_placeholders), assigned again."""
        self.move_finished_ids.filtered(
            lambda m: m.state in ("confirmed", "partially_available") and m._lst_is_finished_serial_move()
        )._action_assign()

    def _lst_split_for_lots(self, text, separators=DEFAULT_SEPARATORS):
        self._lst_check_no_batch_job(server_state(self.env, "lst_batch_job_id"))
        return super()._lst_split_for_lots(text, separators)

    def button_mark_done(self):
        self._lst_check_no_batch_job(server_state(self.env, "lst_batch_job_id"))
        return super().button_mark_done()

    @api.model
    def _lst_background_from(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("lot_serial_tracking.batch_background_from", DEFAULT_BACKGROUND_FROM)
        )
        try:
            return max(1, int(value))
        except ValueError:
            return DEFAULT_BACKGROUND_FROM


class StockMove(models.Model):
    _inherit = "stock.move"

    def _lst_is_finished_serial_move(self):
        """The move of an MO's own serial product out of the production location, which reserves nothing: Odoo
        gives it one placeholder line per unit."""
        self.ensure_one()
        return bool(
            self.production_id
            and self.product_id == self.production_id.product_id
            and self.has_tracking == "serial"
            and self._should_bypass_reservation()
        )

    def _action_assign(self, force_qty=False):
        """Within a background chunk's split (ServerState `lst_rest_unassigned`, see
        mrp.production._lst_without_finished_placeholders): the finished serial move that keeps the rest of the
        quantity (more than one unit, from the production location, which reserves nothing) gets no placeholder
        lines; every other move is assigned by Odoo as always."""
        if server_state(self.env, "lst_rest_unassigned"):
            rest_ids = {move.id for move in self if move.product_uom_qty > 1 and move._lst_is_finished_serial_move()}
            if rest_ids:
                moves = self.browse([move_id for move_id in self._ids if move_id not in rest_ids])
                return super(StockMove, moves)._action_assign(force_qty=force_qty)
        return super()._action_assign(force_qty=force_qty)
