"""The agenda as each role sees it (items, the running one, the pinned "what I heard"), what only
facilitators see (minutes, every summary, the break setting), and the minutes as plain data for exports."""
from __future__ import annotations

from datetime import datetime

from .. import agenda_timing as timing
from ..extensions import db
from ..models import ActionItem, AgendaItem, AgendaSettings, Decision, HeardSummary, Meeting, Participant, User, utcnow
from ..models.agenda import BREAK_AFTER_MINUTES
from ..schemas.agenda import AgendaOut, AgendaPrivateOut, HeardStateOut
from ..schemas.common import shared


def items_of(meeting_id: int) -> list[AgendaItem]:
    return list(db.session.execute(
        db.select(AgendaItem).where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position, AgendaItem.id)
    ).scalars())


def running_item(meeting_id: int) -> AgendaItem | None:
    return db.session.execute(
        db.select(AgendaItem).where(AgendaItem.meeting_id == meeting_id, AgendaItem.started_at.is_not(None))
    ).scalar_one_or_none()


def break_after(meeting_id: int) -> int:
    row = db.session.get(AgendaSettings, meeting_id)
    return BREAK_AFTER_MINUTES if row is None else row.break_after_minutes


def _state(item: AgendaItem) -> str:
    if item.started_at is not None:
        return "running"
    return "done" if item.first_started_at is not None else "pending"


def _presenter(item: AgendaItem, people: dict[int, Participant]) -> dict | None:
    if item.presenter_id is not None and item.presenter_id in people:
        return {"participant_id": item.presenter_id, "name": people[item.presenter_id].display_name}
    if item.presenter_name:
        return {"participant_id": None, "name": item.presenter_name}
    return None


def _people(meeting_id: int) -> dict[int, Participant]:
    return {p.id: p for p in db.session.execute(
        db.select(Participant).where(Participant.meeting_id == meeting_id)).scalars()}


def item_view(item: AgendaItem, people: dict[int, Participant]) -> dict:
    return {"id": item.id, "position": item.position, "title": item.title, "kind": item.kind,
            "presenter": _presenter(item, people), "planned_seconds": item.planned_seconds,
            "extended_seconds": item.extended_seconds, "state": _state(item), "started_at": item.started_at,
            "ends_at": item.ends_at, "first_started_at": item.first_started_at, "finished_at": item.finished_at,
            "actual_seconds": round(item.actual_seconds, 1)}


def agenda_view(meeting_id: int) -> dict:
    items, people = items_of(meeting_id), _people(meeting_id)
    current = next((i for i in items if i.started_at is not None), None)
    pending = sum(timing.budget_seconds(i) for i in items if _state(i) == "pending")
    return shared(AgendaOut).dump({"items": [item_view(i, people) for i in items],
                                   "current_id": current.id if current else None, "pending_seconds": pending})


def _user_name(user_id: int | None) -> str | None:
    user = db.session.get(User, user_id) if user_id else None
    return user.display_name if user else None


def pinned(meeting_id: int) -> HeardSummary | None:
    return db.session.execute(
        db.select(HeardSummary).where(HeardSummary.meeting_id == meeting_id, HeardSummary.cleared_at.is_(None))
        .order_by(HeardSummary.id.desc())
    ).scalars().first()


def heard_view(meeting_id: int) -> dict:
    s = pinned(meeting_id)
    summary = None if s is None else {"id": s.id, "text": s.text, "posted_at": s.posted_at,
                                      "by": _user_name(s.posted_by)}
    return shared(HeardStateOut).dump({"summary": summary})


def summaries(meeting_id: int) -> list[HeardSummary]:
    return list(db.session.execute(
        db.select(HeardSummary).where(HeardSummary.meeting_id == meeting_id).order_by(HeardSummary.id)).scalars())


def _rows(model, meeting_id: int) -> dict[int, list]:
    out: dict[int, list] = {}
    for row in db.session.execute(db.select(model).where(model.meeting_id == meeting_id).order_by(model.id)).scalars():
        out.setdefault(row.item_id, []).append(row)
    return out


def item_minutes(meeting_id: int, items: list[AgendaItem]) -> list[dict]:
    """Notes, decisions and actions per item, in agenda order."""
    decisions, actions = _rows(Decision, meeting_id), _rows(ActionItem, meeting_id)
    return [{"item_id": i.id, "notes": i.notes or "",
             "decisions": [{"id": d.id, "text": d.text, "created_at": d.created_at} for d in decisions.get(i.id, [])],
             "actions": [{"id": a.id, "what": a.what, "owner": a.owner, "due": a.due, "created_at": a.created_at}
                         for a in actions.get(i.id, [])]}
            for i in items]


def summary_rows(meeting_id: int) -> list[dict]:
    return [{"id": s.id, "item_id": s.item_id, "text": s.text, "posted_at": s.posted_at,
             "by": _user_name(s.posted_by), "cleared_at": s.cleared_at} for s in summaries(meeting_id)]


def private_view(meeting_id: int) -> dict:
    items, limit = items_of(meeting_id), break_after(meeting_id)
    return shared(AgendaPrivateOut).dump({
        "break_after_minutes": limit, "break_due_at": timing.break_due_at(items, limit),
        "long_stretches": timing.long_stretches(items, limit), "minutes": item_minutes(meeting_id, items),
        "summaries": summary_rows(meeting_id)})


def minutes_for(meeting: Meeting, now: datetime | None = None) -> dict:
    """The meeting's minutes as plain data (for exports and the session report): every item in
    order with planned and actual seconds, notes, decisions and actions, and every summary."""
    now = now or utcnow()
    items, people = items_of(meeting.id), _people(meeting.id)
    timings = timing.planned_vs_actual(items, now)
    notes = {m["item_id"]: m for m in item_minutes(meeting.id, items)}
    rows = []
    for item, t in zip(items, timings["items"], strict=True):
        presenter = _presenter(item, people)
        rows.append({**t, "position": item.position, "title": item.title, "kind": item.kind,
                     "presenter": presenter["name"] if presenter else None, "state": _state(item),
                     "started_at": item.first_started_at, "finished_at": item.finished_at,
                     "notes": notes[item.id]["notes"], "decisions": notes[item.id]["decisions"],
                     "actions": notes[item.id]["actions"]})
    return {"meeting": {"id": meeting.id, "title": meeting.title, "kind": meeting.kind,
                        "started_at": meeting.started_at, "ended_at": meeting.ended_at},
            "items": rows, "planned_seconds": timings["planned_seconds"], "actual_seconds": timings["actual_seconds"],
            "summaries": summary_rows(meeting.id)}


def add_to_snapshot(snap: dict, meeting: Meeting, where) -> None:
    """The agenda and the pinned summary for everyone inside; minutes and every summary for facilitators."""
    if where.gated:
        return
    snap["agenda"] = agenda_view(meeting.id)
    snap["heard"] = heard_view(meeting.id)
    if where.facilitating:
        snap["private"]["agenda"] = private_view(meeting.id)
