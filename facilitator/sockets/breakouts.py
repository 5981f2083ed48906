"""Socket handlers for breakout rounds: prepare, assign, open, run, close."""
from __future__ import annotations

from ..access import Actor, meeting_of
from ..actions import breakouts
from ..errors import Conflict
from ..schemas.breakouts import (BreakoutAssignIn, BreakoutAutoIn, BreakoutBroadcastIn, BreakoutChooseIn,
                                 BreakoutChoosingIn, BreakoutCreateIn, BreakoutExtendIn, BreakoutHelpIn,
                                 BreakoutRenameIn, BreakoutSettingsIn, BreakoutVisitIn, RoomRefIn, RoundRefIn)
from ..views.breakouts import round_view
from .registry import on

FACILITATORS = ("facilitator", "cofacilitator")
PEOPLE = ("participant", "observer")


def _round(rnd) -> dict:
    return {"round": round_view(rnd)}


@on("breakout.create", BreakoutCreateIn, "Prepare a round: N numbered rooms (or named ones), a duration and "
    "a warning time. It stays a draft (only facilitators see it) until opened.",
    roles=FACILITATORS)
def on_create(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    breakouts.check_create(actor, meeting, data)
    return _round(breakouts.do_create(meeting, data))


@on("breakout.settings", BreakoutSettingsIn, "Change a draft round's duration or warning time.",
    roles=FACILITATORS)
def on_settings(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    rnd = breakouts.check_settings(actor, data["round_id"], data)
    breakouts.do_settings(meeting, rnd, data)
    return _round(rnd)


@on("breakout.choosing", BreakoutChoosingIn, "Let participants pick their own room (while the round runs), "
    "or stop letting them.", roles=FACILITATORS)
def on_choosing(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    rnd = breakouts.check_choosing(actor, data["round_id"])
    breakouts.do_choosing(meeting, rnd, data["open"])
    return _round(rnd)


@on("breakout.rename", BreakoutRenameIn, "Rename a room.", roles=FACILITATORS)
def on_rename(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    room = breakouts.check_rename(actor, data["room_id"])
    breakouts.do_rename(meeting, room, data["name"])


@on("breakout.auto", BreakoutAutoIn, "Assign everyone in the room automatically (a preview: replaces the "
    "draft's assignments): random, balanced by group tag, or the previous round's groups.",
    roles=FACILITATORS)
def on_auto(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    rnd = breakouts.check_auto(actor, data["round_id"], data["mode"])
    count = breakouts.do_auto(meeting, rnd, data["mode"], observers=data["include_observers"])
    return {"assigned": count, **_round(rnd)}


@on("breakout.assign", BreakoutAssignIn, "Put one person (participant or observer) in a room, move them, or "
    "take them out (room_id null). While the round runs they go at once; this is also how late joiners "
    "are placed.", roles=FACILITATORS)
def on_assign(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    rnd, p, room = breakouts.check_assign(actor, data["round_id"], data["participant_id"], data["room_id"])
    return {"reason": breakouts.do_assign(meeting, rnd, p, room)}


@on("breakout.fill", RoundRefIn, "Place everyone not yet in a room (late joiners) so rooms stay even and mixed.",
    roles=FACILITATORS)
def on_fill(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    rnd = breakouts.check_fill(actor, data["round_id"])
    return {"placed": breakouts.do_fill(meeting, rnd)}


@on("breakout.visit", BreakoutVisitIn, "Go to a room as a facilitator (its members see you there), or back to "
    "the main room (room_id null); with user_id, place a co-facilitator.", roles=FACILITATORS)
def on_visit(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    rnd, user_id, room = breakouts.check_visit(actor, data["round_id"], data["room_id"], data.get("user_id"))
    breakouts.do_visit(meeting, rnd, user_id, room)


@on("breakout.open", RoundRefIn, "Open the rooms: the clock starts and everyone assigned goes to their room.",
    roles=FACILITATORS)
def on_open(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    rnd = breakouts.check_open(actor, meeting, data["round_id"])
    breakouts.do_open(meeting, rnd)
    return _round(rnd)


@on("breakout.extend", BreakoutExtendIn, "Give the rooms more time, or less (negative seconds).",
    roles=FACILITATORS)
def on_extend(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    rnd = breakouts.check_extend(actor, data["round_id"], data["seconds"])
    breakouts.do_extend(meeting, rnd, data["seconds"])
    return _round(rnd)


@on("breakout.broadcast", BreakoutBroadcastIn, "Send a message to every room (it appears in each room's chat).",
    roles=FACILITATORS)
def on_broadcast(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    rnd = breakouts.check_broadcast(actor, data["round_id"])
    return {"rooms": breakouts.do_broadcast(actor, meeting, rnd, data["text"])}


@on("breakout.close", RoundRefIn, "Close every room now and bring everyone back to the main room.",
    roles=FACILITATORS)
def on_close(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    rnd = breakouts.check_close(actor, data["round_id"])
    if not breakouts.do_close(meeting, rnd):
        raise Conflict("This round has ended.", code="round_closed")


@on("breakout.discard", RoundRefIn, "Throw away a draft round.", roles=FACILITATORS)
def on_discard(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    breakouts.do_discard(meeting, breakouts.check_discard(actor, data["round_id"]))


@on("breakout.help_clear", RoomRefIn, "Clear a room's call for help (a facilitator is on it).",
    roles=FACILITATORS)
def on_help_clear(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    rnd, room = breakouts.check_help_clear(actor, data["room_id"])
    breakouts.do_help(meeting, rnd, room, False)


@on("breakout.choose", BreakoutChooseIn, "Go to a room of your choice (while choosing is open).", roles=PEOPLE)
def on_choose(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    rnd, p, room = breakouts.check_choose(actor, meeting, data["room_id"])
    breakouts.do_assign(meeting, rnd, p, room, source="choice")


@on("breakout.help", BreakoutHelpIn, "Ask a facilitator to come to your room (on: false withdraws it).",
    roles=PEOPLE)
def on_help(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    rnd, room = breakouts.check_help(actor, meeting)
    return {"changed": breakouts.do_help(meeting, rnd, room, data["on"])}

