"""Socket handlers for polls: prepare, launch, close, re-open, publish, vote."""
from __future__ import annotations

from ..access import Actor, meeting_of
from ..actions import polls
from ..schemas.polls import PollCheckinIn, PollCreateIn, PollPublishIn, PollRefIn, PollUpdateIn, PollVoteIn
from ..views.polls import private_view
from .registry import on

FACILITATORS = ("facilitator", "cofacilitator")


@on("poll.create", PollCreateIn, "Create a poll: saved as a draft, or launched at once (launch: true).",
    roles=FACILITATORS)
def on_poll_create(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    launch = data.pop("launch")
    polls.check_create(actor, meeting, launch=launch)
    poll = polls.do_create(meeting, data, launch=launch)
    return {"poll": private_view(poll)}


@on("poll.update", PollUpdateIn, "Edit a draft poll (its whole definition).", roles=FACILITATORS)
def on_poll_update(actor: Actor, data: dict):
    poll = polls.check_update(actor, data.pop("poll_id"))
    polls.do_update(poll, data)
    return {"poll": private_view(poll)}


@on("poll.delete", PollRefIn, "Delete a poll and its votes.", roles=FACILITATORS)
def on_poll_delete(actor: Actor, data: dict):
    polls.do_delete(polls.check_delete(actor, data["poll_id"]))


@on("poll.open", PollRefIn, "Launch a draft, or re-open a closed poll.", roles=FACILITATORS)
def on_poll_open(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    polls.do_open(polls.check_open(actor, meeting, data["poll_id"]))


@on("poll.close", PollRefIn, "Close a poll: no more votes until it is re-opened.", roles=FACILITATORS)
def on_poll_close(actor: Actor, data: dict):
    polls.do_close(polls.check_close(actor, data["poll_id"]))


@on("poll.publish", PollPublishIn, "Show a poll's results to everyone (or hide them again with published: false).",
    roles=FACILITATORS)
def on_poll_publish(actor: Actor, data: dict):
    polls.do_publish(polls.check_publish(actor, data["poll_id"], data["published"]), data["published"])


@on("poll.checkin", PollCheckinIn, "Launch a check-in poll from a template in one step.", roles=FACILITATORS)
def on_poll_checkin(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    polls.check_checkin(actor, meeting)
    key = data.pop("template")
    poll = polls.do_checkin(meeting, key, data)
    return {"poll": private_view(poll)}


@on("poll.vote", PollVoteIn, "Vote: choices (option ids) for choice polls, value for a rating, text for a text poll. "
    "In a named poll that allows it, voting again changes your vote while the poll is open.",
    roles=("participant",),
    quiet=True)  # from the first read to the commit: see actions/polls.py
def on_poll_vote(actor: Actor, data: dict):
    meeting = meeting_of(actor)
    p, poll, answer = polls.check_vote(actor, meeting, data["poll_id"], data)
    return {"changed": polls.do_vote(meeting, poll, p, answer)}
