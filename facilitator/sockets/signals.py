"""Socket handlers for reactions, standing signals and the private support signal."""
from __future__ import annotations

from ..access import Actor, meeting_of
from ..actions import reactions, signals
from ..actions.audit import person_of
from ..models import SupportRequest
from ..schemas.common import EmptyIn
from ..schemas.signals import ReactionIn, SignalClearAllIn, SignalClearIn, SignalIn, SupportRefIn
from ..views.signals import my_signals, my_support
from .registry import on

FACILITATORS = ("facilitator", "cofacilitator")
PEOPLE = ("participant", "observer")


@on("reaction.send", ReactionIn, "React for a moment (thumbs_up, clap, heart, laugh, agree, disagree); "
    "everyone sees counts in the next reactions.burst.",
    roles=("participant",),
    before=reactions.refuse_flood)
def on_reaction_send(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    reactions.check_react(actor, meeting)
    reactions.do_react(meeting, data["kind"])


@on("signal.raise", SignalIn, "Put up a standing signal (slow_down, need_break, cant_hear, stepped_away); "
    "only facilitators see it.", roles=PEOPLE)
def on_signal_raise(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    p = signals.check_raise_signal(actor, meeting, data["kind"])
    signals.do_raise_signal(p, data["kind"])
    return {"signals": my_signals(meeting.id, p.id)}


@on("signal.lower", SignalIn, "Take down one of your standing signals.", roles=PEOPLE)
def on_signal_lower(actor: Actor, data: dict):
    signals.do_lower_signal(signals.check_lower_signal(actor, data["kind"]))


@on("signal.clear", SignalClearIn, "Clear one person's standing signal.", roles=FACILITATORS)
def on_signal_clear(actor: Actor, data: dict):
    signals.do_lower_signal(signals.check_clear_signal(actor, data["participant_id"], data["kind"]))


@on("signal.clear_all", SignalClearAllIn, "Clear every standing signal, or every one of a kind.",
    roles=FACILITATORS)
def on_signal_clear_all(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    signals.check_clear_all(actor)
    return {"cleared": signals.do_clear_all(meeting, data["kind"])}


@on("support.send", EmptyIn, "\"I need support\": reaches the facilitators only; you see privately when one "
    "has seen it. Pressing again while it waits changes nothing.", roles=PEOPLE)
def on_support_send(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    p = signals.check_support(actor, meeting)
    _req, new = signals.do_support(p)
    return {"new": new, **my_support(p.id)}


@on("support.withdraw", EmptyIn, "Withdraw your waiting support request.", roles=PEOPLE)
def on_support_withdraw(actor: Actor, data: dict):
    signals.do_withdraw_support(signals.check_withdraw_support(actor))


@on("support.ack", SupportRefIn, "Acknowledge a support request: the person is told privately that it was seen.",
    roles=FACILITATORS,
    target=person_of(SupportRequest, "request_id"))
def on_support_ack(actor: Actor, data: dict):
    signals.do_ack_support(actor, signals.check_ack_support(actor, data["request_id"]))
