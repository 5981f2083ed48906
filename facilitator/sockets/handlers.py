"""Thin socket handlers for meetings, participants and ground rules: load, check, do."""
from __future__ import annotations

from ..access import Actor, meeting_of
from ..actions.meetings import check_set_state, do_set_state
from ..actions.participants import check_remove, check_set_status, do_leave, do_remove, do_set_status
from ..actions.rules import check_ack, check_set_rules, do_ack, do_set_rules
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
    meeting = meeting_of(actor)
    check_set_state(actor, meeting, data["state"])
    do_set_state(actor, meeting, data["state"])


@on("rules.set", RulesSetIn, "Replace the ground rules. If they change, everyone is asked to accept them again.",
    roles=FACILITATORS)
def on_rules_set(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    check_set_rules(actor, meeting)
    changed = do_set_rules(actor, meeting, data["items"])
    return {"changed": changed, "version": meeting.rules_version}


@on("rules.ack", RulesAckIn, "Accept the ground rules of the given version (the one you were shown).",
    roles=PEOPLE)
def on_rules_ack(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    p = check_ack(actor, meeting, data["version"])
    ack = do_ack(p, meeting)
    return {"version": ack.version, "acked_at": ack.acked_at.isoformat()}


@on("me.status", StatusIn, "Set your own mic and/or camera status so the facilitators can see it.",
    roles=PEOPLE)
def on_me_status(actor: Actor, data: dict):
    p = check_set_status(actor, data)
    do_set_status(p, data)


@on("me.leave", EmptyIn, "Leave the session on purpose (not a dropped connection).",
    roles=PEOPLE)
def on_me_leave(actor: Actor, data: dict):
    do_leave(actor)


@on("participant.remove", ParticipantRefIn, "Remove a person from the session; their link stops working.",
    roles=FACILITATORS)
def on_participant_remove(actor: Actor, data: dict):
    p = check_remove(actor, data["participant_id"])
    do_remove(actor, p)
