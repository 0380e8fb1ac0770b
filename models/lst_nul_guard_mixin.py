# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import ValidationError


def lst_refuse_nul(env, label, value):
    """PostgreSQL cannot store a NUL character: refuse a text holding one, naming where it was typed."""
    if isinstance(value, str) and "\x00" in value:
        raise ValidationError(env._("%s cannot contain a NUL character; remove it and try again.", label))


class LstNulGuardMixin(models.AbstractModel):
    """PostgreSQL cannot store a NUL character: a text field listed in `_lst_nul_fields` that receives one
    is refused with a message saying which field, instead of failing with a database error."""

    _name = "lst.nul.guard.mixin"
    _description = "Refuse NUL characters in text input"
    _lst_nul_fields = ()

    @api.model
    def _lst_check_nul(self, vals):
        for fname in self._lst_nul_fields:
            lst_refuse_nul(self.env, self._fields[fname].string, vals.get(fname))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._lst_check_nul(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._lst_check_nul(vals)
        return super().write(vals)
