# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Writes of many rows in ONE query whatever their number, where the ORM takes one query per 100 rows
(odoo/models.py INSERT_BATCH_SIZE, UPDATE_BATCH_SIZE): opening a recall case blocks hundreds of finished serials,
logs a note on each and lists hundreds of customers in a number of queries that does not grow with them (issue 14,
Performance). Only for plain stored fields (no compute depends on what is written here but what ``modified``
handles, no inverse, no constraint); the callers check access rights as the ORM would."""

from markupsafe import escape

from odoo import fields
from odoo.tools import SQL, clean_context
from odoo.tools.mail import generate_tracking_message_id


def _column_values(model, values):
    """``values`` {field name: value} as the ORM writes them to their columns (BaseModel._create:
    convert_to_column_insert, which sanitizes an Html field), for the fields that have a column."""
    columns = {}
    for name, value in values.items():
        field = model._fields[name]
        if not (field.store and field.column_type):
            if value:
                raise ValueError(f"{model._name}.{name} has no column: it cannot be written in bulk")
            continue
        field.convert_to_cache(value, model)  # validates, as the ORM's write() does (a selection's value...)
        columns[name] = field.convert_to_column_insert(value, model, values)
    return columns


def lst_write(records, values):
    """``records.write(values)`` in ONE UPDATE whatever their number: the ORM's write() takes one per 100 records
    (odoo/models.py BaseModel._write, UPDATE_BATCH_SIZE). Mirrors what write() does for plain stored fields: the
    access check (check_access("write")), pending changes of those fields flushed first, the values validated
    and converted to their columns, write_uid and write_date; afterwards the cache holds the new values (write_uid
    and write_date are invalidated) and the fields' dependents are marked to recompute or invalidated (modified).
    The model's write() overrides do not run: the caller does what they would."""
    if not records:
        return
    records.check_access("write")
    names = list(values)
    records.flush_recordset(names)
    values = dict(values)
    if records._log_access:
        values.setdefault("write_uid", records.env.uid)
        values.setdefault("write_date", records.env.cr.now())
    columns = _column_values(records, values)
    records.env.cr.execute(
        SQL(
            "UPDATE %s SET %s WHERE id = ANY(%s)",
            SQL.identifier(records._table),
            SQL(", ").join(SQL("%s = %s", SQL.identifier(name), value) for name, value in columns.items()),
            list(records.ids),
        )
    )
    # the cache holds what the rows now hold, as after write() (no SELECT to read them again)
    cache = records.env.cache
    for name in values:
        field = records._fields[name]
        if name in names and not (field.translate or field.company_dependent):
            cache.update(records, field, [field.convert_to_cache(values[name], records)] * len(records))
        else:
            records.invalidate_recordset([name])
    records.modified(names)


def lst_insert(model, common, rows, returning=("id",)):
    """INSERT records of ``model`` with the values ``common`` plus each dict of ``rows`` (all with the same keys)
    in ONE query, like the ORM's create() does per 100 records (odoo/models.py BaseModel._prepare_create_values:
    the defaults of the fields not given and the create/write uid and date, then _create: the values converted
    to their columns). Returns the rows of ``returning`` (one tuple per record). The new records are in no cache;
    the caller invalidates the fields of other records that list them (one2many, message_ids...)."""
    if not rows:
        return []
    per_row = list(rows[0])
    now = model.env.cr.now()
    given = dict(common, **dict.fromkeys(per_row))
    values = model._add_missing_default_values(given)
    if model._log_access:
        for name, value in (("create_uid", model.env.uid), ("create_date", now)):
            values.setdefault(name, value)
            values.setdefault(name.replace("create", "write"), value)
    constants = _column_values(model, {name: value for name, value in values.items() if name not in per_row})

    def column_type(name):
        return SQL(model._fields[name].column_type[1])

    # typed: an untyped parameter in a SELECT list is text, which is not assigned to an integer or date column
    selected = [SQL("%s::%s", value, column_type(name)) for name, value in constants.items()]
    selected += [SQL.identifier("lst_row", name) for name in per_row]
    arrays = [
        SQL("%s::%s[]", [_column_values(model, {name: row[name]}).get(name) for row in rows], column_type(name))
        for name in per_row
    ]
    model.env.cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM unnest(%s) AS lst_row(%s) RETURNING %s",
            SQL.identifier(model._table),
            SQL(", ").join(SQL.identifier(name) for name in [*constants, *per_row]),
            SQL(", ").join(selected),
            SQL(", ").join(arrays),
            SQL(", ").join(SQL.identifier(name) for name in per_row),
            SQL(", ").join(SQL.identifier(name) for name in returning),
        )
    )
    return model.env.cr.fetchall()


def lst_message_log_batch(records, bodies):
    """``records._message_log_batch(bodies)`` in ONE INSERT whatever the number of records: Odoo's creates the
    notes with mail.message's create(), one INSERT per 100 notes. Mirrors odoo/addons/mail/models/mail_thread.py
    MailThread._message_log_batch (the author, base_message_values: a note, internal, no signature, one tracking
    message id, reply-to; the body escaped; created as superuser without the caller's default_* context values,
    _message_create) and mail_message.py Message.create for those values (email_from, message_id, reply_to and
    record_name given, no attachment, no tracking value; the related documents' message_ids invalidated,
    _invalidate_documents)."""
    if not records:
        return
    author_id, email_from = records._message_compute_author(None, None, raise_on_email=False)
    env = records.env
    messages = env["mail.message"].with_context(clean_context(env.context)).sudo()
    common = {
        "author_id": author_id,
        "email_from": email_from,
        "model": records._name,
        "record_alias_domain_id": False,
        "record_company_id": False,
        "record_name": False,
        "message_type": "notification",
        "is_internal": True,
        "subject": False,
        "subtype_id": env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
        "email_add_signature": False,
        "message_id": generate_tracking_message_id("message-notify"),
        "reply_to": env["mail.thread"]._notify_get_reply_to(default=email_from)[False],
        "date": fields.Datetime.now(),
    }
    rows = [{"res_id": record.id, "body": escape(bodies.get(record.id, ""))} for record in records]
    lst_insert(messages, common, rows)
    records.invalidate_recordset(["message_ids", "message_needaction", "message_needaction_counter"])
