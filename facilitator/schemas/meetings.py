"""Meetings: what may be sent in, and what each role sees."""
from __future__ import annotations

from flask import current_app, url_for
from marshmallow import Schema, ValidationError, fields, validate, validates

from ..models.meetings import KINDS, STATES
from .common import Choice, Text, Timestamp


class MeetingIn(Schema):
    title = Text(max_len=120, required=True)
    kind = Choice(KINDS, load_default="group")
    scheduled_at = Timestamp(allow_none=True, load_default=None)
    group_tags = fields.List(Text(max_len=40), load_default=list, validate=validate.Length(max=12))
    retention_days = fields.Integer(
        strict=True, load_default=lambda: current_app.config.get("DEFAULT_RETENTION_DAYS", 30),
        validate=validate.Range(min=1, max=365),
        metadata={"description": "Days after the session ends before everything is purged (default: the "
                                 "server's DEFAULT_RETENTION_DAYS, 30 unless configured)."},
    )
    after_text = Text(min_len=0, max_len=1000, multiline=True, allow_none=True, load_default=None, metadata={
        "description": "What participants read after they leave or the session ends (a break, how to get "
                       "support); empty or null: the default text."})
    report_chat = fields.Boolean(load_default=False, metadata={
        "description": "Include the chat transcript in the session report (off unless turned on)."})

    @validates("group_tags")
    def _unique_tags(self, value, **_):
        if len({v.casefold() for v in value}) != len(value):
            raise ValidationError("Group tags must be different from each other.")


class MeetingPatchIn(MeetingIn):
    """Only the fields given change. (`partial` is a constructor option, not a Meta one: without
    this, a PATCH of the title alone would reset kind, time, tags and retention to defaults.)"""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class MeetingStateIn(Schema):
    state = Choice([s for s in STATES if s != "draft"], required=True)


class MeetingOut(Schema):
    """What everyone in the meeting may see."""

    id = fields.Integer()
    title = fields.String()
    kind = fields.String()
    state = fields.String()
    scheduled_at = fields.DateTime(allow_none=True)
    opened_at = fields.DateTime(allow_none=True)
    started_at = fields.DateTime(allow_none=True)
    ended_at = fields.DateTime(allow_none=True)
    group_tags = fields.List(fields.String())
    facilitators = fields.Method("_facilitators")

    def _facilitators(self, m) -> list[str]:
        names = [m.owner.display_name] + [c.user.display_name for c in m.cofacilitators]
        return names


class MeetingPrivateOut(MeetingOut):
    """What facilitators see of a meeting: the links and settings too."""

    join_code = fields.String()
    retention_days = fields.Integer()
    after_text = fields.String(allow_none=True)
    report_chat = fields.Boolean()
    archived_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    links = fields.Method("_links")

    def _links(self, m) -> dict:
        # Not the co-facilitator invitation: co-facilitators see this too, and only the owner invites
        # (the edit page shows the owner the link, and so does GET /api/v1/meetings/<id>/invitation).
        try:
            return {
                "join": url_for("join.join_page", code=m.join_code, _external=True),
                "observe": url_for("join.observe_page", key=m.observer_key, _external=True),
            }
        except RuntimeError:  # no request context (CLI): links need a host to be absolute
            return {}


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code
