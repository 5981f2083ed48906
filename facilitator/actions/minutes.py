"""Minutes, written by facilitators and co-facilitators only: notes, decisions and actions per
agenda item, and the "what I heard" summary posted back to the group (pinned for everyone until
replaced or cleared, and kept in the minutes)."""
from __future__ import annotations

from ..access import Actor, meeting_of, owned, require_facilitating
from ..errors import Conflict
from ..extensions import db
from ..models import ActionItem, AgendaItem, Decision, HeardSummary, Meeting, utcnow
from ..views.agenda import pinned, running_item
from .agenda import agenda_change, item_of


def check_minutes(actor: Actor, item_id: int) -> AgendaItem:
    """Only facilitators write minutes, also after the session has ended."""
    require_facilitating(actor)
    return item_of(actor, item_id)


def do_notes(meeting: Meeting, item: AgendaItem, notes: str) -> None:
    with agenda_change(meeting):
        item.notes = notes


def do_add_decision(meeting: Meeting, item: AgendaItem, text: str) -> Decision:
    with agenda_change(meeting):
        d = Decision(meeting_id=meeting.id, item_id=item.id, text=text, created_at=utcnow())
        db.session.add(d)
    return d


def do_add_action(meeting: Meeting, item: AgendaItem, data: dict) -> ActionItem:
    with agenda_change(meeting):
        a = ActionItem(meeting_id=meeting.id, item_id=item.id, what=data["what"], owner=data["owner"],
                       due=data.get("due"), created_at=utcnow())
        db.session.add(a)
    return a


def write_notes(actor: Actor, item_id: int, notes: str) -> None:
    """minutes.notes, whole: check, then replace the item's notes."""
    do_notes(meeting_of(actor), check_minutes(actor, item_id), notes)


def add_decision(actor: Actor, item_id: int, text: str) -> dict:
    """minutes.decision, whole: check, record the decision, and its id for the reply."""
    item = check_minutes(actor, item_id)
    return {"decision_id": do_add_decision(meeting_of(actor), item, text).id}


def add_action(actor: Actor, data: dict) -> dict:
    """minutes.action, whole: check, record the action (under `data["item_id"]`), and its id for the reply."""
    item = check_minutes(actor, data["item_id"])
    return {"action_id": do_add_action(meeting_of(actor), item, data).id}


def _row_of(actor: Actor, model, row_id: int, what: str):
    require_facilitating(actor)
    return owned(actor, model, row_id, what)


def check_remove_decision(actor: Actor, decision_id: int) -> Decision:
    return _row_of(actor, Decision, decision_id, "decision")


def check_remove_action(actor: Actor, action_id: int) -> ActionItem:
    return _row_of(actor, ActionItem, action_id, "action")


def do_remove_row(meeting: Meeting, row) -> None:
    with agenda_change(meeting):
        db.session.delete(row)


def remove_decision(actor: Actor, decision_id: int) -> None:
    """minutes.decision_remove, whole: check, then remove the decision."""
    do_remove_row(meeting_of(actor), check_remove_decision(actor, decision_id))


def remove_action(actor: Actor, action_id: int) -> None:
    """minutes.action_remove, whole: check, then remove the action."""
    do_remove_row(meeting_of(actor), check_remove_action(actor, action_id))


# ---- what I heard --------------------------------------------------------------------------

def check_heard(actor: Actor, meeting: Meeting) -> None:
    require_facilitating(actor)
    if meeting.state == "ended":
        raise Conflict("The session has ended.", code="meeting_ended")


def do_post_heard(actor: Actor, meeting: Meeting, text: str) -> HeardSummary:
    """Pin a new summary for everyone; the one pinned before is replaced (it stays in the minutes)."""
    now = utcnow()
    with agenda_change(meeting):
        old = pinned(meeting.id)
        if old is not None:
            old.cleared_at = now
        current = running_item(meeting.id)
        s = HeardSummary(meeting_id=meeting.id, item_id=current.id if current else None, text=text,
                         posted_at=now, posted_by=actor.user_id)
        db.session.add(s)
    return s


def post_heard(actor: Actor, text: str) -> dict:
    """heard.post, whole: check, pin the summary, and its id for the reply."""
    meeting = meeting_of(actor)
    check_heard(actor, meeting)
    return {"summary_id": do_post_heard(actor, meeting, text).id}


def check_clear_heard(actor: Actor, meeting: Meeting) -> HeardSummary:
    check_heard(actor, meeting)
    s = pinned(meeting.id)
    if s is None:
        raise Conflict("No summary is pinned.", code="nothing_pinned")
    return s


def do_clear_heard(meeting: Meeting, s: HeardSummary) -> None:
    with agenda_change(meeting):
        s.cleared_at = utcnow()


def clear_heard(actor: Actor) -> None:
    """heard.clear, whole: check that a summary is pinned, then unpin it."""
    meeting = meeting_of(actor)
    do_clear_heard(meeting, check_clear_heard(actor, meeting))
