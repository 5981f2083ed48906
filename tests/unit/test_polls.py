"""Polls, action by action, each through `verify_action`: the events every role receives turn its
old snapshot into a fresh one. Also: who sees results when, one vote each (also under a race),
refusals with clear codes and no change, check-in templates, word counts and the CSV export."""
from __future__ import annotations

import csv
import io
import threading
from dataclasses import dataclass

import pytest
from marshmallow import ValidationError

from facilitator.actions import polls as pl
from facilitator.views import polls as plv
from facilitator.errors import ActionError, Conflict, Invalid, NotAllowed, NotFound
from facilitator.extensions import db
from facilitator.models import (
    Meeting,
    Poll,
    PollBallot,
    PollOption,
    PollTextAnswer,
    PollVoter,
)
from facilitator.schemas.polls import PollCheckinIn, PollCreateIn, PollIn, PollVoteIn
from facilitator.state import snapshot

from .support import dump_db, facilitator, of, participant, verify_action


@dataclass
class Room:
    """An open meeting: its facilitator, three participants who entered, an observer, one not yet in."""

    app: object
    uid: int
    mid: int
    pids: dict
    observer: int
    gated: int

    @property
    def fac(self):
        return facilitator(self.mid, self.uid)

    def part(self, name):
        return participant(self.mid, self.pids[name])

    @property
    def obs(self):
        return participant(self.mid, self.observer, "observer")

    @property
    def everyone(self):
        return [self.fac, *(self.part(n) for n in self.pids), self.obs]


@pytest.fixture
def room(app, factory) -> Room:
    uid = factory.user()
    mid, _ = factory.meeting(uid, state="live")
    pids = {n: factory.join(mid, name=n)[1] for n in ("Ann", "Bo", "Cat")}
    _, obs = factory.join(mid, name="Olive", role="observer")
    _, gated = factory.join(mid, name="Gil", ack=False)
    return Room(app, uid, mid, pids, obs, gated)


def definition(**over) -> dict:
    """A poll definition through the real schema; `options=None` leaves the default options out."""
    data = {"kind": "single", "question": "Which first?", "options": ["Tea", "Coffee", "Water"], **over}
    return PollIn().load({k: v for k, v in data.items() if v is not None})


def create(room: Room, launch=True, **over) -> int:
    with room.app.app_context():
        m = db.session.get(Meeting, room.mid)
        pl.check_create(room.fac, m, launch=launch)
        poll = pl.do_create(m, definition(**over), launch=launch)
        db.session.commit()
        return poll.id


def vote(room: Room, name: str, poll_id: int, **answer):
    with room.app.app_context():
        m = db.session.get(Meeting, room.mid)
        actor = room.part(name)
        p, poll, ans = pl.check_vote(actor, m, poll_id, PollVoteIn().load({"poll_id": poll_id, **answer}))
        changed = pl.do_vote(m, poll, p, ans)
        db.session.commit()
        return changed


def option_ids(app, poll_id) -> list[int]:
    with app.app_context():
        return [o.id for o in db.session.get(Poll, poll_id).options]


def act_vote(room, name, poll_id, **answer):
    def action(m):
        p, poll, ans = pl.check_vote(room.part(name), m, poll_id, PollVoteIn().load({"poll_id": poll_id, **answer}))
        pl.do_vote(m, poll, p, ans)
    return action


def snap(room, actor):
    with room.app.app_context():
        return snapshot(db.session.get(Meeting, room.mid), actor)


# ---- creating, editing, deleting ------------------------------------------------------------

def test_a_draft_is_seen_by_facilitators_only(app, room):
    out = {}

    def action(m):
        pl.check_create(room.fac, m, launch=False)
        out["id"] = pl.do_create(m, definition(), launch=False).id

    envs = verify_action(app, room.mid, room.everyone, action)
    assert [(e["stream"], e["type"], e["op"]) for e in envs] == [("facilitators", "poll", "private")]
    private = envs[0]["data"]
    assert private["state"] == "draft" and [o["label"] for o in private["options"]] == ["Tea", "Coffee", "Water"]
    assert private["results"]["counts"] == [{"option_id": o["id"], "count": 0} for o in private["options"]]
    assert snap(room, room.part("Ann"))["polls"] == []
    assert [p["id"] for p in snap(room, room.fac)["private"]["polls"]] == [out["id"]]


def test_launching_on_the_spot_shows_the_poll_to_everyone_without_results(app, room):
    def action(m):
        pl.check_create(room.fac, m, launch=True)
        pl.do_create(m, definition(), launch=True)

    envs = verify_action(app, room.mid, room.everyone, action)
    public = of(envs, "meeting", "poll", "upsert")
    assert len(public) == 1 and public[0]["data"]["state"] == "open"
    assert public[0]["data"]["results"] is None, "hidden until published"
    assert public[0]["data"]["anonymous"] is True, "voters are told before they vote"
    assert "ballots" not in public[0]["data"]


def test_editing_a_draft_and_refusing_to_edit_a_launched_poll(app, room):
    pid = create(room, launch=False)

    def action(m):
        poll = pl.check_update(room.fac, pid)
        pl.do_update(poll, definition(kind="multiple", options=["a", "b", "c", "d"], max_choices=2,
                                      anonymous=False, allow_change=True))

    envs = verify_action(app, room.mid, room.everyone, action)
    data = envs[0]["data"]
    assert (data["kind"], data["max_choices"], data["anonymous"], data["allow_change"]) == ("multiple", 2, False, True)
    assert [o["label"] for o in data["options"]] == ["a", "b", "c", "d"]
    with app.app_context():
        assert db.session.query(PollOption).filter_by(poll_id=pid).count() == 4, "old options went"
    live = create(room)
    with app.app_context(), pytest.raises(Conflict) as err:
        pl.check_update(room.fac, live)
    assert err.value.code == "not_draft"


@pytest.mark.parametrize("launch", [False, True])
def test_deleting_a_poll_with_its_votes(app, room, launch):
    pid = create(room, launch=launch)
    if launch:
        vote(room, "Ann", pid, choices=[option_ids(app, pid)[0]])

    def action(m):
        pl.do_delete(pl.check_delete(room.fac, pid))

    envs = verify_action(app, room.mid, room.everyone, action)
    assert of(envs, "facilitators", "poll", "private_removed")[0]["data"] == {"id": pid}
    assert len(of(envs, "meeting", "poll", "removed")) == (1 if launch else 0), "a draft was never public"
    with app.app_context():
        assert db.session.get(Poll, pid) is None
        assert db.session.query(PollVoter).count() == 0 and db.session.query(PollOption).count() == 0


def test_participants_cannot_manage_polls(app, room):
    pid = create(room)
    with app.app_context():
        m = db.session.get(Meeting, room.mid)
        for call in (lambda: pl.check_create(room.part("Ann"), m, launch=True),
                     lambda: pl.check_close(room.part("Ann"), pid),
                     lambda: pl.check_publish(room.obs, pid, True),
                     lambda: pl.check_delete(room.part("Bo"), pid),
                     lambda: pl.check_export(room.part("Bo"), pid)):
            with pytest.raises(NotAllowed):
                call()


def test_a_draft_is_not_found_by_participants_and_another_meetings_poll_by_anyone(app, room, factory):
    draft = create(room, launch=False)
    uid2 = factory.user(email="other@example.org")
    mid2, _ = factory.meeting(uid2, state="live")
    with app.app_context():
        m2 = db.session.get(Meeting, mid2)
        foreign = pl.do_create(m2, definition(), launch=True).id
        db.session.commit()
        m = db.session.get(Meeting, room.mid)
        for call in (lambda: pl.check_vote(room.part("Ann"), m, draft, {"choices": [1]}),
                     lambda: pl.check_vote(room.part("Ann"), m, foreign, {"choices": [1]}),
                     lambda: pl.check_close(room.fac, foreign),
                     lambda: pl.check_export(room.fac, foreign)):
            with pytest.raises(NotFound):
                call()


# ---- lifecycle ----------------------------------------------------------------------------------

def test_open_close_reopen_keeps_one_vote_each(app, room):
    pid = create(room, launch=False)
    tea = option_ids(app, pid)[0]

    def open_(m):
        pl.do_open(pl.check_open(room.fac, m, pid))

    envs = verify_action(app, room.mid, room.everyone, open_)
    assert of(envs, "meeting", "poll", "upsert")[0]["data"]["state"] == "open"
    vote(room, "Ann", pid, choices=[tea])

    envs = verify_action(app, room.mid, room.everyone, lambda m: pl.do_close(pl.check_close(room.fac, pid)))
    assert of(envs, "meeting", "poll", "upsert")[0]["data"]["state"] == "closed"
    with app.app_context(), pytest.raises(Conflict) as err:
        pl.check_vote(room.part("Bo"), db.session.get(Meeting, room.mid), pid, {"choices": [tea]})
    assert err.value.code == "poll_closed"

    envs = verify_action(app, room.mid, room.everyone, open_)
    assert of(envs, "meeting", "poll", "upsert")[0]["data"]["closed_at"] is None
    with app.app_context(), pytest.raises(Conflict) as err:
        pl.check_vote(room.part("Ann"), db.session.get(Meeting, room.mid), pid, {"choices": [tea]})
    assert err.value.code == "already_voted", "re-opening does not give a second vote"
    vote(room, "Bo", pid, choices=[tea])
    with app.app_context():
        assert db.session.get(Poll, pid).voters == 2


def test_open_and_close_refuse_the_wrong_state(app, room):
    pid = create(room)
    with app.app_context():
        m = db.session.get(Meeting, room.mid)
        with pytest.raises(Conflict) as err:
            pl.check_open(room.fac, m, pid)
        assert err.value.code == "already_open"
    draft = create(room, launch=False)
    with app.app_context(), pytest.raises(Conflict) as err:
        pl.check_close(room.fac, draft)
    assert err.value.code == "not_open"
    with app.app_context(), pytest.raises(Conflict) as err:
        pl.check_publish(room.fac, draft, True)
    assert err.value.code == "not_launched"


def test_publishing_shows_results_to_everyone_and_hiding_takes_them_back(app, room):
    pid = create(room)
    tea, coffee, _ = option_ids(app, pid)
    vote(room, "Ann", pid, choices=[tea])
    vote(room, "Bo", pid, choices=[coffee])
    assert snap(room, room.part("Cat"))["polls"][0]["results"] is None

    envs = verify_action(app, room.mid, room.everyone,
                         lambda m: pl.do_publish(pl.check_publish(room.fac, pid, True), True))
    res = of(envs, "meeting", "poll", "upsert")[0]["data"]["results"]
    assert res["voters"] == 2 and {c["option_id"]: c["count"] for c in res["counts"]}[tea] == 1
    with app.app_context(), pytest.raises(Conflict) as err:
        pl.check_publish(room.fac, pid, True)
    assert err.value.code == "no_change"

    envs = verify_action(app, room.mid, room.everyone,
                         lambda m: pl.do_publish(pl.check_publish(room.fac, pid, False), False))
    assert of(envs, "meeting", "poll", "upsert")[0]["data"]["results"] is None


# ---- voting -------------------------------------------------------------------------------------

def test_anonymous_choice_vote_keeps_a_tally_and_a_bare_voter_row(app, room):
    pid = create(room)
    tea, coffee, water = option_ids(app, pid)
    envs = verify_action(app, room.mid, room.everyone, act_vote(room, "Ann", pid, choices=[coffee]))
    assert of(envs, "meeting") == [], "hidden results: nothing for everyone, not even a voter count"
    mine = of(envs, f"p{room.pids['Ann']}", "poll", "mine")
    assert [m["data"] for m in mine] == [{"poll_id": pid, "voted": True, "choices": None, "text": None}]
    private = of(envs, "facilitators", "poll", "private")[0]["data"]
    assert private["ballots"] is None and private["results"]["voters"] == 1
    assert {c["option_id"]: c["count"] for c in private["results"]["counts"]} == {tea: 0, coffee: 1, water: 0}
    with app.app_context():
        assert [(v.poll_id, v.participant_id) for v in db.session.query(PollVoter)] == [(pid, room.pids["Ann"])]
        assert db.session.query(PollBallot).count() == 0
    assert snap(room, room.part("Ann"))["my_votes"] == [{"poll_id": pid, "voted": True, "choices": None, "text": None}]


def test_live_results_go_to_everyone_as_aggregates(app, room):
    pid = create(room, visibility="live")
    tea = option_ids(app, pid)[0]
    envs = verify_action(app, room.mid, room.everyone, act_vote(room, "Bo", pid, choices=[tea]))
    public = of(envs, "meeting", "poll", "upsert")
    assert len(public) == 1 and public[0]["data"]["results"]["voters"] == 1
    assert set(public[0]["data"]["results"]) == {"voters", "counts", "mean", "answers", "words"}
    assert not {"ballots", "participant_id", "name"} & set(public[0]["data"]), "no names, no voters"


def test_multiple_choice_up_to_the_maximum(app, room):
    pid = create(room, kind="multiple", options=["a", "b", "c", "d"], max_choices=2)
    a, b, c, d = option_ids(app, pid)
    verify_action(app, room.mid, room.everyone, act_vote(room, "Ann", pid, choices=[c, a]))
    with app.app_context():
        counts = {o.id: o.count for o in db.session.get(Poll, pid).options}
    assert counts == {a: 1, b: 0, c: 1, d: 0}
    with app.app_context(), pytest.raises(Invalid) as err:
        pl.check_vote(room.part("Bo"), db.session.get(Meeting, room.mid), pid, {"choices": [a, b, c]})
    assert err.value.code == "too_many_choices"


def test_rating_vote_counts_and_mean(app, room):
    pid = create(room, kind="rating", options=None, scale={"min": 1, "max": 5, "min_label": "Low", "max_label": "High"})
    verify_action(app, room.mid, room.everyone, act_vote(room, "Ann", pid, value=4))
    vote(room, "Bo", pid, value=1)
    with app.app_context():
        res = pl.results(db.session.get(Poll, pid))
        view = pl.private_view(db.session.get(Poll, pid))
    assert res["mean"] == 2.5 and sum(c["count"] for c in res["counts"]) == 2
    assert view["scale"] == {"min": 1, "max": 5, "min_label": "Low", "max_label": "High"}
    assert [o["value"] for o in view["options"]] == [1, 2, 3, 4, 5]
    with app.app_context(), pytest.raises(Invalid) as err:
        pl.check_vote(room.part("Cat"), db.session.get(Meeting, room.mid), pid, {"value": 6})
    assert err.value.code == "out_of_range"


def test_anonymous_text_answers_are_rewritten_with_new_random_keys_and_read_sorted(app, room):
    pid = create(room, kind="text", options=None)
    verify_action(app, room.mid, room.everyone, act_vote(room, "Ann", pid, text="Tired but glad to be here"))
    with app.app_context():
        first = [(a.id, a.text) for a in db.session.query(PollTextAnswer)]
    vote(room, "Bo", pid, text="a bit tired")
    vote(room, "Cat", pid, text="Calm")
    with app.app_context():
        rows = db.session.query(PollTextAnswer).all()
        res = pl.results(db.session.get(Poll, pid))
    assert len(rows) == 3 and all(len(r.id) == 32 for r in rows)
    assert first[0][0] not in {r.id for r in rows}, "every vote gives every answer a new key"
    assert res["answers"] == ["a bit tired", "Calm", "Tired but glad to be here"], "sorted by text, not by time"
    assert res["words"][0] == {"word": "tired", "count": 2}, "case ignored"
    assert "but" not in {w["word"] for w in res["words"]}, "stop words left out"


def test_named_poll_shows_facilitators_who_voted_what_and_allows_a_change(app, room):
    pid = create(room, anonymous=False, allow_change=True)
    tea, coffee, _ = option_ids(app, pid)
    envs = verify_action(app, room.mid, room.everyone, act_vote(room, "Ann", pid, choices=[tea]))
    ballots = of(envs, "facilitators", "poll", "private")[0]["data"]["ballots"]
    assert [(b["participant_id"], b["name"], b["choices"]) for b in ballots] == [(room.pids["Ann"], "Ann", [tea])]
    assert of(envs, f"p{room.pids['Ann']}")[0]["data"]["choices"] == [tea]

    envs = verify_action(app, room.mid, room.everyone, act_vote(room, "Ann", pid, choices=[coffee]))
    ballot = of(envs, "facilitators", "poll", "private")[0]["data"]["ballots"][0]
    assert ballot["choices"] == [coffee] and ballot["changed_at"] is not None
    with app.app_context():
        poll = db.session.get(Poll, pid)
        assert poll.voters == 1, "a change is not a second voter"
        assert {c["option_id"]: c["count"] for c in pl.results(poll)["counts"]}[coffee] == 1
    assert vote(room, "Ann", pid, choices=[coffee]) is False, "the same answer again changes nothing"


def test_named_poll_without_changes_refuses_a_second_vote(app, room):
    pid = create(room, anonymous=False)
    tea = option_ids(app, pid)[0]
    vote(room, "Ann", pid, choices=[tea])
    with app.app_context(), pytest.raises(Conflict) as err:
        pl.check_vote(room.part("Ann"), db.session.get(Meeting, room.mid), pid, {"choices": [tea]})
    assert err.value.code == "already_voted"


REFUSALS = [
    # (poll definition, who, answer, error class, code)
    ({}, "Ann", {"choices": [999999]}, Invalid, "unknown_option"),
    ({}, "Ann", "two", Invalid, "too_many_choices"),
    ({}, "Ann", {"value": 3}, Invalid, "wrong_answer"),
    ({}, "Ann", {"text": "tea"}, Invalid, "wrong_answer"),
    ({"kind": "rating", "options": None}, "Ann", {"value": 0}, Invalid, "out_of_range"),
    ({"kind": "rating", "options": None}, "Ann", {"choices": [1]}, Invalid, "wrong_answer"),
    ({"kind": "text", "options": None}, "Ann", {"choices": [1]}, Invalid, "wrong_answer"),
    ({}, "observer", "one", NotAllowed, "observer"),
    ({}, "facilitator", "one", Conflict, "not_participant"),
    ({}, "gated", "one", Conflict, "rules_not_acknowledged"),
]


@pytest.mark.parametrize("over,who,answer,exc,code", REFUSALS)
def test_bad_votes_are_refused_with_a_code_and_change_nothing(app, room, over, who, answer, exc, code):
    pid = create(room, **over)
    ids = option_ids(app, pid)
    answer = {"one": {"choices": ids[:1]}, "two": {"choices": ids[:2]}}.get(answer, answer) \
        if isinstance(answer, str) else answer
    actor = {"observer": room.obs, "facilitator": room.fac,
             "gated": participant(room.mid, room.gated)}.get(who) or room.part(who)
    before = dump_db(app)
    with app.app_context():
        with pytest.raises(exc) as err:
            pl.check_vote(actor, db.session.get(Meeting, room.mid), pid, answer)
        db.session.rollback()
    assert err.value.code == code
    assert dump_db(app) == before


def test_a_vote_racing_a_close_is_refused_and_changes_nothing(app, room):
    pid = create(room)
    tea = option_ids(app, pid)[0]
    with app.app_context():
        m = db.session.get(Meeting, room.mid)
        p, poll, ans = pl.check_vote(room.part("Ann"), m, pid, {"choices": [tea]})
        db.session.commit()  # the checks passed; now the facilitator closes it before the write
        with app.app_context():
            pl.do_close(pl.check_close(room.fac, pid))
            db.session.commit()
        before = dump_db(app)
        with pytest.raises(Conflict) as err:
            pl.do_vote(m, poll, p, ans)
        db.session.rollback()
    assert err.value.code == "poll_closed"
    assert dump_db(app) == before


@pytest.mark.parametrize("anonymous", [True, False])
def test_two_submits_at_once_count_once(app, room, anonymous):
    """Both pass their checks before either writes; the unique key lets exactly one through."""
    pid = create(room, anonymous=anonymous)
    tea = option_ids(app, pid)[0]
    barrier = threading.Barrier(2)
    outcome = []

    def submit():
        with app.app_context():
            m = db.session.get(Meeting, room.mid)
            try:
                p, poll, ans = pl.check_vote(room.part("Ann"), m, pid, {"choices": [tea]})
                barrier.wait(timeout=5)
                pl.do_vote(m, poll, p, ans)
                db.session.commit()
                outcome.append("ok")
            except ActionError as exc:
                db.session.rollback()
                outcome.append(exc.code)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sorted(outcome) == ["already_voted", "ok"]
    with app.app_context():
        poll = db.session.get(Poll, pid)
        assert poll.voters == 1
        assert {c["option_id"]: c["count"] for c in pl.results(poll)["counts"]}[tea] == 1


# ---- check-ins ----------------------------------------------------------------------------------

@pytest.mark.parametrize("key,kind", [("call", "single"), ("arriving", "text"), ("mood", "rating")])
def test_checkin_templates_launch_in_one_step(app, room, key, kind):
    out = {}

    def action(m):
        pl.check_checkin(room.fac, m)
        out["poll"] = pl.private_view(pl.do_checkin(m, key, PollCheckinIn().load({"template": key})))

    envs = verify_action(app, room.mid, room.everyone, action)
    poll = out["poll"]
    assert (poll["kind"], poll["state"], poll["template"], poll["anonymous"]) == (kind, "open", key, True)
    assert of(envs, "meeting", "poll", "upsert")[0]["data"]["question"] == pl.CHECKINS[key]["question"]
    if key == "call":
        assert [o["label"] for o in poll["options"]] == ["Good", "Some problems", "Hard to follow"]
    if key == "mood":
        assert (poll["scale"]["min"], poll["scale"]["max"]) == (1, 5)


def test_checkin_overrides_and_templates_in_the_facilitator_snapshot(app, room):
    with app.app_context():
        m = db.session.get(Meeting, room.mid)
        poll = pl.do_checkin(m, "call", {"anonymous": False, "visibility": "live"})
        assert (poll.anonymous, poll.visibility) == (False, "live")
        db.session.rollback()
    keys = [t["key"] for t in snap(room, room.fac)["private"]["poll_templates"]]
    assert keys == ["call", "arriving", "mood"]
    assert "poll_templates" not in str(snap(room, room.part("Ann")))


def test_launching_needs_a_running_meeting(app, factory):
    uid = factory.user()
    mid, _ = factory.meeting(uid, state="draft")
    with app.app_context():
        m = db.session.get(Meeting, mid)
        pl.check_create(facilitator(mid, uid), m, launch=False)  # a draft poll may be prepared in advance
        with pytest.raises(Conflict) as err:
            pl.check_checkin(facilitator(mid, uid), m)
        assert err.value.code == "not_running"


# ---- schemas ------------------------------------------------------------------------------------

def test_anonymous_polls_cannot_allow_changed_votes_and_the_schema_says_why():
    with pytest.raises(ValidationError) as err:
        PollCreateIn().load({"kind": "single", "question": "Q", "options": ["a", "b"], "allow_change": True})
    assert "link the voter" in str(err.value.messages["allow_change"])
    assert "cannot be allowed without linking" in PollIn._declared_fields["allow_change"].metadata["description"]
    ok = PollCreateIn().load({"kind": "single", "question": "Q", "options": ["a", "b"], "anonymous": False,
                              "allow_change": True})
    assert ok["allow_change"] is True


@pytest.mark.parametrize("payload,field", [
    ({"kind": "single", "question": "Q"}, "options"),
    ({"kind": "single", "question": "Q", "options": ["a"]}, "options"),
    ({"kind": "single", "question": "Q", "options": ["a", "A"]}, "options"),
    ({"kind": "single", "question": "Q", "options": ["a"] * 11}, "options"),
    ({"kind": "text", "question": "Q", "options": ["a", "b"]}, "options"),
    ({"kind": "multiple", "question": "Q", "options": ["a", "b"], "max_choices": 3}, "max_choices"),
    ({"kind": "single", "question": "Q", "options": ["a", "b"], "max_choices": 1}, "max_choices"),
    ({"kind": "single", "question": "Q", "options": ["a", "b"], "scale": {"max": 5}}, "scale"),
    ({"kind": "rating", "question": "Q", "scale": {"max": 11}}, "scale"),
    ({"kind": "poll", "question": "Q"}, "kind"),
    ({"kind": "text", "question": "x" * 201}, "question"),
    ({"kind": "text", "question": "Q", "visibility": "sometimes"}, "visibility"),
])
def test_bad_poll_definitions(payload, field):
    with pytest.raises(ValidationError) as err:
        PollCreateIn().load(payload)
    assert field in err.value.messages


@pytest.mark.parametrize("payload", [
    {"poll_id": 1}, {"poll_id": 1, "choices": [1], "text": "x"}, {"poll_id": 1, "choices": [1, 1]},
    {"poll_id": 1, "text": "x" * 281}, {"poll_id": 1, "text": "   "}, {"poll_id": "1", "value": 1},
    {"poll_id": 1, "choices": []}, {"poll_id": 1, "value": 2.5}, {"poll_id": 1, "choices": ["1"]},
])
def test_bad_vote_payloads(payload):
    with pytest.raises(ValidationError):
        PollVoteIn().load(payload)


def test_word_counts_fold_case_and_skip_stop_words():
    words = plv.word_counts(["The group is CALM", "calm and warm", "I'm calm; it's warm!", "x 42"])
    assert words[:2] == [{"word": "calm", "count": 3}, {"word": "warm", "count": 2}]
    assert {w["word"] for w in words} == {"calm", "warm", "group"}


# ---- export -------------------------------------------------------------------------------------

def _rows(text):
    return list(csv.reader(io.StringIO(text)))


def test_csv_of_a_named_poll_lists_counts_and_who_voted_what(app, room):
    pid = create(room, anonymous=False)
    tea, coffee, _ = option_ids(app, pid)
    vote(room, "Ann", pid, choices=[tea])
    vote(room, "Bo", pid, choices=[coffee])
    with app.app_context():
        rows = _rows(pl.poll_csv(pl.check_export(room.fac, pid)))
    assert rows[0] == ["section", "item", "value"]
    assert ["poll", "voters", "2"] in rows and ["count", "Tea", "1"] in rows and ["count", "Water", "0"] in rows
    assert ["vote", "Ann", "Tea"] in rows and ["vote", "Bo", "Coffee"] in rows


def test_csv_of_an_anonymous_text_poll_has_answers_and_words_but_no_voters_and_no_formulas(app, room):
    pid = create(room, kind="text", options=None)
    vote(room, "Ann", pid, text="=HYPERLINK(\"http://x\")")
    vote(room, "Bo", pid, text="hopeful hopeful")
    with app.app_context():
        text = pl.poll_csv(pl.check_export(room.fac, pid))
    rows = _rows(text)
    assert ["answer", "", "'=HYPERLINK(\"http://x\")"] in rows, "a formula is defused"
    assert ["word", "hopeful", "2"] in rows
    assert not [r for r in rows if r[0] == "vote"]
    assert "Ann" not in text and "Bo" not in text


# ---- ending the session ----------------------------------------------------------------------

def test_ending_the_session_closes_its_open_polls_with_final_results(app, room):
    """Ending a session closes every open poll through the same path as poll.close: each publishes
    its closed state and results (facilitators and, with live results, everyone), drafts and closed
    polls are left as they are, and nobody can vote any more."""
    from facilitator.actions.meetings import check_set_state, do_set_state

    live = create(room, visibility="live")
    hidden = create(room, question="Hidden until published?")
    done = create(room, question="Closed already?")
    draft = create(room, launch=False, question="Not yet?")
    vote(room, "Ann", live, choices=[option_ids(app, live)[1]])
    vote(room, "Bo", hidden, choices=[option_ids(app, hidden)[0]])
    with app.app_context():
        pl.do_close(pl.check_close(room.fac, done))
        db.session.commit()

    def end(m):
        check_set_state(room.fac, m, "ended")
        do_set_state(room.fac, m, "ended")

    envs = verify_action(app, room.mid, room.everyone, end)
    private = {e["data"]["id"]: e["data"] for e in of(envs, "facilitators", "poll", "private")}
    assert set(private) == {live, hidden}, "the open polls, each once; the draft and the closed one untouched"
    assert all(p["state"] == "closed" and p["closed_at"] for p in private.values())
    assert [c["count"] for c in private[live]["results"]["counts"]] == [0, 1, 0]
    public = {e["data"]["id"]: e["data"] for e in of(envs, "meeting", "poll", "upsert")}
    assert set(public) == {live, hidden}
    assert public[live]["state"] == "closed" and public[live]["results"]["voters"] == 1
    assert public[hidden]["state"] == "closed" and public[hidden]["results"] is None, "hidden results stay hidden"
    with app.app_context():
        assert {p.id: p.state for p in db.session.execute(db.select(Poll)).scalars()} == \
            {live: "closed", hidden: "closed", done: "closed", draft: "draft"}
        with pytest.raises(Conflict) as err:
            pl.check_vote(room.part("Cat"), db.session.get(Meeting, room.mid), live,
                          {"choices": [option_ids(app, live)[0]]})
        assert err.value.code in ("poll_closed", "meeting_ended")
