"""Socket handlers for chat: send, delete, switch off, mute."""
from __future__ import annotations

from ..access import Actor, meeting_of
from ..actions import chat
from ..actions.audit import person_of
from ..models import ChatMessage
from ..schemas.chat import ChatDeleteIn, ChatMuteIn, ChatSendIn, ChatSettingsIn
from .registry import on

FACILITATORS = ("facilitator", "cofacilitator")


@on("chat.send", ChatSendIn, "Write a message: main chat, your room's chat, privately to the facilitators "
    "(direct), or the facilitators' back-channel. Plain text.",
    roles=("facilitator", "cofacilitator", "participant"))
def on_send(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    target = chat.check_send(actor, meeting, data)
    return {"message": chat.do_send(meeting, target, data["text"])}


@on("chat.delete", ChatDeleteIn, "Delete a message for everyone (it is removed from the database).",
    roles=FACILITATORS,
    target=person_of(ChatMessage, "message_id", "author_participant_id"))
def on_delete(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    chat.do_delete(meeting, chat.check_delete(actor, data["message_id"]))


@on("chat.settings", ChatSettingsIn, "Switch main and room chat on or off for participants.",
    roles=FACILITATORS)
def on_settings(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    chat.check_settings(actor)
    return {"changed": chat.do_settings(meeting, data["enabled"])}


@on("chat.mute", ChatMuteIn, "Mute or unmute one person's main and room chat (they can still write to the "
    "facilitators).", roles=FACILITATORS)
def on_mute(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    p = chat.check_mute(actor, data["participant_id"])
    return {"changed": chat.do_mute(meeting, p, data["muted"])}
