"""Reactions, standing signals and the private support signal: inbound payloads and views."""
from __future__ import annotations

from marshmallow import Schema, fields

from ..models.signals import SIGNAL_KINDS
from .common import Choice, Id

REACTION_KINDS = ("thumbs_up", "clap", "heart", "laugh", "agree", "disagree")


class ReactionIn(Schema):
    kind = Choice(REACTION_KINDS, required=True)


class SignalIn(Schema):
    kind = Choice(SIGNAL_KINDS, required=True,
                  metadata={"description": "slow_down, need_break, cant_hear, stepped_away"})


class SignalClearIn(Schema):
    participant_id = Id(required=True)
    kind = Choice(SIGNAL_KINDS, required=True)


class SignalClearAllIn(Schema):
    kind = Choice(SIGNAL_KINDS, allow_none=True, load_default=None,
                  metadata={"description": "Only this kind; omit (or null) for every signal"})


class SupportRefIn(Schema):
    request_id = Id(required=True)


# ---- views --------------------------------------------------------------------------------------

def _kind_counts(kinds: tuple[str, ...], doc: str) -> type[Schema]:
    return Schema.from_dict({k: fields.Integer() for k in kinds}, name=doc)


ReactionCountsOut = _kind_counts(REACTION_KINDS, "ReactionCountsOut")
SignalCountsOut = _kind_counts(SIGNAL_KINDS, "SignalCountsOut")


class ReactionBurstOut(Schema):
    """Reactions sent in the last short window, counted per kind. No names."""

    counts = fields.Nested(ReactionCountsOut)
    total = fields.Integer()


class SignalEntryOut(Schema):
    participant_id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    raised_at = fields.DateTime()


class SignalsOut(Schema):
    """Facilitators only: every standing signal with who raised it, and counts per kind."""

    signals = fields.List(fields.Nested(SignalEntryOut), metadata={"description": "Oldest first"})
    counts = fields.Nested(SignalCountsOut)


class MySignalOut(Schema):
    kind = fields.String()
    raised_at = fields.DateTime()


class MySignalsOut(Schema):
    """A participant's own standing signals."""

    signals = fields.List(fields.Nested(MySignalOut))


class SupportOut(Schema):
    """A support request as facilitators see it."""

    id = fields.Integer()
    participant_id = fields.Integer()
    name = fields.String()
    raised_at = fields.DateTime()
    acknowledged_at = fields.DateTime(allow_none=True)
    acknowledged_by = fields.String(allow_none=True, metadata={"description": "The facilitator's name"})
    withdrawn_at = fields.DateTime(allow_none=True)


class MySupportRequestOut(Schema):
    id = fields.Integer()
    raised_at = fields.DateTime()
    acknowledged_at = fields.DateTime(allow_none=True)
    withdrawn_at = fields.DateTime(allow_none=True)


class MySupportOut(Schema):
    """The participant's latest request: pending, seen by a facilitator, or withdrawn (null if none)."""

    request = fields.Nested(MySupportRequestOut, allow_none=True)
