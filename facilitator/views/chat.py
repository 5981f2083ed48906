"""Chat as each role reads it: a channel's history, the main chat and a participant's own conversation, and
what only facilitators read (the back-channel, every conversation and room, who is muted)."""
from __future__ import annotations

from sqlalchemy import func

from ..extensions import db
from ..models import ChatMessage, ChatMute, ChatSettings
from ..schemas.chat import MessageOut
from ..schemas.common import shared

HISTORY = 200  # messages per channel (per room, per direct conversation) in a snapshot


def message_view(m: ChatMessage) -> dict:
    return shared(MessageOut).dump({
        "id": m.id, "channel": m.channel, "room_id": m.room_id, "participant_id": m.thread_participant_id,
        "author": {"participant_id": m.author_participant_id, "user_id": m.author_user_id,
                   "name": m.author_name, "role": m.author_role},
        "kind": m.kind, "text": m.text, "sent_at": m.created_at})


def history(meeting_id: int, channel: str, *, room_id: int | None = None, thread: int | None = None) -> list[dict]:
    """The last messages of one channel (one room, one conversation), oldest first."""
    q = db.select(ChatMessage).where(ChatMessage.meeting_id == meeting_id, ChatMessage.channel == channel)
    if room_id is not None:
        q = q.where(ChatMessage.room_id == room_id)
    if thread is not None:
        q = q.where(ChatMessage.thread_participant_id == thread)
    rows = list(db.session.execute(q.order_by(ChatMessage.id.desc()).limit(HISTORY)).scalars())
    return [message_view(m) for m in reversed(rows)]


def history_by(meeting_id: int, channel: str, key) -> list[dict]:
    """The last messages of every room (or every conversation) of a channel, in one list by id."""
    rank = func.row_number().over(partition_by=key, order_by=ChatMessage.id.desc()).label("rank")
    inner = (db.select(ChatMessage.id, rank)
             .where(ChatMessage.meeting_id == meeting_id, ChatMessage.channel == channel).subquery())
    ids = db.select(inner.c.id).where(inner.c.rank <= HISTORY)
    rows = db.session.execute(db.select(ChatMessage).where(ChatMessage.id.in_(ids)).order_by(ChatMessage.id))
    return [message_view(m) for m in rows.scalars()]


def chat_enabled(meeting_id: int) -> bool:
    row = db.session.get(ChatSettings, meeting_id)
    return row is None or row.enabled


def is_muted(participant_id: int) -> bool:
    return db.session.get(ChatMute, participant_id) is not None


def muted_ids(meeting_id: int) -> list[int]:
    return list(db.session.execute(db.select(ChatMute.participant_id).where(ChatMute.meeting_id == meeting_id)
                                   .order_by(ChatMute.participant_id)).scalars())


def public_chat(meeting_id: int, participant_id: int | None) -> dict:
    """`snap["chat"]`: for a participant also their mute and their conversation with the facilitators."""
    out = {"enabled": chat_enabled(meeting_id), "main": history(meeting_id, "main")}
    if participant_id is not None:
        out["muted"] = is_muted(participant_id)
        out["direct"] = history(meeting_id, "direct", thread=participant_id)
    return out


def private_chat(meeting_id: int) -> dict:
    """`snap["private"]["chat"]`: everything only facilitators read."""
    return {"muted": muted_ids(meeting_id), "backchannel": history(meeting_id, "backchannel"),
            "direct": history_by(meeting_id, "direct", ChatMessage.thread_participant_id),
            "rooms": history_by(meeting_id, "room", ChatMessage.room_id)}


def add_to_snapshot(snap: dict, meeting, where) -> None:
    """The main chat (and a participant's own conversation) for everyone inside; the rest for facilitators."""
    if where.gated:
        return
    snap["chat"] = public_chat(meeting.id, None if where.facilitating else where.participant_id)
    if where.facilitating:
        snap["private"]["chat"] = private_chat(meeting.id)
