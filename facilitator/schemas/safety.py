"""Contact plans and drop alerts: inbound payloads and views (facilitator-only, except a person's own)."""
from __future__ import annotations

from marshmallow import Schema, fields

from .common import Id, Text


class ContactPlanSetIn(Schema):
    participant_id = Id(required=True)
    plan = Text(required=True, min_len=0, max_len=600, multiline=True, allow_none=True,
                metadata={"description": "How to reach them and what was agreed; empty or null clears it."})


class ContactGiveIn(Schema):
    given = Text(required=True, min_len=0, max_len=300, multiline=True, allow_none=True,
                 metadata={"description": "How the facilitators can reach you if your connection drops "
                                          "(e.g. a phone number); empty or null clears it."})


class DropAlertRefIn(Schema):
    alert_id = Id(required=True)


class ContactPlanOut(Schema):
    """One participant's contact plan as facilitators see it."""

    participant_id = fields.Integer()
    name = fields.String()
    given = fields.String(allow_none=True, metadata={"description": "What the participant gave themselves"})
    given_at = fields.DateTime(allow_none=True)
    plan = fields.String(allow_none=True, metadata={"description": "The facilitators' plan"})
    plan_updated_at = fields.DateTime(allow_none=True)
    plan_updated_by = fields.String(allow_none=True, metadata={"description": "The facilitator's name"})


class MyContactOut(Schema):
    """What a participant gave as their own contact details (never the facilitators' plan)."""

    given = fields.String(allow_none=True)
    given_at = fields.DateTime(allow_none=True)


class DropAlertOut(Schema):
    """An unexpected drop, as facilitators see it. `open` is false once resolved or acknowledged."""

    id = fields.Integer()
    participant_id = fields.Integer()
    name = fields.String()
    reason = fields.String(metadata={"description": "ping timeout, transport close or transport error"})
    dropped_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True, metadata={"description": "When they came back"})
    acknowledged_at = fields.DateTime(allow_none=True)
    acknowledged_by = fields.String(allow_none=True, metadata={"description": "The facilitator's name"})
    open = fields.Boolean()


class SafetySettingsIn(Schema):
    require_contact = fields.Boolean(required=True, metadata={
        "description": "Ask participants for contact details (how to reach them if their connection drops) "
                       "when they join; they cannot join without."})


class SafetySettingsOut(Schema):
    require_contact = fields.Boolean()


class ContactJoinIn(Schema):
    """The contact details a participant gives on the join form."""

    given = Text(min_len=0, max_len=300, multiline=True, allow_none=True, load_default=None)
