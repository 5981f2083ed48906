"""A meeting with something in most of its tables, made through the real actions, and the
delete-now action as the owner runs it; for the retention and id tests of the data layer."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from facilitator.access import Actor
from facilitator.actions import chat, floor, safety, signals
from facilitator.actions.meetings import do_create_meeting, do_set_state
from facilitator.actions.participants import do_join
from facilitator.actions.retention import check_delete_now, do_delete_now, purge_expired
from facilitator.actions.rules import do_ack
from facilitator.extensions import db
from facilitator.models import Meeting, User, utcnow
from facilitator.rule_templates import default_rules


def make_owner(email: str = "owner@example.org") -> int:
    user = User(email=email, display_name="Fran", password_hash="x")
    db.session.add(user)
    db.session.commit()
    return user.id


def fill_meeting(owner_id: int, tag: str, *, plan: str | None = None, chat_text: str | None = None) -> int:
    """A live meeting with two participants who accepted the rules, a facilitators' contact plan,
    a chat message, a raised hand, a signal and a support request. Returns its id."""
    owner = db.session.get(User, owner_id)
    m = do_create_meeting(owner, {"title": f"{tag} group"}, default_rules())
    db.session.commit()
    mid = m.id
    fac = Actor("facilitator", mid, user_id=owner_id)
    do_set_state(fac, m, "live")
    db.session.commit()
    pids = []
    for name in ("Ann", "Bo"):
        p, _token = do_join(m, {"display_name": f"{tag} {name}", "group_tag": None})
        do_ack(p, m)
        db.session.commit()
        pids.append(p.id)
    ann, bo = (Actor("participant", mid, participant_id=pid) for pid in pids)

    m = db.session.get(Meeting, mid)
    safety.do_set_plan(fac, safety.check_set_plan(fac, pids[0]), plan or f"{tag} plan")
    text = chat_text or f"{tag} hello"
    chat.do_send(m, chat.check_send(ann, m, {"channel": "main", "text": text}), text)
    db.session.commit()
    m = db.session.get(Meeting, mid)
    floor.do_raise(m, floor.check_raise(bo, m, "new"), "new")
    db.session.commit()
    m = db.session.get(Meeting, mid)
    signals.do_raise_signal(signals.check_raise_signal(ann, m, "slow_down"), "slow_down")
    signals.do_support(signals.check_support(bo, m))
    db.session.commit()
    db.session.info.clear()
    return mid


def delete_now(owner_id: int, meeting_id: int) -> None:
    """The owner's delete-now, as the edit page and the REST API run it: check, do, commit."""
    meeting = db.session.get(Meeting, meeting_id)
    check_delete_now(Actor("facilitator", meeting_id, user_id=owner_id))
    do_delete_now(meeting)
    db.session.commit()
    db.session.info.clear()


def purge(owner_id: int, meeting_id: int) -> None:
    """End the meeting, let its retention period pass, and run the retention job's purge."""
    meeting = db.session.get(Meeting, meeting_id)
    do_set_state(Actor("facilitator", meeting_id, user_id=owner_id), meeting, "ended")
    db.session.commit()
    now = utcnow() + timedelta(days=meeting.retention_days, seconds=1)
    db.session.info.clear()
    assert purge_expired(now) == [meeting_id]
    db.session.info.clear()


def surrogate_tables() -> list[sa.Table]:
    """The tables keyed by one integer column of their own (not a foreign key): their ids are
    made by the database, and must never be given twice."""
    out = []
    for table in db.metadata.sorted_tables:
        key = list(table.primary_key.columns)
        if len(key) == 1 and isinstance(key[0].type, sa.Integer) and not key[0].foreign_keys:
            out.append(table)
    return out


def all_ids() -> dict[str, set[int]]:
    """Every id in every surrogate-keyed table."""
    out = {}
    for table in surrogate_tables():
        key = list(table.primary_key.columns)[0]
        out[table.name] = set(db.session.execute(sa.select(key)).scalars())
    db.session.commit()
    return out
