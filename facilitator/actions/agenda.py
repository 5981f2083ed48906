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
from ..access import Actor, meeting_of, owned, require_facilitating
from ..errors import Conflict, Invalid, NotFound
from ..events import declare, publish
from ..extensions import db
from ..models import ActionItem, AgendaItem, AgendaSettings, Decision, Meeting, Participant, utcnow
from ..schemas.agenda import MAX_ITEMS, AgendaOut, AgendaPrivateOut, HeardStateOut
from ..views.agenda import agenda_view, heard_view, items_of, private_view, running_item

declare("agenda", "updated", ("meeting",), AgendaOut,
        "The agenda changed (items, order, the running item and its deadline): draw clocks from `ends_at`.")
declare("heard", "updated", ("meeting",), HeardStateOut,
        "The pinned \"what I heard\" summary was posted, replaced or cleared.")
declare("agenda", "private", ("facilitators",), AgendaPrivateOut,
        "The facilitators' agenda view changed: break prompt and setting, minutes (notes, decisions, actions), "
        "summaries.")

RUN_STATES = ("open", "live", "paused")


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


def add_item(actor: Actor, data: dict) -> dict:
    """agenda.add, whole: check, add, and the new item's id for the reply."""
    meeting = meeting_of(actor)
    check_add(actor, meeting, data)
    return {"item_id": do_add(meeting, data).id}


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


def update_item(actor: Actor, data: dict) -> None:
    """agenda.update, whole: check, then change the item."""
    meeting = meeting_of(actor)
    do_update(meeting, check_update(actor, meeting, data), data)


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


def remove_item(actor: Actor, item_id: int) -> None:
    """agenda.remove, whole: check, then remove the item."""
    meeting = meeting_of(actor)
    do_remove(meeting, check_remove(actor, meeting, item_id))


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


def reorder_items(actor: Actor, item_ids: list[int]) -> None:
    """agenda.reorder, whole: check, then put the items in the new order."""
    meeting = meeting_of(actor)
    do_reorder(meeting, check_reorder(actor, meeting, item_ids))


def check_settings(actor: Actor) -> None:
    require_facilitating(actor)


def do_settings(meeting: Meeting, break_after_minutes: int) -> None:
    with agenda_change(meeting):
        row = db.session.get(AgendaSettings, meeting.id)
        if row is None:
            db.session.add(AgendaSettings(meeting_id=meeting.id, break_after_minutes=break_after_minutes))
        else:
            row.break_after_minutes = break_after_minutes


def set_break_prompt(actor: Actor, break_after_minutes: int) -> None:
    """agenda.settings, whole: check, then set when to prompt for a break."""
    check_settings(actor)
    do_settings(meeting_of(actor), break_after_minutes)


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


def start_item(actor: Actor, item_id: int) -> None:
    """agenda.start, whole: check, then start the item (ending the running one)."""
    meeting = meeting_of(actor)
    do_start(meeting, check_start(actor, meeting, item_id))


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


def move_next(actor: Actor, current_id: int | None) -> dict:
    """agenda.next, whole: check, move on, and the item now running (None: the agenda is done)."""
    meeting = meeting_of(actor)
    target = check_next(actor, meeting, current_id)
    do_move(meeting, target)
    return {"item_id": target.id if target else None}


def move_previous(actor: Actor, current_id: int | None) -> dict:
    """agenda.previous, whole: check, go back, and the item now running."""
    meeting = meeting_of(actor)
    target = check_previous(actor, meeting, current_id)
    do_move(meeting, target)
    return {"item_id": target.id}


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


def extend_item(actor: Actor, seconds: int) -> None:
    """agenda.extend, whole: check that an item runs, then move its deadline."""
    meeting = meeting_of(actor)
    do_extend(meeting, check_running(actor, meeting), seconds)


def do_stop(meeting: Meeting, now: datetime | None = None) -> None:
    """End the running item, if any (also when the session ends)."""
    current = running_item(meeting.id)
    if current is None:
        return
    with agenda_change(meeting):
        _close_run(current, now or utcnow())


def stop_item(actor: Actor) -> None:
    """agenda.stop, whole: check that an item runs, then end it without starting another."""
    meeting = meeting_of(actor)
    check_running(actor, meeting)
    do_stop(meeting)
