"""The agenda: items with time boxes, edited and reordered before and during the meeting, and run
one at a time (start, next, previous, extend, stop).

Time. A running item stores when this stretch started and its deadline (`ends_at`); extend moves
the deadline. Nothing counts down in a process: every client draws the clock from `ends_at`, so it
is right after a restart and for a client that reconnects. Going back to an item starts a new
stretch with what is left of its time box. A break item is shown to everyone as a break screen
until its deadline; facilitators are prompted to add a break after `break_after_minutes` without
one (agenda_timing.break_due_at).

Audiences. The agenda and the pinned "what I heard" summary go to everyone inside (`meeting`);
the minutes (notes, decisions, actions, every summary) and the break prompt go to facilitators
only. `minutes_for(meeting)` gives the minutes as one dict, for exports and the session report.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime

from .. import agenda_timing as timing
from ..access import Actor, owned, require_facilitating
from ..errors import Conflict, Invalid, NotFound
from ..events import declare, publish
from ..extensions import db
from ..models import (ActionItem, AgendaItem, AgendaSettings, Decision, HeardSummary, Meeting, Participant, User,
                      utcnow)
from ..models.agenda import BREAK_AFTER_MINUTES
from ..schemas.agenda import MAX_ITEMS, AgendaOut, AgendaPrivateOut, HeardStateOut
from ..schemas.common import shared

declare("agenda", "updated", ("meeting",), AgendaOut,
        "The agenda changed (items, order, the running item and its deadline): draw clocks from `ends_at`.")
declare("heard", "updated", ("meeting",), HeardStateOut,
        "The pinned \"what I heard\" summary was posted, replaced or cleared.")
declare("agenda", "private", ("facilitators",), AgendaPrivateOut,
        "The facilitators' agenda view changed: break prompt and setting, minutes (notes, decisions, actions), "
        "summaries.")

RUN_STATES = ("open", "live", "paused")


# ---- reading -------------------------------------------------------------------------------

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


# ---- publishing ----------------------------------------------------------------------------

def _capture(meeting_id: int) -> tuple[dict, dict, dict]:
    return agenda_view(meeting_id), heard_view(meeting_id), private_view(meeting_id)


@contextmanager
def agenda_change(meeting: Meeting):
    """Publish, after the change inside the block, every view of the agenda that changed.

    The meeting row is locked first (FOR UPDATE on PostgreSQL) so that two facilitators pressing
    Next at once take turns instead of both starting an item.
    """
    _lock(meeting)
    before = _capture(meeting.id)
    yield
    db.session.flush()
    after = _capture(meeting.id)
    for (stream, type_, op), old, new in zip(
            (("meeting", "agenda", "updated"), ("meeting", "heard", "updated"), ("facilitators", "agenda", "private")),
            before, after, strict=True):
        if old != new:
            publish(meeting.id, stream, type_, op, new)


# ---- checks --------------------------------------------------------------------------------

def check_edit(actor: Actor, meeting: Meeting) -> None:
    require_facilitating(actor)
    if meeting.state == "ended":
        raise Conflict("The session has ended; its agenda is in the minutes now.", code="meeting_ended")


def item_of(actor: Actor, item_id: int) -> AgendaItem:
    """An item of the actor's own meeting; items of other meetings do not exist here."""
    return owned(actor, AgendaItem, item_id, "agenda item")


def _presenter_ok(actor: Actor, data: dict) -> None:
    pid = data.get("presenter_id")
    if pid is None:
        return
    p = owned(actor, Participant, pid, "person", fields={"presenter_id": ["Not in this session."]})
    if p.removed_at is not None:
        raise NotFound("No such person in this session.", fields={"presenter_id": ["Not in this session."]})


# ---- editing -------------------------------------------------------------------------------

def _renumber(items: list[AgendaItem]) -> None:
    for pos, item in enumerate(items, start=1):
        if item.position != pos:
            item.position = pos


def check_add(actor: Actor, meeting: Meeting, data: dict) -> None:
    check_edit(actor, meeting)
    _presenter_ok(actor, data)
    if data.get("after_id") is not None:
        item_of(actor, data["after_id"])
    if len(items_of(meeting.id)) >= MAX_ITEMS:
        raise Conflict(f"An agenda holds at most {MAX_ITEMS} items.", code="too_many")


def do_add(meeting: Meeting, data: dict) -> AgendaItem:
    with agenda_change(meeting):
        items = items_of(meeting.id)
        item = AgendaItem(meeting_id=meeting.id, position=len(items) + 1, title=data["title"], kind=data["kind"],
                          presenter_id=data.get("presenter_id"), presenter_name=data.get("presenter_name"),
                          planned_seconds=data["planned_seconds"], extended_seconds=0, actual_seconds=0.0, notes="")
        db.session.add(item)
        db.session.flush()
        after = data.get("after_id")
        at = next((n + 1 for n, i in enumerate(items) if i.id == after), len(items))
        items.insert(at, item)
        _renumber(items)
    return item


def check_update(actor: Actor, meeting: Meeting, data: dict) -> AgendaItem:
    check_edit(actor, meeting)
    item = item_of(actor, data["item_id"])
    _presenter_ok(actor, data)
    return item


def do_update(meeting: Meeting, item: AgendaItem, data: dict) -> None:
    with agenda_change(meeting):
        item.title, item.kind = data["title"], data["kind"]
        item.presenter_id, item.presenter_name = data.get("presenter_id"), data.get("presenter_name")
        item.planned_seconds = data["planned_seconds"]
        if item.started_at is not None:  # a new time box for the running item moves its deadline
            item.ends_at = timing.deadline(item, item.started_at)


def check_remove(actor: Actor, meeting: Meeting, item_id: int) -> AgendaItem:
    check_edit(actor, meeting)
    item = item_of(actor, item_id)
    if item.started_at is not None:
        raise Conflict("This item is running: move on or stop it first.", code="item_running")
    if item.first_started_at is not None:
        raise Conflict("This item has been taken and is part of the minutes.", code="item_taken")
    written = [model for model in (Decision, ActionItem)
               if db.session.execute(db.select(model.id).where(model.item_id == item.id)).first()]
    if item.notes.strip() or written:
        raise Conflict("This item has notes, decisions or actions: remove those first.", code="has_minutes")
    return item


def do_remove(meeting: Meeting, item: AgendaItem) -> None:
    with agenda_change(meeting):
        db.session.delete(item)
        db.session.flush()
        _renumber(items_of(meeting.id))


def check_reorder(actor: Actor, meeting: Meeting, item_ids: list[int]) -> list[AgendaItem]:
    check_edit(actor, meeting)
    by_id = {i.id: i for i in items_of(meeting.id)}
    if any(item_id not in by_id for item_id in item_ids):  # another meeting's item does not exist here
        raise NotFound("No such agenda item in this session.", fields={"item_ids": ["Not in this session."]})
    if set(item_ids) != set(by_id):
        raise Invalid("List every item of the agenda once, in the new order.", code="incomplete",
                      fields={"item_ids": ["Every item of the agenda, each once."]})
    return [by_id[i] for i in item_ids]


def do_reorder(meeting: Meeting, order: list[AgendaItem]) -> None:
    with agenda_change(meeting):
        _renumber(order)


def check_settings(actor: Actor) -> None:
    require_facilitating(actor)


def do_settings(meeting: Meeting, break_after_minutes: int) -> None:
    with agenda_change(meeting):
        row = db.session.get(AgendaSettings, meeting.id)
        if row is None:
            db.session.add(AgendaSettings(meeting_id=meeting.id, break_after_minutes=break_after_minutes))
        else:
            row.break_after_minutes = break_after_minutes


# ---- running -------------------------------------------------------------------------------

def _close_run(item: AgendaItem | None, now: datetime) -> None:
    if item is None or item.started_at is None:
        return
    item.actual_seconds = timing.actual_seconds(item, now)
    item.finished_at = now
    item.started_at = item.ends_at = None
    db.session.flush()  # before another item starts: one running item per meeting (unique index)


def _start_run(item: AgendaItem, now: datetime) -> None:
    item.started_at = now
    item.first_started_at = item.first_started_at or now
    item.ends_at = timing.deadline(item, now)


def check_run(actor: Actor, meeting: Meeting) -> None:
    require_facilitating(actor)
    if meeting.state not in RUN_STATES:
        raise Conflict("The agenda runs while the session is in the lobby or live.", code="not_live")


def _lock(meeting: Meeting) -> None:
    """Take the meeting row (FOR UPDATE on PostgreSQL) before reading what runs: of two facilitators
    pressing Next at once, the second then sees the first's change and is told it is stale."""
    db.session.execute(db.select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())


def _check_seen(meeting: Meeting, current_id: int | None) -> AgendaItem | None:
    _lock(meeting)
    current = running_item(meeting.id)
    if (current.id if current else None) != current_id:
        raise Conflict("The agenda has already moved on.", code="stale")
    return current


def check_start(actor: Actor, meeting: Meeting, item_id: int) -> AgendaItem:
    check_run(actor, meeting)
    _lock(meeting)
    item = item_of(actor, item_id)
    if item.started_at is not None:
        raise Conflict("This item is already running.", code="item_running")
    return item


def do_start(meeting: Meeting, item: AgendaItem, now: datetime | None = None) -> None:
    now = now or utcnow()
    with agenda_change(meeting):
        _close_run(running_item(meeting.id), now)
        _start_run(item, now)


def check_next(actor: Actor, meeting: Meeting, current_id: int | None) -> AgendaItem | None:
    """The item Next starts: the one after the running item; with none running, the first not
    taken yet. None when the running item is the last (Next then just ends it)."""
    check_run(actor, meeting)
    current = _check_seen(meeting, current_id)
    items = items_of(meeting.id)
    if current is not None:
        return next((i for i in items if i.position > current.position), None)
    following = next((i for i in items if i.first_started_at is None), None)
    if following is None:
        raise Conflict("Every item has been taken.", code="agenda_done")
    return following


def check_previous(actor: Actor, meeting: Meeting, current_id: int | None) -> AgendaItem:
    check_run(actor, meeting)
    current = _check_seen(meeting, current_id)
    items = items_of(meeting.id)
    if current is not None:
        earlier = [i for i in items if i.position < current.position]
    else:
        earlier = [i for i in items if i.first_started_at is not None]
    if not earlier:
        raise Conflict("There is no earlier item.", code="no_previous")
    return earlier[-1]


def do_move(meeting: Meeting, target: AgendaItem | None, now: datetime | None = None) -> None:
    """End the running item and start `target` (None: nothing runs after it)."""
    now = now or utcnow()
    with agenda_change(meeting):
        _close_run(running_item(meeting.id), now)
        if target is not None:
            _start_run(target, now)


def check_running(actor: Actor, meeting: Meeting) -> AgendaItem:
    require_facilitating(actor)
    item = running_item(meeting.id)
    if item is None:
        raise Conflict("No agenda item is running.", code="not_running")
    return item


def do_extend(meeting: Meeting, item: AgendaItem, seconds: int) -> None:
    with agenda_change(meeting):
        item.extended_seconds += seconds
        item.ends_at = timing.deadline(item, item.started_at)


def do_stop(meeting: Meeting, now: datetime | None = None) -> None:
    """End the running item, if any (also when the session ends)."""
    current = running_item(meeting.id)
    if current is None:
        return
    with agenda_change(meeting):
        _close_run(current, now or utcnow())
