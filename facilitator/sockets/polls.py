"""Socket handlers for polls (prepare, launch, close, re-open, publish, vote): each one call of its
action in actions/polls.py, which checks, changes and returns the reply."""
from __future__ import annotations

from ..access import Actor
from ..actions import polls
from ..schemas.polls import PollCheckinIn, PollCreateIn, PollPublishIn, PollRefIn, PollUpdateIn, PollVoteIn
from .registry import on

FACILITATORS = ("facilitator", "cofacilitator")


@on("poll.create", PollCreateIn, "Create a poll: saved as a draft, or launched at once (launch: true).",
    roles=FACILITATORS)
def on_poll_create(actor: Actor, data: dict):
    return polls.create_poll(actor, data)


@on("poll.update", PollUpdateIn, "Edit a draft poll (its whole definition).", roles=FACILITATORS)
def on_poll_update(actor: Actor, data: dict):
    return polls.update_poll(actor, data)


@on("poll.delete", PollRefIn, "Delete a poll and its votes.", roles=FACILITATORS)
def on_poll_delete(actor: Actor, data: dict):
    return polls.delete_poll(actor, data["poll_id"])


@on("poll.open", PollRefIn, "Launch a draft, or re-open a closed poll.", roles=FACILITATORS)
def on_poll_open(actor: Actor, data: dict):
    return polls.open_poll(actor, data["poll_id"])


@on("poll.close", PollRefIn, "Close a poll: no more votes until it is re-opened.", roles=FACILITATORS)
def on_poll_close(actor: Actor, data: dict):
    return polls.close_poll(actor, data["poll_id"])


@on("poll.publish", PollPublishIn, "Show a poll's results to everyone (or hide them again with published: false).",
    roles=FACILITATORS)
def on_poll_publish(actor: Actor, data: dict):
    return polls.publish_results(actor, data["poll_id"], data["published"])


@on("poll.checkin", PollCheckinIn, "Launch a check-in poll from a template in one step.", roles=FACILITATORS)
def on_poll_checkin(actor: Actor, data: dict):
    return polls.launch_checkin(actor, data)


@on("poll.vote", PollVoteIn, "Vote: choices (option ids) for choice polls, value for a rating, text for a text poll. "
    "In a named poll that allows it, voting again changes your vote while the poll is open.",
    roles=("participant",),
    quiet=True)  # from the first read to the commit: see actions/polls.py
def on_poll_vote(actor: Actor, data: dict):
    return polls.cast_vote(actor, data["poll_id"], data)
