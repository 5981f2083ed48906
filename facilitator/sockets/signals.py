"""Socket handlers for reactions, standing signals and the private support signal."""
from __future__ import annotations

from ..access import Actor
from ..actions import reactions, signals
from ..actions.audit import person_of
from ..models import SupportRequest
from ..schemas.common import EmptyIn
from ..schemas.signals import ReactionIn, SignalClearAllIn, SignalClearIn, SignalIn, SupportRefIn
from .registry import on

FACILITATORS = ("facilitator", "cofacilitator")
PEOPLE = ("participant", "observer")


@on("reaction.send", ReactionIn, "React for a moment (thumbs_up, clap, heart, laugh, agree, disagree); "
    "everyone sees counts in the next reactions.burst.",
    roles=("participant",), limit="reaction", limit_first=True)
def on_reaction_send(actor: Actor, data: dict):
    reactions.react(actor, data["kind"])


@on("signal.raise", SignalIn, "Put up a standing signal (slow_down, need_break, cant_hear, stepped_away); "
    "only facilitators see it.", roles=PEOPLE)
def on_signal_raise(actor: Actor, data: dict):
    return signals.raise_signal(actor, data["kind"])


@on("signal.lower", SignalIn, "Take down one of your standing signals.", roles=PEOPLE)
def on_signal_lower(actor: Actor, data: dict):
    signals.lower_signal(actor, data["kind"])


@on("signal.clear", SignalClearIn, "Clear one person's standing signal.", roles=FACILITATORS)
def on_signal_clear(actor: Actor, data: dict):
    signals.clear_signal(actor, data["participant_id"], data["kind"])


@on("signal.clear_all", SignalClearAllIn, "Clear every standing signal, or every one of a kind.",
    roles=FACILITATORS)
def on_signal_clear_all(actor: Actor, data: dict):
    return signals.clear_all_signals(actor, data["kind"])


@on("support.send", EmptyIn, "\"I need support\": reaches the facilitators only; you see privately when one "
    "has seen it. Pressing again while it waits changes nothing.", roles=PEOPLE)
def on_support_send(actor: Actor, data: dict):
    return signals.ask_for_support(actor)


@on("support.withdraw", EmptyIn, "Withdraw your waiting support request.", roles=PEOPLE)
def on_support_withdraw(actor: Actor, data: dict):
    signals.withdraw_support(actor)


@on("support.ack", SupportRefIn, "Acknowledge a support request: the person is told privately that it was seen.",
    roles=FACILITATORS,
    target=person_of(SupportRequest, "request_id"))
def on_support_ack(actor: Actor, data: dict):
    signals.ack_support(actor, data["request_id"])
