"""Polls as each role sees them: the definition, results when they may be seen, a participant's own vote,
every poll in full (and who voted what in a named poll) for facilitators, and the check-in templates."""
from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import bindparam, select

from ..extensions import db
from ..models import Participant, Poll, PollBallot, PollTextAnswer, PollVoter
from ..models.polls import TEXT_ANSWER_MAX
from ..schemas.common import shared
from ..schemas.polls import MyVoteOut, PollOut, PollPrivateOut, TemplateOut

MAX_WORDS = 60


CHECKINS: dict[str, dict] = {
    "call": {"kind": "single", "question": "How is the call working for you?",
             "options": ["Good", "Some problems", "Hard to follow"]},
    "arriving": {"kind": "text", "question": "How are you arriving today?"},
    "mood": {"kind": "rating", "question": "How is your mood right now?",
             "scale": {"min": 1, "max": 5, "min_label": "Very low", "max_label": "Very good"}},
}


STOP_WORDS = frozenset(["a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "being", "but", "by", "can", "could", "did", "do", "does", "doing", "for", "from", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "it's", "i'm", "i've", "just", "me", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "quite", "really", "same", "she", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "to", "too", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself"])


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def polls_of(meeting_id: int) -> list[Poll]:
    return list(db.session.execute(
        select(Poll).where(Poll.meeting_id == meeting_id).order_by(Poll.id)).scalars())


def word_counts(texts: list[str]) -> list[dict]:
    """Word frequencies for a word cloud: case-folded, stop words and one-letter words left out."""
    words = Counter(w for t in texts for w in _WORD.findall(t.casefold())
                    if len(w) > 1 and w not in STOP_WORDS)
    return [{"word": w, "count": n} for w, n in sorted(words.items(), key=lambda i: (-i[1], i[0]))[:MAX_WORDS]]


def _sorted_texts(texts) -> list[str]:
    return sorted(texts, key=lambda t: (t.casefold(), t))


def ballots_of(poll: Poll) -> list[PollBallot]:
    return list(db.session.execute(
        select(PollBallot).where(PollBallot.poll_id == poll.id).order_by(PollBallot.participant_id)).scalars())


# The vote's statements, built once and run with parameters (see sockets/registry.py `_PRELOAD`).
_NAMED_BALLOTS = (select(PollBallot, Participant.display_name)
                  .outerjoin(Participant, Participant.id == PollBallot.participant_id)
                  .where(PollBallot.poll_id == bindparam("poll_id")).order_by(PollBallot.participant_id))


def named_ballots(poll: Poll) -> tuple[list[PollBallot], dict[int, str]]:
    """A named poll's ballots and their voters' names, in one statement."""
    rows = db.session.execute(_NAMED_BALLOTS, {"poll_id": poll.id}).all()
    return [b for b, _ in rows], {b.participant_id: name for b, name in rows if name is not None}


def results(poll: Poll, ballots: list[PollBallot] | None = None) -> dict:
    """Aggregates only: voters, counts per option (and the mean of a scale), or texts and words.
    `ballots` (a named poll's) may be passed when already loaded."""
    if poll.anonymous:
        counts = {o.id: o.count for o in poll.options}
        texts = list(db.session.execute(
            select(PollTextAnswer.text).where(PollTextAnswer.poll_id == poll.id)).scalars())
    else:
        counts = {o.id: 0 for o in poll.options}
        texts = []
        for b in ballots_of(poll) if ballots is None else ballots:
            for c in b.choices or []:
                if c in counts:
                    counts[c] += 1
            if b.text is not None:
                texts.append(b.text)
    out = {"voters": poll.voters, "counts": [], "mean": None, "answers": [], "words": []}
    if poll.kind == "text":
        out["answers"] = _sorted_texts(texts)
        out["words"] = word_counts(texts)
        return out
    out["counts"] = [{"option_id": o.id, "count": counts[o.id]} for o in poll.options]
    if poll.kind == "rating":
        n = sum(counts.values())
        out["mean"] = round(sum(o.value * counts[o.id] for o in poll.options) / n, 2) if n else None
    return out


def results_visible(poll: Poll) -> bool:
    """May everyone inside see the results now? (Facilitators always can.)"""
    return poll.state != "draft" and (poll.visibility == "live" or poll.published_at is not None)


def _definition(poll: Poll) -> dict:
    scale = None
    if poll.kind == "rating":
        scale = {"min": poll.scale_min, "max": poll.scale_max, "min_label": poll.min_label,
                 "max_label": poll.max_label}
    return {
        "id": poll.id, "kind": poll.kind, "question": poll.question, "anonymous": poll.anonymous,
        "allow_change": poll.allow_change, "visibility": poll.visibility,
        "published": poll.published_at is not None, "state": poll.state,
        "options": [{"id": o.id, "label": o.label, "value": o.value} for o in poll.options],
        "max_choices": poll.max_choices if poll.kind == "multiple" else (1 if poll.kind == "single" else None),
        "scale": scale, "max_length": TEXT_ANSWER_MAX if poll.kind == "text" else None,
        "template": poll.template, "opened_at": poll.opened_at, "closed_at": poll.closed_at,
    }


def public_view(poll: Poll, ballots: list[PollBallot] | None = None) -> dict:
    return shared(PollOut).dump({**_definition(poll),
                                 "results": results(poll, ballots) if results_visible(poll) else None})


def private_view(poll: Poll, ballots: list[PollBallot] | None = None, names: dict[int, str] | None = None) -> dict:
    return shared(PollPrivateOut).dump(private_data(poll, ballots, names))


def private_data(poll: Poll, ballots: list[PollBallot] | None = None, names: dict[int, str] | None = None) -> dict:
    """The facilitators' view, not yet dumped (for the REST API's response schema). `ballots` and
    their voters' `names` may be passed when already loaded."""
    named = None
    if not poll.anonymous:
        ballots = ballots_of(poll) if ballots is None else ballots
        names = names_of(poll.meeting_id) if names is None else names
        named = [{"participant_id": b.participant_id, "name": names.get(b.participant_id, "?"),
                  "choices": b.choices or [], "text": b.text, "voted_at": b.voted_at, "changed_at": b.changed_at}
                 for b in ballots]
    return {**_definition(poll), "results": results(poll, ballots), "created_at": poll.created_at,
            "published_at": poll.published_at, "ballots": named}


def names_of(meeting_id: int) -> dict[int, str]:
    return dict(db.session.execute(
        select(Participant.id, Participant.display_name).where(Participant.meeting_id == meeting_id)).all())


def public_polls(meeting_id: int) -> list[dict]:
    return [public_view(p) for p in polls_of(meeting_id) if p.state != "draft"]


def private_polls(meeting_id: int) -> list[dict]:
    return [private_view(p) for p in polls_of(meeting_id)]


def my_vote(poll: Poll, participant_id: int) -> dict | None:
    """A participant's own vote: the answer for named polls, only `voted` for anonymous ones."""
    if poll.anonymous:
        if db.session.get(PollVoter, (poll.id, participant_id)) is None:
            return None
        return shared(MyVoteOut).dump({"poll_id": poll.id, "voted": True, "choices": None, "text": None})
    b = db.session.get(PollBallot, (poll.id, participant_id))
    if b is None:
        return None
    return shared(MyVoteOut).dump({"poll_id": poll.id, "voted": True, "choices": b.choices or [], "text": b.text})


def my_votes(meeting_id: int, participant_id: int) -> list[dict]:
    out = []
    for poll in polls_of(meeting_id):
        if poll.state != "draft":
            mine = my_vote(poll, participant_id)
            if mine is not None:
                out.append(mine)
    return out


def templates() -> list[dict]:
    return [shared(TemplateOut).dump({"key": k, "kind": t["kind"], "question": t["question"],
                                      "options": t.get("options", []), "scale": t.get("scale")})
            for k, t in CHECKINS.items()]


def add_to_snapshot(snap: dict, meeting, where) -> None:
    """Polls everyone inside may see, a participant's own votes, every poll and the templates for facilitators."""
    if not where.gated:
        snap["polls"] = public_polls(meeting.id)
    if not where.facilitating:
        snap["my_votes"] = my_votes(meeting.id, where.participant_id)
    else:
        snap["private"].update(polls=private_polls(meeting.id), poll_templates=templates())
