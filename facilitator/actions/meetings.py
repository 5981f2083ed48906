"""Meetings: create, edit, move through their states, archive, add co-facilitators."""
from __future__ import annotations

import secrets

from ..access import Actor, facilitator_role, meeting_of, require_facilitating, require_owner
from ..errors import Conflict, Invalid, NotFound
from ..events import declare, publish
from ..extensions import db
from ..models import CoFacilitator, EventStream, Meeting, User, utcnow
from ..schemas.common import shared
from ..schemas.meetings import MeetingOut, MeetingPrivateOut
from ..views.breakouts import active_round
from .agenda import do_stop
from .attendance import end_all
from .breakouts import do_close
from .polls import close_open_polls
from .rules import replace_rules

declare("meeting", "updated", ("meeting",), MeetingOut, "The meeting's public details or state changed.")
declare("meeting", "private", ("facilitators",), MeetingPrivateOut, "The meeting's facilitator-only details changed.")

# No 0/O, 1/I/L or U/V look-alikes: people read these aloud and type them on phones.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CODE_LENGTH = 8

# What may still change once a session has ended.
AFTER_END = {"retention_days", "after_text", "report_chat"}

TRANSITIONS = {
    "draft": {"open", "live", "ended"},
    "open": {"live", "ended"},
    "live": {"paused", "ended"},
    "paused": {"live", "ended"},
    "ended": set(),
}


def new_join_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        exists = db.session.execute(db.select(Meeting.id).where(Meeting.join_code == code)).first()
        if not exists:
            return code


def normalise_code(raw: str) -> str:
    """Accept codes typed with spaces, dashes or lower case."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def publish_meeting(meeting: Meeting) -> None:
    publish(meeting.id, "meeting", "meeting", "updated", shared(MeetingOut).dump(meeting))
    publish(meeting.id, "facilitators", "meeting", "private", shared(MeetingPrivateOut).dump(meeting))


def do_create_meeting(owner: User, data: dict, rules: list[dict] | None = None) -> Meeting:
    """A new draft meeting owned by `owner`, with its ground rules (version 1 if there are any)."""
    meeting = Meeting(
        owner=owner,
        title=data["title"],
        kind=data.get("kind", "group"),
        scheduled_at=data.get("scheduled_at"),
        group_tags=list(data.get("group_tags") or []),
        retention_days=data.get("retention_days", 30),
        after_text=data.get("after_text") or None,
        report_chat=bool(data.get("report_chat", False)),
        join_code=new_join_code(),
        observer_key=secrets.token_urlsafe(24),
        cofac_key=secrets.token_urlsafe(24),
    )
    db.session.add(meeting)
    db.session.flush()
    for stream in ("meeting", "facilitators"):
        db.session.add(EventStream(meeting_id=meeting.id, stream=stream, seq=0))
    if rules:
        replace_rules(meeting, rules)
    db.session.flush()
    return meeting


def check_update_meeting(actor: Actor, meeting: Meeting, data: dict) -> None:
    require_facilitating(actor)
    if meeting.state == "ended" and set(data) - AFTER_END:
        raise Conflict("An ended session can only have its retention, after-session text and report "
                       "settings changed.")
    if "retention_days" in data:
        require_owner(actor)


def do_update_meeting(actor: Actor, meeting: Meeting, data: dict) -> Meeting:
    changed = False
    if "after_text" in data:
        data = {**data, "after_text": data["after_text"] or None}  # empty: back to the default text
    for key in ("title", "kind", "scheduled_at", "group_tags", "retention_days", "after_text", "report_chat"):
        if key in data and getattr(meeting, key) != data[key]:
            setattr(meeting, key, list(data[key]) if key == "group_tags" else data[key])
            changed = True
    if changed:
        meeting.updated_at = utcnow()
        db.session.flush()
        publish_meeting(meeting)
    return meeting


def update_meeting(actor: Actor, meeting: Meeting, data: dict) -> Meeting:
    """The whole action: check, then change."""
    check_update_meeting(actor, meeting, data)
    return do_update_meeting(actor, meeting, data)


def set_state(actor: Actor, meeting: Meeting, state: str) -> Meeting:
    """The whole action: check, then change."""
    check_set_state(actor, meeting, state)
    return do_set_state(actor, meeting, state)


def set_meeting_state(actor: Actor, state: str) -> None:
    """meeting.state, whole: `set_state` on the actor's own meeting (the reply carries nothing more)."""
    set_state(actor, meeting_of(actor), state)


def check_set_state(actor: Actor, meeting: Meeting, state: str) -> None:
    require_facilitating(actor)
    if state == meeting.state:
        raise Conflict(f"The session is already {state}.", code="no_change")
    if state not in TRANSITIONS[meeting.state]:
        raise Conflict(f"A session that is {meeting.state} cannot become {state}.", code="bad_transition")


def do_set_state(actor: Actor, meeting: Meeting, state: str) -> Meeting:
    now = utcnow()
    if state == "open" and meeting.opened_at is None:
        meeting.opened_at = now
    if state == "live" and meeting.started_at is None:
        meeting.started_at = now
        meeting.opened_at = meeting.opened_at or now
    if state == "ended":
        meeting.ended_at = now
        end_all(meeting.id, now)
    meeting.state = state
    db.session.flush()
    publish_meeting(meeting)
    if state == "ended":
        # Nobody is left in a breakout room when the session is over.
        rnd = active_round(meeting.id)
        if rnd is not None and rnd.state == "open":
            do_close(meeting, rnd, now, reason="closed")
        do_stop(meeting, now)
        # No poll stays open: each is closed as poll.close closes it, so its results are final.
        close_open_polls(meeting)
    return meeting


def check_archive(actor: Actor) -> None:
    require_owner(actor)


def archive(actor: Actor, meeting: Meeting, archived: bool) -> None:
    """The whole action: check, then change."""
    check_archive(actor)
    do_archive(actor, meeting, archived)


def do_archive(actor: Actor, meeting: Meeting, archived: bool) -> None:
    meeting.archived_at = utcnow() if archived else None
    db.session.flush()
    publish(meeting.id, "facilitators", "meeting", "private", shared(MeetingPrivateOut).dump(meeting))


def check_add_cofacilitator(actor: Actor, meeting: Meeting, user: User) -> None:
    """The owner adds an account as co-facilitator (co-facilitators do not invite)."""
    require_owner(actor)
    if user.id == meeting.owner_id:
        raise Invalid("You already run this session.", code="already_facilitator")


def check_accept_invitation(meeting: Meeting, user: User) -> None:
    """Someone signed in opens the co-facilitator link: the session must still be running, and they
    must not facilitate it already."""
    if meeting.state == "ended":
        raise NotFound("No such session.")
    if facilitator_role(user, meeting) is not None:
        raise Conflict("You already facilitate this session.", code="already_facilitator")


def add_cofacilitator(actor: Actor, meeting: Meeting, user: User) -> bool:
    """The whole action: check, then add."""
    check_add_cofacilitator(actor, meeting, user)
    return do_add_cofacilitator(meeting, user)


def do_add_cofacilitator(meeting: Meeting, user: User) -> bool:
    """Add `user` as co-facilitator; False if they already were one."""
    if db.session.get(CoFacilitator, (meeting.id, user.id)) is not None:
        return False
    db.session.add(CoFacilitator(meeting_id=meeting.id, user_id=user.id))
    db.session.flush()
    db.session.refresh(meeting)
    publish_meeting(meeting)
    return True
