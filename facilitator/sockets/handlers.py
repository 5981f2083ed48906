"""Thin socket handlers for meetings, participants and ground rules: each one call of an action
that checks, changes and returns the reply."""
from __future__ import annotations

from ..access import Actor
from ..actions.meetings import set_meeting_state
from ..actions.participants import do_leave, remove_participant, set_status
from ..actions.rules import accept_rules, set_meeting_rules
from ..schemas.common import EmptyIn
from ..schemas.meetings import MeetingStateIn
from ..schemas.participants import ParticipantRefIn, StatusIn
from ..schemas.rules import RulesAckIn, RulesSetIn
from .registry import on

FACILITATORS = ("facilitator", "cofacilitator")
PEOPLE = ("participant", "observer")


@on("meeting.state", MeetingStateIn, "Open the lobby, start, pause for a break, resume or end the session.",
    roles=FACILITATORS)
def on_meeting_state(actor: Actor, data: dict):
    return set_meeting_state(actor, data["state"])


@on("rules.set", RulesSetIn, "Replace the ground rules. If they change, everyone is asked to accept them again.",
    roles=FACILITATORS)
def on_rules_set(actor: Actor, data: dict):
    return set_meeting_rules(actor, data["items"])


@on("rules.ack", RulesAckIn, "Accept the ground rules of the given version (the one you were shown).",
    roles=PEOPLE)
def on_rules_ack(actor: Actor, data: dict):
    return accept_rules(actor, data["version"])


@on("me.status", StatusIn, "Set your own mic and/or camera status so the facilitators can see it.",
    roles=PEOPLE)
def on_me_status(actor: Actor, data: dict):
    set_status(actor, data)


@on("me.leave", EmptyIn, "Leave the session on purpose (not a dropped connection).",
    roles=PEOPLE)
def on_me_leave(actor: Actor, data: dict):
    do_leave(actor)


@on("participant.remove", ParticipantRefIn, "Remove a person from the session; their link stops working.",
    roles=FACILITATORS)
def on_participant_remove(actor: Actor, data: dict):
    return remove_participant(actor, data["participant_id"])
