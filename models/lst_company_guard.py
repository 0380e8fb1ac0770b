# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Companies stay apart: what a user sets or is told only reaches records of the companies the user may
see. Odoo's own company check (`check_company`) names the other company's record in its error, and a
many2one read shows the name of any record it points to: so an id the user could not read is refused
first, by id, without its name."""

from odoo import api, models
from odoo.exceptions import UserError


def lst_visible(records):
    """The part of `records` the current user may read, also when the caller runs in sudo (a message
    built there still reaches that user); all of them for the superuser."""
    user_records = records.sudo(False)
    if user_records.env.su or not records:
        return records
    return records.browse(user_records._filtered_access("read").ids)


def _lst_ids(value):
    """The record ids a many2one value or a many2many value (ids or commands 4 and 6) refers to; anything else
    is left to the ORM, which refuses it on its own."""
    if isinstance(value, int) and not isinstance(value, bool):
        return [value] if value else []
    ids = []
    for item in value if isinstance(value, list | tuple) else []:
        if isinstance(item, int) and not isinstance(item, bool):
            ids.append(item)
        elif isinstance(item, list | tuple) and len(item) == 3 and item[0] == 6 and isinstance(item[2], list | tuple):
            ids += [i for i in item[2] if isinstance(i, int) and not isinstance(i, bool)]
        elif isinstance(item, list | tuple) and len(item) >= 2 and item[0] == 4:
            ids += [item[1]] if isinstance(item[1], int) and not isinstance(item[1], bool) else []
    return [i for i in ids if i]


def lst_check_readable(model, vals, fnames, operation):
    """Refuse (UserError, by field and id, never by name) a many2one (or many2many) value in `vals` (a dict, or a list
    of them: one check per field) that the user of `model.env` cannot read: another company's record,
    or no record at all. A user who may not `operation` ("create", "write") `model` at all gets Odoo's
    AccessError first, as without this check."""
    if model.env.su:
        return
    vals_list = [vals] if isinstance(vals, dict) else vals
    access_checked = False
    for fname in fnames:
        ids = {record_id for v in vals_list for record_id in _lst_ids(v.get(fname))}
        if not ids:
            continue
        if not access_checked:
            model.check_access(operation)
            access_checked = True
        field = model._fields[fname]
        records = model.env[field.comodel_name].browse(sorted(ids))
        refused = sorted(ids - set(lst_visible(records.exists()).ids))
        if refused:
            raise UserError(
                model.env._(
                    "%(field)s: there is no record with id %(ids)s that you may use (it does not exist, or it "
                    "belongs to a company you are not allowed in).",
                    field=field._description_string(model.env),
                    ids=", ".join(map(str, refused)),
                )
            )


class LstReadableRefsMixin(models.AbstractModel):
    """Records a user creates or edits (wizards, their lines) may only point, in the many2one (and
    many2many) fields listed in `_lst_readable_fields`, to records that user can read."""

    _name = "lst.readable.refs.mixin"
    _description = "Many2one values limited to records the user can read"
    _lst_readable_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        lst_check_readable(self, vals_list, self._lst_readable_fields, "create")
        return super().create(vals_list)

    def write(self, vals):
        lst_check_readable(self, vals, self._lst_readable_fields, "write")
        return super().write(vals)
