"""The floor: hands, turns, go-rounds, and each role's view of them."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates

from ..models.floor import HAND_KINDS
from .common import Choice, Id, StrictInt


class HandRaiseIn(Schema):
    kind = Choice(HAND_KINDS, load_default="new",
                  metadata={"description": "new point, direct reply to the current speaker, or process point"})


class QueueMoveIn(Schema):
    participant_id = Id(required=True)
    position = StrictInt(required=True, validate=validate.Range(min=1, max=10000),
                         metadata={"description": "1 is the front of the queue"})


class QueueModeIn(Schema):
    mode = Choice(["time", "quiet"], required=True)


class GoRoundStartIn(Schema):
    participant_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=200))
    shuffle = fields.Boolean(load_default=False)
    seconds = StrictInt(load_default=60, validate=validate.Range(min=10, max=1800))

    @validates("participant_ids")
    def _distinct(self, value, **_):
        if len(set(value)) != len(value):
            raise ValidationError("Each person can be in the round once.")


class GoRoundNextIn(Schema):
    index = StrictInt(required=True, validate=validate.Range(min=0, max=10000),
                      metadata={"description": "The index you saw as current; a stale one is refused"})


class SpeakerOut(Schema):
    participant_id = fields.Integer()
    name = fields.String()
    source = fields.String()
    hand_kind = fields.String(allow_none=True)
    started_at = fields.DateTime()
    ends_at = fields.DateTime(allow_none=True)


class RoundMemberOut(Schema):
    participant_id = fields.Integer()
    name = fields.String()


class GoRoundOut(Schema):
    id = fields.Integer()
    order = fields.List(fields.Nested(RoundMemberOut), metadata={
        "description": "Speaking order; `index` is the current turn. Someone not connected when their turn came "
                       "has it moved to the end, once: they are in the order twice."})
    index = fields.Integer()
    seconds = fields.Integer()
    started_at = fields.DateTime()
    passes = fields.List(fields.Integer(), metadata={"description": "Participant ids who passed"})


class FloorOut(Schema):
    """What everyone inside sees: who has the floor, how long the queue is, the round."""

    speaker = fields.Nested(SpeakerOut, allow_none=True)
    queue_length = fields.Integer()
    mode = fields.String()
    goround = fields.Nested(GoRoundOut, allow_none=True)


class MyHandOut(Schema):
    """A participant's own place in the queue."""

    raised = fields.Boolean()
    kind = fields.String(allow_none=True)
    position = fields.Integer(allow_none=True)
    raised_at = fields.DateTime(allow_none=True)


class QueueEntryOut(Schema):
    participant_id = fields.Integer()
    name = fields.String()
    group_tag = fields.String(allow_none=True)
    kind = fields.String()
    raised_at = fields.DateTime()


class SkippedOut(Schema):
    participant_id = fields.Integer()
    name = fields.String()


class RoundAwayOut(Schema):
    """Who a go-round passed over for not being connected (facilitators only: it tells who is
    away). The running round, or the last one until the next starts (so a pass that ends the round
    still shows who it passed over)."""

    id = fields.Integer(metadata={"description": "The round"})
    running = fields.Boolean(metadata={"description": "false: the round is over (or was stopped)"})
    deferred = fields.List(fields.Nested(SkippedOut), metadata={
        "description": "Not connected when their turn came: moved to the end of the round's order, once. They "
                       "get that turn if they are back by then (a second entry in the round's order). Empty "
                       "once the round is over."})
    skipped = fields.List(fields.Nested(SkippedOut), metadata={
        "description": "Passed over for the rest of the round: still not connected at their moved turn, or "
                       "not connected with nobody connected after them. They had no turn in this round."})


class QueueOut(Schema):
    """The facilitators' view of the queue, in order, and who the latest go-round passed over."""

    hands = fields.List(fields.Nested(QueueEntryOut))
    goround = fields.Nested(RoundAwayOut, allow_none=True, metadata={
        "description": "Who the latest go-round (running, or the last one until the next starts) moved to the "
                       "end or passed over for not being connected; null before the meeting's first round."})


class TalkOut(Schema):
    participant_id = fields.Integer()
    talk_seconds = fields.Float()
    turns = fields.Integer()
    passes = fields.Integer()


class BalanceOut(Schema):
    """Closed-turn totals per person (facilitators only); the open turn runs on the clock."""

    people = fields.List(fields.Nested(TalkOut))
    index_name = fields.String()


class _Skipping(Schema):
    ok = fields.Boolean(metadata={"enum": [True]})
    skipped = fields.List(fields.Nested(SkippedOut), metadata={
        "description": "People passed over because they are not connected (their connection dropped): a "
                       "hand passed over stays in the queue, in its place."})
    message = fields.String(allow_none=True, metadata={
        "description": "A sentence for the facilitator when someone was passed over (\"Jo is not connected; "
                       "called Pat instead (their hand stays in the queue).\"); null when nobody was."})


class FloorCallReply(_Skipping):
    """The ack of floor.next and floor.call: who has the floor now, and who was passed over."""

    participant_id = fields.Integer(metadata={"description": "Who has the floor now"})
    name = fields.String()


class _RoundSkipping(Schema):
    ok = fields.Boolean(metadata={"enum": [True]})
    deferred = fields.List(fields.Nested(SkippedOut), metadata={
        "description": "Not connected when their turn came: their turn moved to the end of the round (once); "
                       "they get it if they are back by then."})
    skipped = fields.List(fields.Nested(SkippedOut), metadata={
        "description": "Passed over for the rest of the round: still not connected at their moved turn, or "
                       "not connected with nobody connected after them."})
    message = fields.String(allow_none=True, metadata={
        "description": "A sentence for the facilitator when someone was moved or passed over (\"Jo is not "
                       "connected: their turn moves to the end of the round. It is Pat's turn.\"); null when "
                       "nobody was."})


class GoRoundReply(_RoundSkipping):
    """The ack of goround.next: who was moved to the end or passed over for not being connected."""


class GoRoundStartReply(_RoundSkipping):
    """The ack of goround.start: the order, and who was passed over before the first turn."""

    order = fields.List(fields.Integer(), metadata={"description": "Participant ids in speaking order (someone "
                                                              "moved to the end is in it twice)"})
