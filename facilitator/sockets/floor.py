"""Socket handlers for the raise-hand queue, the floor and go-rounds."""
from __future__ import annotations

from ..access import Actor
from ..actions import floor
from ..schemas.common import EmptyIn
from ..schemas.floor import (FloorCallReply, GoRoundNextIn, GoRoundReply, GoRoundStartIn, GoRoundStartReply, HandRaiseIn,
                             QueueModeIn, QueueMoveIn)
from ..schemas.participants import ParticipantRefIn
from .registry import on

FACILITATORS = ("facilitator", "cofacilitator")


@on("hand.raise", HandRaiseIn, "Raise your hand: a new point, a direct reply to the speaker, or a process point.",
    roles=("participant",), reply=None, limit="hand", limit_first=True)
def on_hand_raise(actor: Actor, data: dict):
    return floor.raise_hand(actor, data["kind"])


@on("hand.lower", EmptyIn, "Lower your own hand.", roles=("participant",), limit="hand")
def on_hand_lower(actor: Actor, data: dict):
    floor.lower_own_hand(actor)


@on("queue.lower", ParticipantRefIn, "Lower someone's hand.", roles=FACILITATORS)
def on_queue_lower(actor: Actor, data: dict):
    floor.lower_hand(actor, data["participant_id"])


@on("queue.clear", EmptyIn, "Lower every hand.", roles=FACILITATORS)
def on_queue_clear(actor: Actor, data: dict):
    return floor.clear_queue(actor)


@on("queue.move", QueueMoveIn, "Move someone to a position in the queue (1 is the front).", roles=FACILITATORS)
def on_queue_move(actor: Actor, data: dict):
    return floor.move_hand(actor, data["participant_id"], data["position"])


@on("queue.mode", QueueModeIn, "Order new points first come first served (time) or quieter voices first (quiet).",
    roles=FACILITATORS)
def on_queue_mode(actor: Actor, data: dict):
    floor.set_mode(actor, data["mode"])


@on("floor.next", EmptyIn, "Give the floor to the first person in the queue who is connected (anyone whose "
    "connection dropped is passed over, keeping their place; the ack says who).", roles=FACILITATORS,
    reply=FloorCallReply)
def on_floor_next(actor: Actor, data: dict):
    return floor.give_floor(actor, None)


@on("floor.call", ParticipantRefIn, "Give the floor to anyone connected: from the queue, or someone who just "
    "spoke up.", roles=FACILITATORS, reply=FloorCallReply)
def on_floor_call(actor: Actor, data: dict):
    return floor.give_floor(actor, data["participant_id"])


@on("floor.end", EmptyIn, "End the current speaker's turn.", roles=FACILITATORS)
def on_floor_end(actor: Actor, data: dict):
    floor.end_turn(actor)


@on("goround.start", GoRoundStartIn, "Start a go-round: these people, in this order (or shuffled), N seconds each "
    "(anyone not connected when their turn comes has it moved to the end of the round, once, and is passed over if "
    "still away then; the ack says who).", roles=FACILITATORS,
    reply=GoRoundStartReply)
def on_goround_start(actor: Actor, data: dict):
    return floor.start_goround(actor, data["participant_ids"], data["seconds"], data["shuffle"])


@on("goround.next", GoRoundNextIn, "Move the round on to the next person who is connected (give the index you saw "
    "as current; anyone not connected has their turn moved to the end, once; the ack says who was moved or passed "
    "over).", roles=FACILITATORS, reply=GoRoundReply)
def on_goround_next(actor: Actor, data: dict):
    return floor.next_in_goround(actor, data["index"])


@on("goround.pass", EmptyIn, "Pass on your turn in the round (your right to pass). Who the round then moves to "
    "the end or passes over for not being connected, the facilitators see in their queue view.", roles=("participant",))
def on_goround_pass(actor: Actor, data: dict):
    floor.pass_in_goround(actor)


@on("goround.stop", EmptyIn, "Stop the round early.", roles=FACILITATORS)
def on_goround_stop(actor: Actor, data: dict):
    floor.stop_goround(actor)
