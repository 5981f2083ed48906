"""Socket handlers for breakout rounds (prepare, assign, open, run, close): each one call of its
action in actions/breakouts/, which checks, changes and returns the reply."""
from __future__ import annotations

from ..access import Actor
from ..actions import breakouts
from ..schemas.breakouts import (BreakoutAssignIn, BreakoutAutoIn, BreakoutBroadcastIn, BreakoutChooseIn,
                                 BreakoutChoosingIn, BreakoutCreateIn, BreakoutExtendIn, BreakoutHelpIn,
                                 BreakoutRenameIn, BreakoutSettingsIn, BreakoutVisitIn, RoomRefIn, RoundRefIn)
from .registry import on

FACILITATORS = ("facilitator", "cofacilitator")
PEOPLE = ("participant", "observer")


@on("breakout.create", BreakoutCreateIn, "Prepare a round: N numbered rooms (or named ones), a duration and "
    "a warning time. It stays a draft (only facilitators see it) until opened.",
    roles=FACILITATORS)
def on_create(actor: Actor, data: dict):
    return breakouts.create_round(actor, data)


@on("breakout.settings", BreakoutSettingsIn, "Change a draft round's duration or warning time.",
    roles=FACILITATORS)
def on_settings(actor: Actor, data: dict):
    return breakouts.change_settings(actor, data)


@on("breakout.choosing", BreakoutChoosingIn, "Let participants pick their own room (while the round runs), "
    "or stop letting them.", roles=FACILITATORS)
def on_choosing(actor: Actor, data: dict):
    return breakouts.set_choosing(actor, data["round_id"], data["open"])


@on("breakout.rename", BreakoutRenameIn, "Rename a room.", roles=FACILITATORS)
def on_rename(actor: Actor, data: dict):
    return breakouts.rename_room(actor, data["room_id"], data["name"])


@on("breakout.auto", BreakoutAutoIn, "Assign everyone in the room automatically (a preview: replaces the "
    "draft's assignments): random, balanced by group tag, or the previous round's groups.",
    roles=FACILITATORS)
def on_auto(actor: Actor, data: dict):
    return breakouts.auto_assign(actor, data["round_id"], data["mode"], data["include_observers"])


@on("breakout.assign", BreakoutAssignIn, "Put one person (participant or observer) in a room, move them, or "
    "take them out (room_id null). While the round runs they go at once; this is also how late joiners "
    "are placed.", roles=FACILITATORS)
def on_assign(actor: Actor, data: dict):
    return breakouts.assign_person(actor, data["round_id"], data["participant_id"], data["room_id"])


@on("breakout.fill", RoundRefIn, "Place everyone not yet in a room (late joiners) so rooms stay even and mixed.",
    roles=FACILITATORS)
def on_fill(actor: Actor, data: dict):
    return breakouts.fill_rooms(actor, data["round_id"])


@on("breakout.visit", BreakoutVisitIn, "Go to a room as a facilitator (its members see you there), or back to "
    "the main room (room_id null); with user_id, place a co-facilitator.", roles=FACILITATORS)
def on_visit(actor: Actor, data: dict):
    return breakouts.visit_room(actor, data["round_id"], data["room_id"], data.get("user_id"))


@on("breakout.open", RoundRefIn, "Open the rooms: the clock starts and everyone assigned goes to their room.",
    roles=FACILITATORS)
def on_open(actor: Actor, data: dict):
    return breakouts.open_round(actor, data["round_id"])


@on("breakout.extend", BreakoutExtendIn, "Give the rooms more time, or less (negative seconds).",
    roles=FACILITATORS)
def on_extend(actor: Actor, data: dict):
    return breakouts.extend_round(actor, data["round_id"], data["seconds"])


@on("breakout.broadcast", BreakoutBroadcastIn, "Send a message to every room (it appears in each room's chat).",
    roles=FACILITATORS)
def on_broadcast(actor: Actor, data: dict):
    return breakouts.broadcast_message(actor, data["round_id"], data["text"])


@on("breakout.close", RoundRefIn, "Close every room now and bring everyone back to the main room.",
    roles=FACILITATORS)
def on_close(actor: Actor, data: dict):
    return breakouts.close_round(actor, data["round_id"])


@on("breakout.discard", RoundRefIn, "Throw away a draft round.", roles=FACILITATORS)
def on_discard(actor: Actor, data: dict):
    return breakouts.discard_round(actor, data["round_id"])


@on("breakout.help_clear", RoomRefIn, "Clear a room's call for help (a facilitator is on it).",
    roles=FACILITATORS)
def on_help_clear(actor: Actor, data: dict):
    return breakouts.clear_help(actor, data["room_id"])


@on("breakout.choose", BreakoutChooseIn, "Go to a room of your choice (while choosing is open).", roles=PEOPLE)
def on_choose(actor: Actor, data: dict):
    return breakouts.choose_room(actor, data["room_id"])


@on("breakout.help", BreakoutHelpIn, "Ask a facilitator to come to your room (on: false withdraws it).",
    roles=PEOPLE)
def on_help(actor: Actor, data: dict):
    return breakouts.ask_for_help(actor, data["on"])
