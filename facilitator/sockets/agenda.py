"""Socket handlers for the agenda, the minutes and "what I heard" (see actions/agenda.py, minutes.py)."""
from __future__ import annotations

from ..access import Actor, meeting_of
from ..actions import agenda, minutes
from ..schemas.agenda import (ActionAddIn, ActionRefIn, AgendaAddIn, AgendaExtendIn, AgendaItemRefIn, AgendaMoveIn,
                              AgendaReorderIn, AgendaSettingsIn, AgendaUpdateIn, DecisionAddIn, DecisionRefIn,
                              HeardPostIn, NotesIn)
from ..schemas.common import EmptyIn
from .registry import on

FACILITATORS = ("facilitator", "cofacilitator")


@on("agenda.add", AgendaAddIn, "Add an agenda item (at the end, or after `after_id`).", roles=FACILITATORS)
def on_agenda_add(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    agenda.check_add(actor, meeting, data)
    return {"item_id": agenda.do_add(meeting, data).id}


@on("agenda.update", AgendaUpdateIn, "Change an item's title, kind, presenter or time box.", roles=FACILITATORS)
def on_agenda_update(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    agenda.do_update(meeting, agenda.check_update(actor, meeting, data), data)


@on("agenda.remove", AgendaItemRefIn, "Remove an item that has not been taken yet.", roles=FACILITATORS)
def on_agenda_remove(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    agenda.do_remove(meeting, agenda.check_remove(actor, meeting, data["item_id"]))


@on("agenda.reorder", AgendaReorderIn, "Put the agenda in a new order (every item id, once).", roles=FACILITATORS)
def on_agenda_reorder(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    agenda.do_reorder(meeting, agenda.check_reorder(actor, meeting, data["item_ids"]))


@on("agenda.settings", AgendaSettingsIn, "Prompt for a break after this many minutes without one (0: never).",
    roles=FACILITATORS)
def on_agenda_settings(actor: Actor, data: dict):
    agenda.check_settings(actor)
    agenda.do_settings(meeting_of(actor), data["break_after_minutes"])


@on("agenda.start", AgendaItemRefIn, "Start this item now (the running one, if any, ends).", roles=FACILITATORS)
def on_agenda_start(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    agenda.do_start(meeting, agenda.check_start(actor, meeting, data["item_id"]))


@on("agenda.next", AgendaMoveIn, "End the running item and start the next one (give the running item you saw).",
    roles=FACILITATORS)
def on_agenda_next(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    target = agenda.check_next(actor, meeting, data["current_id"])
    agenda.do_move(meeting, target)
    return {"item_id": target.id if target else None}


@on("agenda.previous", AgendaMoveIn, "Go back to the item before the running one (what is left of its time box).",
    roles=FACILITATORS)
def on_agenda_previous(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    target = agenda.check_previous(actor, meeting, data["current_id"])
    agenda.do_move(meeting, target)
    return {"item_id": target.id}


@on("agenda.extend", AgendaExtendIn, "Give the running item more time: its deadline moves.", roles=FACILITATORS)
def on_agenda_extend(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    agenda.do_extend(meeting, agenda.check_running(actor, meeting), data["seconds"])


@on("agenda.stop", EmptyIn, "End the running item without starting another.", roles=FACILITATORS)
def on_agenda_stop(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    agenda.check_running(actor, meeting)
    agenda.do_stop(meeting)


@on("minutes.notes", NotesIn, "Replace an item's notes.", roles=FACILITATORS)
def on_minutes_notes(actor: Actor, data: dict):
    minutes.do_notes(meeting_of(actor), minutes.check_minutes(actor, data["item_id"]), data["notes"])


@on("minutes.decision", DecisionAddIn, "Record a decision under an item.", roles=FACILITATORS)
def on_minutes_decision(actor: Actor, data: dict):
    item = minutes.check_minutes(actor, data["item_id"])
    return {"decision_id": minutes.do_add_decision(meeting_of(actor), item, data["text"]).id}


@on("minutes.decision_remove", DecisionRefIn, "Remove a decision from the minutes.", roles=FACILITATORS)
def on_minutes_decision_remove(actor: Actor, data: dict):
    minutes.do_remove_row(meeting_of(actor), minutes.check_remove_decision(actor, data["decision_id"]))


@on("minutes.action", ActionAddIn, "Record an action under an item: what, owner (a name), due date.",
    roles=FACILITATORS)
def on_minutes_action(actor: Actor, data: dict):
    item = minutes.check_minutes(actor, data["item_id"])
    return {"action_id": minutes.do_add_action(meeting_of(actor), item, data).id}


@on("minutes.action_remove", ActionRefIn, "Remove an action from the minutes.", roles=FACILITATORS)
def on_minutes_action_remove(actor: Actor, data: dict):
    minutes.do_remove_row(meeting_of(actor), minutes.check_remove_action(actor, data["action_id"]))


@on("heard.post", HeardPostIn, "Post a \"what I heard\" summary: pinned for everyone until replaced or cleared.",
    roles=FACILITATORS)
def on_heard_post(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    minutes.check_heard(actor, meeting)
    return {"summary_id": minutes.do_post_heard(actor, meeting, data["text"]).id}


@on("heard.clear", EmptyIn, "Unpin the \"what I heard\" summary (it stays in the minutes).", roles=FACILITATORS)
def on_heard_clear(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    minutes.do_clear_heard(meeting, minutes.check_clear_heard(actor, meeting))
