"""Participants: joining, own status, and the role-filtered views of a person."""
from __future__ import annotations

from marshmallow import Schema, fields

from .common import Choice, Id, Text


class JoinIn(Schema):
    display_name = Text(max_len=40, required=True, metadata={"description": "Any name; a pseudonym is fine."})
    group_tag = Text(max_len=40, allow_none=True, load_default=None)


class StatusIn(Schema):
    mic = Choice(["muted", "on"])
    camera = Choice(["off", "on"])


class ParticipantRefIn(Schema):
    participant_id = Id(required=True)


class RosterEntryOut(Schema):
    """A person as everyone in the meeting sees them: name, role (observers are disclosed), tag."""

    id = fields.Integer()
    name = fields.String(attribute="display_name")
    role = fields.String()
    group_tag = fields.String(allow_none=True)
    present = fields.Function(lambda p: p.presence != "left")


class PersonOut(RosterEntryOut):
    """A person as facilitators see them: connection, mic/camera and rules acknowledgement too."""

    mic = fields.String()
    camera = fields.String()
    presence = fields.String()
    rules_version_acked = fields.Integer(allow_none=True)
    rules_acked_at = fields.DateTime(allow_none=True)
    joined_at = fields.DateTime()
    left_at = fields.DateTime(allow_none=True)
    removed = fields.Function(lambda p: p.removed_at is not None)


class MeOut(Schema):
    """A participant's own record."""

    id = fields.Integer()
    name = fields.String(attribute="display_name")
    role = fields.String()
    group_tag = fields.String(allow_none=True)
    mic = fields.String()
    camera = fields.String()
    rules_version_acked = fields.Integer(allow_none=True)
    rules_acked_at = fields.DateTime(allow_none=True)
    removed = fields.Function(lambda p: p.removed_at is not None)
    left = fields.Function(lambda p: p.left_at is not None and p.presence == "left")
