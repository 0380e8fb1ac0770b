# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a client can send, and what it cannot.

Any XML-RPC/JSON-RPC caller can put any key in the context and any value in a method's arguments, but only
plain data: strings, numbers, booleans, lists and dicts with string keys. Two consequences here:

- state the module passes to itself through the context (a quant buffer, the serials batch production has
  already checked, "this write is the Change Tracking wizard's") is wrapped in a ``ServerState``, which no
  client can build: ``server_state()`` ignores a plain value a client put under the same key, so no context
  key can switch a check off or change how stock is written;
- ids a client gives are checked to be integers before they reach the ORM (a string id would otherwise end
  in an SQL error), with a message saying what to give.
"""

from odoo.exceptions import UserError
from odoo.models import NewId


class ServerState:
    """A context value only server code can create (see the module docstring)."""

    __slots__ = ("value",)

    def __init__(self, value=True):
        self.value = value

    def __repr__(self):
        # An action returned to the web client may carry the context: it gets (and may send back) this
        # text, which server_state() ignores.
        return "<lst server state>"


def server_state(env, key, default=None):
    """The value server code stored under context `key` (with ``ServerState``), else `default`: a value a
    client sent under that key is ignored."""
    value = env.context.get(key)
    return value.value if isinstance(value, ServerState) else default


def is_id(value):
    return isinstance(value, int) and not isinstance(value, bool)


def refuse_ids(env, label, values):
    raise UserError(
        env._(
            "%(what)s: give record ids (integers), not %(values)s.",
            what=label,
            values=", ".join(repr(value)[:40] for value in values[:5]) + (", ..." if len(values) > 5 else ""),
        )
    )


def check_ids(env, ids, label):
    """`ids` (one id or a list of them) as a list of integers, or a UserError naming `label` and the values
    that are not ids."""
    if not isinstance(ids, list | tuple):
        ids = [ids]
    bad = [value for value in ids if not is_id(value)]
    if bad:
        refuse_ids(env, label, bad)
    return list(ids)


def check_record_ids(records):
    """The records a method is called on: their ids came from the client (args[0] of execute_kw)."""
    bad = [value for value in records._ids if not is_id(value) and not isinstance(value, NewId)]
    if bad:
        refuse_ids(records.env, records._description or records._name, bad)
    return records


def check_one_record(records, label):
    """A method meant for one record (`label` names it), called over XML-RPC on several ids, on ids that are
    not integers or on a deleted record: a UserError saying what to give, instead of a programming error."""
    ids = records._ids
    if not all(is_id(rid) for rid in ids):
        raise UserError(
            records.env._(
                "Give the id of one %(what)s (an integer), not %(ids)s.", what=label, ids=repr(list(ids))[:80]
            )
        )
    if len(ids) != 1:
        raise UserError(
            records.env._(
                "This works on one %(what)s at a time; %(count)s were given: call it once per %(what)s.",
                what=label,
                count=len(ids),
            )
        )
    if not records.exists():
        raise UserError(records.env._("%(what)s %(id)s does not exist (or was deleted).", what=label, id=ids[0]))
    return records


def check_many2one_vals(model, vals):
    """The many2one values of `vals` (create/write of `model`) are ids, records or empty: a string, a float,
    a list or a dict from a client is refused with the field's name instead of Odoo's "Wrong value"
    ValueError (or an SQL error in code that browses it first)."""
    for fname, value in vals.items():
        field = model._fields.get(fname)
        if field is not None and field.type == "many2one" and isinstance(value, str | float | bytes | list | dict):
            refuse_ids(model.env, field.string, [value])
