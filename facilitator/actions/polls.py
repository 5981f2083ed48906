"""Polls: draft -> open -> closed (and open again), one vote each, results by role, CSV export.

Who sees what. Facilitators see every poll (drafts too) with its results, always, and for named
polls who answered what. Everyone inside sees open and closed polls; their results only when the
poll is set to live results or once a facilitator publishes them.

Anonymous means unlinkable (see models/polls.py for the storage). A vote writes the "has voted"
row and the tallies in one transaction, with a unique key on (poll, participant) for one vote
each; the tallies and texts of the whole poll are rewritten on every vote, so no write stamp or
row order lines an answer up with a voter. Events about an anonymous poll carry aggregates only,
and no one (facilitators included) is told *who* has voted: a live "who voted" list next to live
counts would link each name to the count that just went up. SQL logging is silenced while a
vote is handled, so a debug log cannot line a participant up with the answer written after.
"""
from __future__ import annotations

import csv
import io
import logging
import uuid

from sqlalchemy import Integer, bindparam, case, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from ..access import Actor, meeting_of, own_row, require_entered, require_facilitating
from ..errors import Conflict, Invalid, NotAllowed
from ..events import declare, participant_stream, publish
from ..extensions import db, hold
from ..logsafe import quiet_sql
from ..models import Meeting, Participant, Poll, PollBallot, PollOption, PollTextAnswer, PollVoter, utcnow
from ..schemas.common import shared
from ..schemas.polls import MyVoteOut, PollIdOut, PollIn, PollOut, PollPrivateOut
from ..views.polls import (CHECKINS, ballots_of, my_vote, named_ballots, names_of, private_view, public_view, results,
                           results_visible)

declare("poll", "upsert", ("meeting",), PollOut,
        "A poll opened, closed, was published or hidden, or its visible results changed (aggregates only).")
declare("poll", "removed", ("meeting",), PollIdOut, "A poll was deleted.")
declare("poll", "private", ("facilitators",), PollPrivateOut,
        "A poll (drafts too) changed, with its results, and for named polls who answered what.")
declare("poll", "private_removed", ("facilitators",), PollIdOut, "A poll was deleted.")
declare("poll", "mine", ("participant",), MyVoteOut,
        "Your vote was recorded (for an anonymous poll only that you voted: the answer is not kept with you).")

RUNNING = ("open", "live", "paused")
MAX_POLLS = 200


log = logging.getLogger(__name__)


_COUNT_VOTER = (update(Poll).where(Poll.id == bindparam("poll_id"), Poll.state == "open")
                .values(voters=Poll.voters + bindparam("added", type_=Integer))
                .returning(Poll.voters)
                .execution_options(synchronize_session=False))


# ---- publishing ----------------------------------------------------------------------------

def _publish(poll: Poll, *, public: bool = True) -> None:
    """Facilitators always hear of a change; everyone inside when it is visible to them."""
    ballots, names = (None, None) if poll.anonymous else named_ballots(poll)  # read once for both views
    publish(poll.meeting_id, "facilitators", "poll", "private", private_view(poll, ballots, names))
    if public and poll.state != "draft":
        publish(poll.meeting_id, "meeting", "poll", "upsert", public_view(poll, ballots))


# ---- finding polls -------------------------------------------------------------------------

def _poll(actor: Actor, poll_id: int) -> Poll:
    """A poll of the actor's meeting (404 for other meetings', and for drafts to non-facilitators)."""
    poll = db.session.get(Poll, poll_id)
    if poll is not None and poll.state == "draft" and not actor.facilitating:
        poll = None  # a draft does not exist for people yet
    return own_row(actor, poll, "poll")


def _require_running(meeting: Meeting) -> None:
    if meeting.state not in RUNNING:
        raise Conflict("Polls can be opened while the session is open, live or paused.", code="not_running")


# ---- creating and editing ------------------------------------------------------------------

def check_create(actor: Actor, meeting: Meeting, *, launch: bool) -> None:
    require_facilitating(actor)
    if meeting.state == "ended":
        raise Conflict("This session has ended.", code="meeting_ended")
    if launch:
        _require_running(meeting)
    count = db.session.execute(select(db.func.count(Poll.id)).where(Poll.meeting_id == meeting.id)).scalar_one()
    if count >= MAX_POLLS:
        raise Conflict(f"A session can have at most {MAX_POLLS} polls.", code="too_many_polls")


def _apply_definition(poll: Poll, data: dict) -> None:
    poll.kind = data["kind"]
    poll.question = data["question"]
    poll.anonymous = data["anonymous"]
    poll.allow_change = data["allow_change"] and not data["anonymous"]
    poll.visibility = data["visibility"]
    poll.max_choices = None
    poll.scale_min = poll.scale_max = poll.min_label = poll.max_label = None
    poll.options.clear()
    db.session.flush()
    if poll.kind in ("single", "multiple"):
        for i, label in enumerate(data["options"]):
            poll.options.append(PollOption(position=i, label=label, count=0))
        if poll.kind == "multiple":
            poll.max_choices = data.get("max_choices") or len(data["options"])
    elif poll.kind == "rating":
        scale = data.get("scale") or {"min": 1, "max": 5, "min_label": None, "max_label": None}
        poll.scale_min, poll.scale_max = scale["min"], scale["max"]
        poll.min_label, poll.max_label = scale.get("min_label"), scale.get("max_label")
        for i, value in enumerate(range(scale["min"], scale["max"] + 1)):
            poll.options.append(PollOption(position=i, label=str(value), value=value, count=0))
    db.session.flush()


def do_create(meeting: Meeting, data: dict, *, launch: bool = False, template: str | None = None) -> Poll:
    """A draft, or (launch) an open poll everyone inside sees at once."""
    poll = Poll(meeting_id=meeting.id, state="draft", voters=0, template=template, created_at=utcnow())
    db.session.add(poll)
    _apply_definition(poll, data)
    if launch:
        poll.state = "open"
        poll.opened_at = utcnow()
    db.session.flush()
    _publish(poll)
    return poll


def create_poll(actor: Actor, data: dict) -> dict:
    """poll.create, whole: check, create the poll (a draft, or launched when `data["launch"]`), and
    the facilitators' view of it for the reply. `launch` is taken out of `data`."""
    meeting = meeting_of(actor)
    launch = data.pop("launch")
    check_create(actor, meeting, launch=launch)
    poll = do_create(meeting, data, launch=launch)
    return {"poll": private_view(poll)}


def check_update(actor: Actor, poll_id: int) -> Poll:
    require_facilitating(actor)
    poll = _poll(actor, poll_id)
    if poll.state != "draft":
        raise Conflict("Only a draft can be edited: people may already have seen or answered it.", code="not_draft")
    return poll


def do_update(poll: Poll, data: dict) -> Poll:
    _apply_definition(poll, data)
    _publish(poll)
    return poll


def update_poll(actor: Actor, data: dict) -> dict:
    """poll.update, whole: check, replace the draft's definition (`poll_id` is taken out of `data`),
    and the facilitators' view of it."""
    poll = check_update(actor, data.pop("poll_id"))
    do_update(poll, data)
    return {"poll": private_view(poll)}


def check_delete(actor: Actor, poll_id: int) -> Poll:
    require_facilitating(actor)
    return _poll(actor, poll_id)


def do_delete(poll: Poll) -> None:
    """Delete a poll with its votes (a launched one disappears for everyone too)."""
    was_public = poll.state != "draft"
    mid, pid = poll.meeting_id, poll.id
    db.session.delete(poll)
    db.session.flush()
    publish(mid, "facilitators", "poll", "private_removed", {"id": pid})
    if was_public:
        publish(mid, "meeting", "poll", "removed", {"id": pid})


def delete_poll(actor: Actor, poll_id: int) -> None:
    """poll.delete, whole: check, then delete the poll and its votes."""
    do_delete(check_delete(actor, poll_id))


def check_checkin(actor: Actor, meeting: Meeting) -> None:
    check_create(actor, meeting, launch=True)


def checkin_definition(key: str, overrides: dict) -> dict:
    """A check-in template as a poll definition (validated like any other)."""
    t = CHECKINS[key]
    return shared(PollIn).load({**t, **{k: v for k, v in overrides.items() if k in ("anonymous", "visibility")}})


def do_checkin(meeting: Meeting, key: str, overrides: dict | None = None) -> Poll:
    """Launch a check-in poll in one step."""
    return do_create(meeting, checkin_definition(key, overrides or {}), launch=True, template=key)


def launch_checkin(actor: Actor, data: dict) -> dict:
    """poll.checkin, whole: check, launch the template `data["template"]` (taken out of `data`; the
    rest overrides it), and the facilitators' view of the poll."""
    meeting = meeting_of(actor)
    check_checkin(actor, meeting)
    key = data.pop("template")
    poll = do_checkin(meeting, key, data)
    return {"poll": private_view(poll)}


# ---- lifecycle -----------------------------------------------------------------------------

def check_open(actor: Actor, meeting: Meeting, poll_id: int) -> Poll:
    require_facilitating(actor)
    _require_running(meeting)
    poll = _poll(actor, poll_id)
    if poll.state == "open":
        raise Conflict("This poll is already open.", code="already_open")
    return poll


def do_open(poll: Poll) -> None:
    """Launch a draft, or re-open a closed poll (votes so far still count, one each)."""
    poll.state = "open"
    poll.opened_at = utcnow()
    poll.closed_at = None
    db.session.flush()
    _publish(poll)


def open_poll(actor: Actor, poll_id: int) -> None:
    """poll.open, whole: check, then launch the draft or re-open the closed poll."""
    meeting = meeting_of(actor)
    do_open(check_open(actor, meeting, poll_id))


def check_close(actor: Actor, poll_id: int) -> Poll:
    require_facilitating(actor)
    poll = _poll(actor, poll_id)
    if poll.state != "open":
        raise Conflict("This poll is not open.", code="not_open")
    return poll


def do_close(poll: Poll) -> None:
    poll.state = "closed"
    poll.closed_at = utcnow()
    db.session.flush()
    _publish(poll)


def close_open_polls(meeting: Meeting) -> list[Poll]:
    """Close every open poll of the meeting (the session has ended), each through `do_close`, so
    each publishes its closed state and final results as poll.close does. Returns them."""
    open_polls = list(db.session.execute(
        select(Poll).where(Poll.meeting_id == meeting.id, Poll.state == "open").order_by(Poll.id)).scalars())
    for poll in open_polls:
        do_close(poll)
    return open_polls


def close_poll(actor: Actor, poll_id: int) -> None:
    """poll.close, whole: check, then close the poll."""
    do_close(check_close(actor, poll_id))


def check_publish(actor: Actor, poll_id: int, published: bool) -> Poll:
    require_facilitating(actor)
    poll = _poll(actor, poll_id)
    if poll.state == "draft":
        raise Conflict("Launch the poll before publishing its results.", code="not_launched")
    if (poll.published_at is not None) == published:
        raise Conflict("The results are already " + ("published." if published else "hidden."), code="no_change")
    return poll


def do_publish(poll: Poll, published: bool) -> None:
    """Show the results to everyone inside (or hide them again)."""
    poll.published_at = utcnow() if published else None
    db.session.flush()
    _publish(poll)


def publish_results(actor: Actor, poll_id: int, published: bool) -> None:
    """poll.publish, whole: check, then show the results to everyone (or hide them again)."""
    do_publish(check_publish(actor, poll_id, published), published)


# ---- voting --------------------------------------------------------------------------------

def _has_voted(poll: Poll, participant_id: int) -> bool:
    model = PollVoter if poll.anonymous else PollBallot
    found = db.session.get(model, (poll.id, participant_id))
    if found is not None:
        hold(found)  # a changed vote reads the ballot again in `do_vote`: from the session, not the database
    return found is not None


def _answer(poll: Poll, data: dict) -> dict:
    """The vote in stored form ({choices: [option ids]} or {text}), or a clear refusal."""
    if poll.kind == "text":
        if "text" not in data:
            raise Invalid("This poll asks for a short text answer.", code="wrong_answer",
                          fields={"text": ["Write a short answer."]})
        return {"choices": [], "text": data["text"]}
    if poll.kind == "rating":
        if "value" not in data:
            raise Invalid("This poll asks for a point on the scale.", code="wrong_answer",
                          fields={"value": ["Choose a point on the scale."]})
        option = next((o for o in poll.options if o.value == data["value"]), None)
        if option is None:
            raise Invalid(f"Choose a point from {poll.scale_min} to {poll.scale_max}.", code="out_of_range",
                          fields={"value": [f"Must be from {poll.scale_min} to {poll.scale_max}."]})
        return {"choices": [option.id], "text": None}
    if "choices" not in data:
        raise Invalid("This poll asks you to choose from its options.", code="wrong_answer",
                      fields={"choices": ["Choose from the options."]})
    position = {o.id: o.position for o in poll.options}
    if any(c not in position for c in data["choices"]):
        raise Invalid("That is not one of this poll's options.", code="unknown_option",
                      fields={"choices": ["Choose from this poll's options."]})
    limit = 1 if poll.kind == "single" else (poll.max_choices or len(position))
    if len(data["choices"]) > limit:
        raise Invalid(f"Choose at most {limit}.", code="too_many_choices",
                      fields={"choices": [f"Choose at most {limit}."]})
    return {"choices": sorted(data["choices"], key=position.__getitem__), "text": None}


def check_vote(actor: Actor, meeting: Meeting, poll_id: int, data: dict) -> tuple[Participant, Poll, dict]:
    if actor.facilitating:
        raise Conflict("Facilitators run polls; participants vote.", code="not_participant")
    p = require_entered(actor, meeting)
    if p.role == "observer":
        raise NotAllowed("Observers watch without voting.", code="observer")
    poll = _poll(actor, poll_id)
    if poll.state != "open":
        raise Conflict("This poll is closed.", code="poll_closed")
    answer = _answer(poll, data)
    if _has_voted(poll, p.id) and not (poll.allow_change and not poll.anonymous):
        raise Conflict("You have already voted in this poll.", code="already_voted")
    return p, poll, answer


def _lock_open(poll: Poll, *, new_voter: bool) -> None:
    """Take the poll's row (votes on one poll queue here) and count the voter, if it is still open.

    The count as it now stands comes back with the same statement (other voters may have been
    counted since the poll was read), so the views need not read it again."""
    counted = {"poll_id": poll.id, "added": 1 if new_voter else 0}
    voters = db.session.execute(_COUNT_VOTER, counted).scalar_one_or_none()
    if voters is None:
        raise Conflict("This poll has just closed.", code="poll_closed")
    set_committed_value(poll, "voters", voters)


def _already_voted() -> Conflict:
    return Conflict("You have already voted in this poll.", code="already_voted")


def _tally(poll: Poll, answer: dict) -> None:
    """Anonymous: add the answer to the poll's aggregates, rewriting all of them (see module doc)."""
    if poll.kind == "text":
        texts = list(db.session.execute(
            select(PollTextAnswer.text).where(PollTextAnswer.poll_id == poll.id)).scalars())
        texts.append(answer["text"])
        db.session.execute(delete(PollTextAnswer).where(PollTextAnswer.poll_id == poll.id)
                           .execution_options(synchronize_session=False))
        rows = sorted(({"id": uuid.uuid4().hex, "poll_id": poll.id, "text": t} for t in texts),
                      key=lambda r: r["id"])
        db.session.execute(insert(PollTextAnswer), rows)
        return
    # Every option row of the poll is written, chosen or not, so none carries this vote's write stamp alone.
    db.session.execute(
        update(PollOption).where(PollOption.poll_id == poll.id)
        .values(count=PollOption.count + case((PollOption.id.in_(answer["choices"]), 1), else_=0))
        .execution_options(synchronize_session=False))


def do_vote(meeting: Meeting, poll: Poll, p: Participant, answer: dict) -> bool:
    """Record a vote (or, in a named poll that allows it, a changed vote). Returns whether it changed one.

    One transaction: the voter row and the answer go in together or not at all. Two submits at
    once meet the unique key on (poll, participant): the loser is refused with `already_voted`.
    """
    with quiet_sql():
        changed = False
        if poll.anonymous:
            _lock_open(poll, new_voter=True)
            db.session.add(PollVoter(poll_id=poll.id, participant_id=p.id))
            try:
                db.session.flush()
            except IntegrityError:
                raise _already_voted() from None
            _tally(poll, answer)
        else:
            ballot = db.session.get(PollBallot, (poll.id, p.id))
            if ballot is None:
                _lock_open(poll, new_voter=True)
                # Kept referenced, so the voter's own view below finds it without a query.
                ballot = PollBallot(poll_id=poll.id, participant_id=p.id, choices=answer["choices"],
                                    text=answer["text"], voted_at=utcnow())
                db.session.add(ballot)
                try:
                    db.session.flush()
                except IntegrityError:
                    raise _already_voted() from None
            else:
                if not poll.allow_change:
                    raise _already_voted()
                if ballot.choices == answer["choices"] and ballot.text == answer["text"]:
                    return False
                _lock_open(poll, new_voter=False)
                ballot.choices, ballot.text, ballot.changed_at = answer["choices"], answer["text"], utcnow()
                changed = True
        db.session.flush()
        # The counts were added in SQL: the voter count came back from `_lock_open`; read back
        # (anonymous) the option counts in one statement rather than each option apart.
        if poll.anonymous:
            db.session.execute(select(PollOption).where(PollOption.poll_id == poll.id)
                               .execution_options(populate_existing=True)).scalars().all()
        _publish(poll, public=results_visible(poll))
        publish(meeting.id, participant_stream(p.id), "poll", "mine", my_vote(poll, p.id))
    return changed


def cast_vote(actor: Actor, poll_id: int, data: dict) -> dict:
    """poll.vote, whole: check, record the vote, and whether it changed an earlier one."""
    meeting = meeting_of(actor)
    p, poll, answer = check_vote(actor, meeting, poll_id, data)
    return {"changed": do_vote(meeting, poll, p, answer)}


# ---- export --------------------------------------------------------------------------------

def check_export(actor: Actor, poll_id: int) -> Poll:
    require_facilitating(actor)
    return _poll(actor, poll_id)


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def poll_csv(poll: Poll) -> str:
    """One poll as CSV rows `section,item,value`: the poll, counts or answers, words, named votes."""
    res = results(poll)
    labels = {o.id: o.label for o in poll.options}
    rows: list[tuple] = [("section", "item", "value"),
                         ("poll", "question", poll.question), ("poll", "kind", poll.kind),
                         ("poll", "anonymous", "yes" if poll.anonymous else "no"), ("poll", "state", poll.state),
                         ("poll", "voters", res["voters"])]
    if poll.kind == "rating":
        rows.append(("poll", "scale", f"{poll.scale_min}-{poll.scale_max}"))
    for c in res["counts"]:
        rows.append(("count", labels[c["option_id"]], c["count"]))
    if res["mean"] is not None:
        rows.append(("mean", "", res["mean"]))
    for text in res["answers"]:
        rows.append(("answer", "", text))
    for w in res["words"]:
        rows.append(("word", w["word"], w["count"]))
    if not poll.anonymous:
        names = names_of(poll.meeting_id)
        for b in ballots_of(poll):
            answer = b.text if poll.kind == "text" else "; ".join(labels.get(c, "?") for c in b.choices or [])
            rows.append(("vote", names.get(b.participant_id, "?"), answer))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()
