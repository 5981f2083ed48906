"""Socket handlers for the raise-hand queue, the floor and go-rounds."""
from __future__ import annotations

from ..access import Actor, meeting_of
from ..actions import floor
from ..limits import take_for
from ..schemas.common import EmptyIn
from ..schemas.floor import GoRoundNextIn, GoRoundStartIn, HandRaiseIn, QueueModeIn, QueueMoveIn
from ..schemas.participants import ParticipantRefIn
from ..views.floor import my_hand_view
from .registry import on

FACILITATORS = ("facilitator", "cofacilitator")


@on("hand.raise", HandRaiseIn, "Raise your hand: a new point, a direct reply to the speaker, or a process point.",
    roles=("participant",), reply=None)
def on_hand_raise(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    p = floor.check_raise(actor, meeting, data["kind"])
    take_for("hand", p.id)  # raising and lowering in a loop would flood everyone's queue
    order = floor.do_raise(meeting, p, data["kind"])
    return {"hand": my_hand_view(meeting.id, p.id, order)}


@on("hand.lower", EmptyIn, "Lower your own hand.", roles=("participant",))
def on_hand_lower(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    hand = floor.check_lower_own(actor, meeting)
    take_for("hand", hand.participant_id)
    floor.do_lower(meeting, hand)


@on("queue.lower", ParticipantRefIn, "Lower someone's hand.", roles=FACILITATORS)
def on_queue_lower(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    floor.do_lower(meeting, floor.check_lower(actor, data["participant_id"]))


@on("queue.clear", EmptyIn, "Lower every hand.", roles=FACILITATORS)
def on_queue_clear(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    floor.check_clear(actor)
    return {"lowered": floor.do_clear(meeting)}


@on("queue.move", QueueMoveIn, "Move someone to a position in the queue (1 is the front).", roles=FACILITATORS)
def on_queue_move(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    hand = floor.check_move(actor, data["participant_id"])
    return {"position": floor.do_move(meeting, hand, data["position"])}


@on("queue.mode", QueueModeIn, "Order new points first come first served (time) or quieter voices first (quiet).",
    roles=FACILITATORS)
def on_queue_mode(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    floor.check_mode(actor)
    floor.do_mode(meeting, data["mode"])


@on("floor.next", EmptyIn, "Give the floor to the first person in the queue.", roles=FACILITATORS)
def on_floor_next(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    p = floor.check_call(actor, meeting, None)
    floor.do_call(meeting, p)
    return {"participant_id": p.id}


@on("floor.call", ParticipantRefIn, "Give the floor to anyone: from the queue, or someone who just spoke up.",
    roles=FACILITATORS)
def on_floor_call(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    p = floor.check_call(actor, meeting, data["participant_id"])
    floor.do_call(meeting, p)
    return {"participant_id": p.id}


@on("floor.end", EmptyIn, "End the current speaker's turn.", roles=FACILITATORS)
def on_floor_end(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    floor.do_end_turn(meeting, floor.check_end_turn(actor, meeting))


@on("goround.start", GoRoundStartIn, "Start a go-round: these people, in this order (or shuffled), N seconds each.",
    roles=FACILITATORS)
def on_goround_start(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    ids = floor.check_goround_start(actor, meeting, data["participant_ids"])
    rnd = floor.do_goround_start(meeting, ids, data["seconds"], data["shuffle"])
    return {"order": rnd.order}


@on("goround.next", GoRoundNextIn, "Move the round on to the next person (give the index you saw as current).",
    roles=FACILITATORS)
def on_goround_next(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    floor.do_goround_next(meeting, floor.check_goround_next(actor, meeting, data["index"]))


@on("goround.pass", EmptyIn, "Pass on your turn in the round (your right to pass).", roles=("participant",))
def on_goround_pass(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    floor.do_goround_pass(meeting, floor.check_goround_pass(actor, meeting))


@on("goround.stop", EmptyIn, "Stop the round early.", roles=FACILITATORS)
def on_goround_stop(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    floor.do_goround_stop(meeting, floor.check_goround_stop(actor, meeting))
