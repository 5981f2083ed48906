"""Chat: what may be sent in, and how a message looks to everyone allowed to read it.

Messages are plain text, stored and sent exactly as typed: clients show them as text
(`textContent`), never as HTML, so nothing is escaped or rewritten here.
"""
from __future__ import annotations

from marshmallow import Schema, fields

from ..models.chat import CHANNELS
from .common import Choice, Id, Text

MAX_MESSAGE_LENGTH = 1000


class ChatSendIn(Schema):
    channel = Choice(CHANNELS, required=True,
                     metadata={"description": "main | room | direct (to/from the facilitators) | "
                                              "backchannel (facilitators only)"})
    text = Text(max_len=MAX_MESSAGE_LENGTH, multiline=True, required=True)
    room_id = Id(metadata={"description": "room: which room (facilitators must say; a participant's is theirs)"})
    participant_id = Id(metadata={"description": "direct: which participant (facilitators only)"})


class ChatDeleteIn(Schema):
    message_id = Id(required=True)


class ChatSettingsIn(Schema):
    enabled = fields.Boolean(required=True, metadata={"description": "false: participants cannot chat in "
                                                                     "main or room chat"})


class ChatMuteIn(Schema):
    participant_id = Id(required=True)
    muted = fields.Boolean(required=True)


class AuthorOut(Schema):
    participant_id = fields.Integer(allow_none=True)
    user_id = fields.Integer(allow_none=True)
    name = fields.String()
    role = fields.String()


class MessageOut(Schema):
    """A message (built by actions.chat.message_view)."""

    id = fields.Integer()
    channel = fields.String()
    room_id = fields.Integer(allow_none=True)
    participant_id = fields.Integer(allow_none=True,
                                    metadata={"description": "direct: whose conversation with the facilitators"})
    author = fields.Nested(AuthorOut)
    kind = fields.String(metadata={"description": "message | broadcast (to every room)"})
    text = fields.String()
    sent_at = fields.DateTime()


class ChatDeletedOut(Schema):
    id = fields.Integer()
    channel = fields.String()
    room_id = fields.Integer(allow_none=True)
    participant_id = fields.Integer(allow_none=True)


class ChatSettingsOut(Schema):
    enabled = fields.Boolean()


class ChatMeOut(Schema):
    muted = fields.Boolean()


class ChatMutedOut(Schema):
    participant_ids = fields.List(fields.Integer())
