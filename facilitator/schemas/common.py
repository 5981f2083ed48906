"""Field types shared by the schemas."""
from __future__ import annotations

import re
from datetime import timezone
from functools import cache

from marshmallow import Schema, ValidationError, fields, validate
from marshmallow.validate import Length

from ..errors import Busy, Unavailable

# Characters no text field accepts: the C0 controls (NUL among them: PostgreSQL refuses it in text,
# which was an HTTP 500), DEL, the C1 controls, and lone surrogates (which no database encoding can
# store, and which JSON can carry as "\ud800"). Multi-line text keeps tab and line feed.
_REFUSED = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_REFUSED_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"\r\n?")
CONTROL_MESSAGE = "Control characters are not allowed."


class Text(fields.String):
    """The one field type for every string a client sends (socket events, forms, API bodies).

    It refuses control characters and lone surrogates, trims outer space (unless `strip=False`:
    passwords, `next`), and checks a length range and any further `validate` (an email address, a
    list of choices). Single-line text (names, titles, tags, labels, emails, codes, passwords) takes
    no tab or line break: none can be typed into a one-line input, and one would break the layouts
    and the CSV exports these values go to. `multiline=True` is for what people write in a text
    area (chat, notes, decisions, rules, contact details, the after-session text): it keeps line
    breaks and tabs (pasted lists and tables), with a browser's CR LF (every text area submits
    them) and lone CR made one LF.
    """

    def __init__(self, *, min_len: int = 1, max_len: int, multiline: bool = False, strip: bool = True,
                 validate=None, **kw):
        more = [] if validate is None else list(validate) if isinstance(validate, (list, tuple)) else [validate]
        super().__init__(validate=[Length(min=min_len, max=max_len), *more], **kw)
        self.multiline, self.strip = multiline, strip
        self.metadata.setdefault("maxLength", max_len)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if self.multiline:
            value = _LINE_BREAKS.sub("\n", value)
        if (_REFUSED_MULTILINE if self.multiline else _REFUSED).search(value):  # before trimming, which
            raise ValidationError(CONTROL_MESSAGE)  # would drop some of them (str.strip takes \x1c-\x1f)
        return value.strip() if self.strip else value


def Choice(values, **kw) -> Text:
    """A string that must be one of `values` (a kind, a mode, a channel), as a `Text` like any other."""
    values = list(values)
    return Text(min_len=1, max_len=max(map(len, values)), strip=False, validate=validate.OneOf(values), **kw)


def Email(**kw) -> Text:
    """An email address: single-line `Text` with marshmallow's address check."""
    kw.setdefault("metadata", {}).setdefault("format", "email")
    return Text(max_len=254, validate=validate.Email(), **kw)


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
