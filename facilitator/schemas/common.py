"""Field types shared by the schemas."""
from __future__ import annotations

import re
from datetime import timezone
from functools import cache

from marshmallow import Schema, ValidationError, fields, validate

from ..errors import Busy, Unavailable

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CONTROL_SINGLE = re.compile(r"[\x00-\x1f\x7f]")


class Text(fields.String):
    """A string trimmed of outer space, with a length range and no control characters."""

    def __init__(self, *, min_len: int = 1, max_len: int, multiline: bool = False, **kw):
        super().__init__(validate=validate.Length(min=min_len, max=max_len), **kw)
        self.multiline = multiline
        self.metadata.setdefault("maxLength", max_len)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs).strip()
        pattern = _CONTROL if self.multiline else _CONTROL_SINGLE
        if pattern.search(value):
            raise ValidationError("Control characters are not allowed.")
        return value


class StrictInt(fields.Integer):
    """An integer that refuses strings and floats ("3" and 3.0 are not ids)."""

    def __init__(self, **kw):
        super().__init__(strict=True, **kw)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError("Must be a whole number.")
        return super()._deserialize(value, attr, data, **kwargs)


MAX_ID = 2**31 - 1  # ids are the databases' 32-bit integers


def Id(**kw) -> StrictInt:
    return StrictInt(validate=validate.Range(min=1, max=MAX_ID), **kw)


def Timestamp(**kw) -> fields.AwareDateTime:
    return fields.AwareDateTime(default_timezone=timezone.utc, **kw)


class EmptyIn(Schema):
    """No fields: the event carries nothing (an empty object, or nothing at all)."""


class AckOut(Schema):
    ok = fields.Boolean(required=True)


class ErrorBody(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields_ = fields.Dict(data_key="fields")


class ErrorAck(Schema):
    ok = fields.Boolean(required=True, metadata={"enum": [False]})
    error = fields.Nested(ErrorBody, required=True)


class OutageBody(ErrorBody):
    code = fields.String(required=True, metadata={"enum": [Unavailable.code, Busy.code]})


class OutageAck(ErrorAck):
    """The body of an HTTP 503 (see `errors.outage_error`): the database cannot be reached
    (`unavailable`) or the worker had no pooled connection free in time (`busy`)."""

    error = fields.Nested(OutageBody, required=True)


class IdOut(Schema):
    id = fields.Integer(required=True)


@cache
def shared(cls: type[Schema]) -> Schema:
    """One instance per schema class, reused for every dump and load.

    Building a marshmallow schema deep-copies its declared fields; doing that for every view of
    every event was a measurable share of an action's time under `make bench`. Dumping and
    loading keep no state on the instance, so one instance serves every request."""
    return cls()
