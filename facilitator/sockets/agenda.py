"""Socket handlers for the agenda, the minutes and "what I heard": each one call of its action in
actions/agenda.py or minutes.py, which checks, changes and returns the reply."""
from __future__ import annotations

from ..access import Actor
from ..actions import agenda, minutes
from ..schemas.agenda import (ActionAddIn, ActionRefIn, AgendaAddIn, AgendaExtendIn, AgendaItemRefIn, AgendaMoveIn,
                              AgendaReorderIn, AgendaSettingsIn, AgendaUpdateIn, DecisionAddIn, DecisionRefIn,
                              HeardPostIn, NotesIn)
from ..schemas.common import EmptyIn
from .registry import on

FACILITATORS = ("facilitator", "cofacilitator")


@on("agenda.add", AgendaAddIn, "Add an agenda item (at the end, or after `after_id`).", roles=FACILITATORS)
def on_agenda_add(actor: Actor, data: dict):
    return agenda.add_item(actor, data)


@on("agenda.update", AgendaUpdateIn, "Change an item's title, kind, presenter or time box.", roles=FACILITATORS)
def on_agenda_update(actor: Actor, data: dict):
    return agenda.update_item(actor, data)


@on("agenda.remove", AgendaItemRefIn, "Remove an item that has not been taken yet.", roles=FACILITATORS)
def on_agenda_remove(actor: Actor, data: dict):
    return agenda.remove_item(actor, data["item_id"])


@on("agenda.reorder", AgendaReorderIn, "Put the agenda in a new order (every item id, once).", roles=FACILITATORS)
def on_agenda_reorder(actor: Actor, data: dict):
    return agenda.reorder_items(actor, data["item_ids"])


@on("agenda.settings", AgendaSettingsIn, "Prompt for a break after this many minutes without one (0: never).",
    roles=FACILITATORS)
def on_agenda_settings(actor: Actor, data: dict):
    return agenda.set_break_prompt(actor, data["break_after_minutes"])


@on("agenda.start", AgendaItemRefIn, "Start this item now (the running one, if any, ends).", roles=FACILITATORS)
def on_agenda_start(actor: Actor, data: dict):
    return agenda.start_item(actor, data["item_id"])


@on("agenda.next", AgendaMoveIn, "End the running item and start the next one (give the running item you saw).",
    roles=FACILITATORS)
def on_agenda_next(actor: Actor, data: dict):
    return agenda.move_next(actor, data["current_id"])


@on("agenda.previous", AgendaMoveIn, "Go back to the item before the running one (what is left of its time box).",
    roles=FACILITATORS)
def on_agenda_previous(actor: Actor, data: dict):
    return agenda.move_previous(actor, data["current_id"])


@on("agenda.extend", AgendaExtendIn, "Give the running item more time: its deadline moves.", roles=FACILITATORS)
def on_agenda_extend(actor: Actor, data: dict):
    return agenda.extend_item(actor, data["seconds"])


@on("agenda.stop", EmptyIn, "End the running item without starting another.", roles=FACILITATORS)
def on_agenda_stop(actor: Actor, data: dict):
    return agenda.stop_item(actor)


@on("minutes.notes", NotesIn, "Replace an item's notes.", roles=FACILITATORS)
def on_minutes_notes(actor: Actor, data: dict):
    return minutes.write_notes(actor, data["item_id"], data["notes"])


@on("minutes.decision", DecisionAddIn, "Record a decision under an item.", roles=FACILITATORS)
def on_minutes_decision(actor: Actor, data: dict):
    return minutes.add_decision(actor, data["item_id"], data["text"])


@on("minutes.decision_remove", DecisionRefIn, "Remove a decision from the minutes.", roles=FACILITATORS)
def on_minutes_decision_remove(actor: Actor, data: dict):
    return minutes.remove_decision(actor, data["decision_id"])


@on("minutes.action", ActionAddIn, "Record an action under an item: what, owner (a name), due date.",
    roles=FACILITATORS)
def on_minutes_action(actor: Actor, data: dict):
    return minutes.add_action(actor, data)


@on("minutes.action_remove", ActionRefIn, "Remove an action from the minutes.", roles=FACILITATORS)
def on_minutes_action_remove(actor: Actor, data: dict):
    return minutes.remove_action(actor, data["action_id"])


@on("heard.post", HeardPostIn, "Post a \"what I heard\" summary: pinned for everyone until replaced or cleared.",
    roles=FACILITATORS)
def on_heard_post(actor: Actor, data: dict):
    return minutes.post_heard(actor, data["text"])


@on("heard.clear", EmptyIn, "Unpin the \"what I heard\" summary (it stays in the minutes).", roles=FACILITATORS)
def on_heard_clear(actor: Actor, data: dict):
    return minutes.clear_heard(actor)
