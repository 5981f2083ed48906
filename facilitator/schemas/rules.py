"""Ground rules."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from .common import StrictInt, Text


class RuleItemIn(Schema):
    title = Text(max_len=80, required=True)
    text = Text(max_len=600, required=True, multiline=True)


class RulesSetIn(Schema):
    items = fields.List(fields.Nested(RuleItemIn), required=True, validate=validate.Length(max=30))


class RulesAckIn(Schema):
    version = StrictInt(required=True, validate=validate.Range(min=0, max=2**31 - 1))


class RuleSetSaveIn(Schema):
    name = Text(max_len=80, required=True)


class RuleItemOut(Schema):
    title = fields.String()
    text = fields.String()


class RulesOut(Schema):
    version = fields.Integer()
    changed_at = fields.DateTime(allow_none=True)
    items = fields.List(fields.Nested(RuleItemOut))


class RuleTemplateOut(Schema):
    key = fields.String()
    title = fields.String()
    text = fields.String()


class RuleSetOut(Schema):
    id = fields.Integer()
    name = fields.String()
    items = fields.List(fields.Nested(RuleItemOut))
    created_at = fields.DateTime()
