"""Socket handlers for chat: send, delete, switch off, mute."""
from __future__ import annotations

from ..access import Actor
from ..actions import chat
from ..actions.audit import person_of
from ..models import ChatMessage
from ..schemas.chat import ChatDeleteIn, ChatMuteIn, ChatSendIn, ChatSettingsIn
from .registry import on

FACILITATORS = ("facilitator", "cofacilitator")


@on("chat.send", ChatSendIn, "Write a message: main chat, your room's chat, privately to the facilitators "
    "(direct), or the facilitators' back-channel. Plain text.",
    roles=("facilitator", "cofacilitator", "participant"), limit="chat", limit_first=True)
def on_send(actor: Actor, data: dict):
    return chat.send_message(actor, data)


@on("chat.delete", ChatDeleteIn, "Delete a message for everyone (it is removed from the database).",
    roles=FACILITATORS,
    target=person_of(ChatMessage, "message_id", "author_participant_id"))
def on_delete(actor: Actor, data: dict):
    chat.delete_message(actor, data["message_id"])


@on("chat.settings", ChatSettingsIn, "Switch main and room chat on or off for participants.",
    roles=FACILITATORS)
def on_settings(actor: Actor, data: dict):
    return chat.set_chat(actor, data["enabled"])


@on("chat.mute", ChatMuteIn, "Mute or unmute one person's main and room chat (they can still write to the "
    "facilitators).", roles=FACILITATORS)
def on_mute(actor: Actor, data: dict):
    return chat.mute(actor, data["participant_id"], data["muted"])
