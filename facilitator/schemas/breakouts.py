"""Breakout rounds: what may be sent in, and each audience's view of a round and its rooms."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from ..models.breakouts import ASSIGN_MODES
from .chat import MessageOut
from .common import Choice, Id, StrictInt, Text

MAX_ROOMS = 50
MIN_SECONDS = 10
MAX_SECONDS = 6 * 3600  # longer than any real session; anything beyond is a typo
MAX_WARN_SECONDS = 3600
MAX_EXTEND_SECONDS = 3600


def Duration(**kw) -> StrictInt:
    return StrictInt(validate=validate.Range(min=MIN_SECONDS, max=MAX_SECONDS),
                     metadata={"description": f"Seconds the rooms run, {MIN_SECONDS}..{MAX_SECONDS}"}, **kw)


def WarnSeconds(**kw) -> StrictInt:
    return StrictInt(validate=validate.Range(min=0, max=MAX_WARN_SECONDS),
                     metadata={"description": "Seconds before the end to warn every room; 0: no warning"}, **kw)


class BreakoutCreateIn(Schema):
    rooms = StrictInt(validate=validate.Range(min=1, max=MAX_ROOMS),
                      metadata={"description": "How many rooms, numbered (or give `names`)"})
    names = fields.List(Text(max_len=40), validate=validate.Length(min=1, max=MAX_ROOMS),
                        metadata={"description": "One name per room, in order"})
    duration_seconds = Duration(load_default=15 * 60)
    warn_seconds = WarnSeconds(load_default=120)
    choosing = fields.Boolean(load_default=False,
                              metadata={"description": "Let participants pick their own room once open"})

    @validates("names")
    def _distinct(self, value, **_):
        if len({v.casefold() for v in value}) != len(value):
            raise ValidationError("Each room needs a different name.")

    @validates_schema
    def _consistent(self, data, **_):
        if "rooms" not in data and "names" not in data:
            raise ValidationError("Give the number of rooms or their names.", "rooms")
        if "rooms" in data and "names" in data and data["rooms"] != len(data["names"]):
            raise ValidationError("The number of rooms and of names differ.", "names")
        if data["warn_seconds"] and data["warn_seconds"] >= data["duration_seconds"]:
            raise ValidationError("The warning must come before the end.", "warn_seconds")


class RoundRefIn(Schema):
    round_id = Id(required=True)


class BreakoutSettingsIn(RoundRefIn):
    duration_seconds = Duration()
    warn_seconds = WarnSeconds()


class BreakoutChoosingIn(RoundRefIn):
    open = fields.Boolean(required=True, metadata={"description": "true: participants may pick their room"})


class BreakoutAutoIn(RoundRefIn):
    mode = Choice(ASSIGN_MODES, required=True,
                  metadata={"description": "random; balanced (each room a mix of group tags); "
                                           "reuse (the previous round's groups)"})
    include_observers = fields.Boolean(load_default=False)


class BreakoutAssignIn(RoundRefIn):
    participant_id = Id(required=True)
    room_id = Id(required=True, allow_none=True,
                 metadata={"description": "null: back to the main room (not in any breakout room)"})


class BreakoutRenameIn(Schema):
    room_id = Id(required=True)
    name = Text(max_len=40, required=True)


class BreakoutVisitIn(RoundRefIn):
    room_id = Id(required=True, allow_none=True, metadata={"description": "null: back to the main room"})
    user_id = Id(metadata={"description": "A co-facilitator to place; yourself if left out"})


class BreakoutExtendIn(RoundRefIn):
    seconds = StrictInt(required=True, validate=validate.Range(min=-MAX_EXTEND_SECONDS, max=MAX_EXTEND_SECONDS),
                        metadata={"description": "Added to the deadline; negative shortens"})

    @validates("seconds")
    def _nonzero(self, value, **_):
        if value == 0:
            raise ValidationError("Give a number of seconds other than 0.")


class BreakoutBroadcastIn(RoundRefIn):
    text = Text(max_len=1000, multiline=True, required=True)


class BreakoutChooseIn(Schema):
    room_id = Id(required=True)


class BreakoutHelpIn(Schema):
    on = fields.Boolean(load_default=True, metadata={"description": "false: never mind"})


class RoomRefIn(Schema):
    room_id = Id(required=True)


# ---- views ---------------------------------------------------------------------------------

class MemberOut(Schema):
    id = fields.Integer()
    name = fields.String()
    role = fields.String()
    group_tag = fields.String(allow_none=True)


class StaffOut(Schema):
    user_id = fields.Integer()
    name = fields.String()
    role = fields.String()


class RoomCountOut(Schema):
    id = fields.Integer()
    name = fields.String()
    count = fields.Integer(metadata={"description": "People in the room"})


class PublicRoundOut(Schema):
    """What everyone inside sees of a running round (the deadline, and rooms to choose from)."""

    id = fields.Integer()
    choosing = fields.Boolean()
    opened_at = fields.DateTime()
    ends_at = fields.DateTime()
    warn_seconds = fields.Integer()
    warned_at = fields.DateTime(allow_none=True)
    rooms = fields.List(fields.Nested(RoomCountOut))


class BreakoutsOut(Schema):
    round = fields.Nested(PublicRoundOut, allow_none=True, metadata={"description": "null: no round running"})


class RoomOut(Schema):
    id = fields.Integer()
    position = fields.Integer()
    name = fields.String()
    help_at = fields.DateTime(allow_none=True)
    members = fields.List(fields.Nested(MemberOut))
    staff = fields.List(fields.Nested(StaffOut))


class RoundOut(Schema):
    """The facilitators' view of a round: settings, deadline, rooms and who is in each."""

    id = fields.Integer()
    state = fields.String()
    mode = fields.String(allow_none=True)
    choosing = fields.Boolean()
    duration_seconds = fields.Integer()
    warn_seconds = fields.Integer()
    created_at = fields.DateTime()
    opened_at = fields.DateTime(allow_none=True)
    ends_at = fields.DateTime(allow_none=True)
    warned_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    close_reason = fields.String(allow_none=True)
    rooms = fields.List(fields.Nested(RoomOut))


class RoomTimerOut(Schema):
    id = fields.Integer()
    opened_at = fields.DateTime()
    ends_at = fields.DateTime()
    warn_seconds = fields.Integer()
    warned_at = fields.DateTime(allow_none=True)


class RoomNameOut(Schema):
    id = fields.Integer()
    name = fields.String()


class RoomViewOut(Schema):
    """A room as its members see it: its name, who is in it, the round's deadline, a help request."""

    round = fields.Nested(RoomTimerOut)
    room = fields.Nested(RoomNameOut)
    members = fields.List(fields.Nested(MemberOut))
    staff = fields.List(fields.Nested(StaffOut), metadata={"description": "Facilitators visiting the room"})
    help_at = fields.DateTime(allow_none=True)


class MyBreakoutOut(RoomViewOut):
    chat = fields.List(fields.Nested(MessageOut), metadata={"description": "The room's chat, oldest first"})


class AssignedOut(Schema):
    """You are in a (new) room: the client applies it and calls `sync`, which moves its connection."""

    breakout = fields.Nested(MyBreakoutOut)
    stream = fields.String(metadata={"description": "The room's stream, `b<room id>`"})
    seq = fields.Integer(metadata={"description": "The room stream's position this view reflects"})
    reason = fields.String(metadata={"description": "opened | moved | placed | chose"})


class ReturnedOut(Schema):
    """You are back in the main room: the client drops its room and calls `sync`."""

    round_id = fields.Integer()
    reason = fields.String(metadata={"description": "ended (time up) | closed (early) | unassigned"})
