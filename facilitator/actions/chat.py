"""Chat: the main chat, each breakout room's chat, participants' line to the facilitators
(`direct`), and the facilitators' back-channel.

Who hears a message is decided by its channel, and each audience is a stream: `main` ->
`meeting`; `room` -> the room's `b<id>` (while its round runs) and `facilitators`; `direct` ->
the participant's `p<id>` and `facilitators`; `backchannel` -> `facilitators` only.
Facilitators can switch chat off (main and room chat, for participants), mute one person (the
same two channels), and delete a message (the row goes). Nobody is ever cut off from writing to
the facilitators: that line is for exactly the moment something is wrong. Observers do not chat.
Text is stored exactly as typed; clients render it as text, never as HTML.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Row, bindparam, exists, select

from ..access import Actor, load_participant, meeting_of, owned, require_entered, require_facilitating, same_meeting
from ..errors import Conflict, Invalid, NotAllowed
from ..events import declare, participant_stream, publish
from ..extensions import db
from ..models import BreakoutRoom, BreakoutRound, ChatMessage, ChatMute, ChatSettings, Meeting, User, utcnow
from ..schemas.chat import ChatDeletedOut, ChatMeOut, ChatMutedOut, ChatSettingsOut, MessageOut
from ..schemas.common import shared
from ..views.breakouts import open_room_query, room_stream
from ..views.chat import chat_enabled, message_view, muted_ids

ALL_STREAMS = ("meeting", "breakout", "participant", "facilitators")
declare("chat", "posted", ALL_STREAMS, MessageOut,
        "A chat message: main (meeting), your room's (b<id>), your line to the facilitators (p<id>); "
        "facilitators get room, direct and back-channel messages on their stream.")
declare("chat", "deleted", ALL_STREAMS, ChatDeletedOut, "A facilitator deleted a message: remove it.")
declare("chat", "settings", ("meeting",), ChatSettingsOut, "Chat was switched on or off for participants.")
declare("chat", "me", ("participant",), ChatMeOut, "Your chat was muted or unmuted by a facilitator.")
declare("chat", "muted", ("facilitators",), ChatMutedOut, "The people whose chat is muted.")



@dataclass(frozen=True)
class Author:
    participant_id: int | None
    user_id: int | None
    name: str
    role: str

    @classmethod
    def of(cls, actor: Actor) -> Author:
        if actor.facilitating:
            return cls(None, actor.user_id, db.session.get(User, actor.user_id).display_name, actor.role)
        p = load_participant(actor)
        return cls(p.id, None, p.display_name, p.role)


# ---- sending -------------------------------------------------------------------------------

def _room_running(room: BreakoutRoom) -> bool:
    rnd = db.session.get(BreakoutRound, room.round_id)
    return rnd is not None and rnd.state == "open"


def audience(m: ChatMessage) -> list[str]:
    """The streams that carry a message (and its deletion)."""
    if m.channel == "main":
        return ["meeting"]
    if m.channel == "room":
        room = db.session.get(BreakoutRoom, m.room_id)
        running = room is not None and _room_running(room)
        return ([room_stream(m.room_id)] if running else []) + ["facilitators"]
    if m.channel == "direct":
        return [participant_stream(m.thread_participant_id), "facilitators"]
    return ["facilitators"]


# The writer check's statement, built once and run with parameters (see sockets/registry.py `_PRELOAD`).
_WRITER_STATE = select(
    open_room_query(bindparam("participant_id")).scalar_subquery().label("room_id"),
    select(ChatSettings.enabled).where(ChatSettings.meeting_id == bindparam("meeting_id"))
    .scalar_subquery().label("enabled"),
    exists().where(ChatMute.participant_id == bindparam("participant_id")).label("muted"))


def _writer_state(meeting_id: int, author: Author) -> Row:
    """What decides whether a participant may write, in one statement: the room they are in (if a
    round is open), whether chat is on, whether they are muted. (Their rate is the registry's
    `chat` limit: someone already over it is refused before any of this.)"""
    return db.session.execute(_WRITER_STATE, {"meeting_id": meeting_id, "participant_id": author.participant_id}).one()


@dataclass(frozen=True)
class Target:
    channel: str
    author: Author
    room_id: int | None = None
    thread: int | None = None


def _no_extra(data: dict, *allowed: str) -> None:
    extra = {k: ["Not used for this channel."] for k in ("room_id", "participant_id") if k in data and k not in allowed}
    if extra:
        raise Invalid(fields=extra)


def check_send(actor: Actor, meeting: Meeting, data: dict) -> Target:
    """Who may write where; raises with a clear code, and changes nothing, when they may not."""
    channel = data["channel"]
    if meeting.state == "ended":
        raise Conflict("This session has ended.", code="meeting_ended")
    if actor.facilitating:
        return _facilitator_target(actor, channel, data)
    return _participant_target(actor, meeting, channel, data)


def _facilitator_target(actor: Actor, channel: str, data: dict) -> Target:
    author = Author.of(actor)
    if channel in ("main", "backchannel"):
        _no_extra(data)
        return Target(channel, author)
    if channel == "room":
        _no_extra(data, "room_id")
        if "room_id" not in data:
            raise Invalid(fields={"room_id": ["Say which room."]})
        room = owned(actor, BreakoutRoom, data["room_id"], "room")
        if not _room_running(room):
            raise Conflict("That room is closed.", code="room_closed")
        return Target(channel, author, room_id=room.id)
    _no_extra(data, "participant_id")
    if "participant_id" not in data:
        raise Invalid(fields={"participant_id": ["Say who to write to."]})
    p = same_meeting(actor, data["participant_id"])
    if p.removed_at is not None:
        raise Conflict(f"{p.display_name} is no longer in the session.", code="removed")
    return Target(channel, author, thread=p.id)


def _participant_target(actor: Actor, meeting: Meeting, channel: str, data: dict) -> Target:
    """Where a participant may write."""
    p = require_entered(actor, meeting)
    if p.role == "observer":
        raise NotAllowed("Observers follow the session without chatting.", code="observer")
    author = Author(p.id, None, p.display_name, p.role)
    if channel == "backchannel":
        raise NotAllowed("Only facilitators use the back-channel.", code="forbidden")
    if channel == "direct":
        if data.get("participant_id", p.id) != p.id or "room_id" in data:
            raise NotAllowed("You can write privately to the facilitators only.", code="forbidden")
        return Target(channel, author, thread=p.id)
    state = _writer_state(meeting.id, author)
    if channel == "room":
        _no_extra(data, "room_id")
        if state.room_id is None or data.get("room_id", state.room_id) != state.room_id:
            raise NotAllowed("You can only write in your own breakout room.", code="not_in_room")
    else:
        _no_extra(data)
        if state.room_id is not None:
            raise Conflict("You are in a breakout room: write in your room's chat.", code="in_breakout")
    if state.enabled is not None and not state.enabled:
        raise Conflict("Chat is switched off. You can still write to the facilitators.", code="chat_off")
    if state.muted:
        raise NotAllowed("A facilitator has paused your chat. You can still write to the facilitators.",
                         code="muted")
    return Target(channel, author, room_id=state.room_id if channel == "room" else None)


def post(meeting: Meeting, author: Author, channel: str, text: str, *, room_id: int | None = None,
         thread: int | None = None, kind: str = "message") -> ChatMessage:
    m = ChatMessage(meeting_id=meeting.id, channel=channel, room_id=room_id, thread_participant_id=thread,
                    author_participant_id=author.participant_id, author_user_id=author.user_id,
                    author_name=author.name, author_role=author.role, kind=kind, text=text, created_at=utcnow())
    db.session.add(m)
    db.session.flush()
    view = message_view(m)
    for stream in audience(m):
        publish(meeting.id, stream, "chat", "posted", view)
    return m


def do_send(meeting: Meeting, target: Target, text: str) -> dict:
    return message_view(post(meeting, target.author, target.channel, text, room_id=target.room_id,
                             thread=target.thread))


# ---- moderating ----------------------------------------------------------------------------

def check_delete(actor: Actor, message_id: int) -> ChatMessage:
    require_facilitating(actor)
    return owned(actor, ChatMessage, message_id, "message")


def do_delete(meeting: Meeting, m: ChatMessage) -> None:
    """The message is gone from the database and from every screen that showed it."""
    data = shared(ChatDeletedOut).dump({"id": m.id, "channel": m.channel, "room_id": m.room_id,
                                        "participant_id": m.thread_participant_id})
    streams = audience(m)
    db.session.delete(m)
    db.session.flush()
    for stream in streams:
        publish(meeting.id, stream, "chat", "deleted", data)


def check_settings(actor: Actor) -> None:
    require_facilitating(actor)


def do_settings(meeting: Meeting, enabled: bool) -> bool:
    """Switch chat on or off for participants. Returns whether it changed."""
    if chat_enabled(meeting.id) == enabled:
        return False
    row = db.session.get(ChatSettings, meeting.id)
    if row is None:
        db.session.add(ChatSettings(meeting_id=meeting.id, enabled=enabled))
    else:
        row.enabled = enabled
    db.session.flush()
    publish(meeting.id, "meeting", "chat", "settings", shared(ChatSettingsOut).dump({"enabled": enabled}))
    return True


def check_mute(actor: Actor, participant_id: int):
    require_facilitating(actor)
    return same_meeting(actor, participant_id)


def do_mute(meeting: Meeting, p, muted: bool) -> bool:
    """Mute or unmute one person's main and room chat. Returns whether it changed."""
    row = db.session.get(ChatMute, p.id)
    if (row is not None) == muted:
        return False
    if muted:
        db.session.add(ChatMute(participant_id=p.id, meeting_id=meeting.id))
    else:
        db.session.delete(row)
    db.session.flush()
    publish(meeting.id, participant_stream(p.id), "chat", "me", shared(ChatMeOut).dump({"muted": muted}))
    publish(meeting.id, "facilitators", "chat", "muted",
            shared(ChatMutedOut).dump({"participant_ids": muted_ids(meeting.id)}))
    return True


# ---- whole actions: check, change, reply (what a socket handler calls) -----------------------

def send_message(actor: Actor, data: dict) -> dict:
    meeting = meeting_of(actor)
    return {"message": do_send(meeting, check_send(actor, meeting, data), data["text"])}


def delete_message(actor: Actor, message_id: int) -> None:
    do_delete(meeting_of(actor), check_delete(actor, message_id))


def set_chat(actor: Actor, enabled: bool) -> dict:
    check_settings(actor)
    return {"changed": do_settings(meeting_of(actor), enabled)}


def mute(actor: Actor, participant_id: int, muted: bool) -> dict:
    p = check_mute(actor, participant_id)
    return {"changed": do_mute(meeting_of(actor), p, muted)}
