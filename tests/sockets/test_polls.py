"""Polls over the live channel with several clients: a facilitator and a co-facilitator (signed in),
participants and an observer (tokens).

Each client keeps a mirror (its `sync` snapshot with every event applied by `state.apply_event`,
as the browser does); mirrors must have no gaps and must equal a fresh `sync` at the end.
"""
from __future__ import annotations

import threading

import pytest

from facilitator.extensions import db
from facilitator.models import Poll

from .mirror import Mirror as BaseMirror


class Mirror(BaseMirror):
    """The shared mirror, with what this feature's clients show."""

    def poll(self, poll_id) -> dict | None:
        return next((p for p in self.snap.get("polls", []) if p["id"] == poll_id), None)


@pytest.fixture
def room(live):
    class Room:
        pass

    r = Room()
    r.live = live
    r.co = Mirror(live, live.cofacilitator(), "Cody")  # first: the helper adds that row without an event
    r.f = Mirror(live, live.facilitator(), "Fran")
    r.ann = Mirror(live, live.participant(name="Ann"), "Ann")
    r.bo = Mirror(live, live.participant(name="Bo"), "Bo")
    r.obs = Mirror(live, live.participant(name="Oz", role="observer"), "Oz")
    r.all = [r.f, r.co, r.ann, r.bo, r.obs]
    r.people = [r.ann, r.bo, r.obs]
    for m in r.all:
        m.update()
        m.log = []
    return r


def update(room):
    return {m.name: m.update() for m in room.all}


def kinds(events):
    return [(e["stream"], e["type"], e["op"]) for e in events]


def test_poll_lifecycle_draft_open_vote_close_publish_reopen(app, room):
    live, f = room.live, room.f
    poll = live.call(f.c, "poll.create", {"kind": "single", "question": "Tea or coffee?",
                                          "options": ["Tea", "Coffee"]})["poll"]
    pid, (tea, coffee) = poll["id"], [o["id"] for o in poll["options"]]
    got = update(room)
    assert kinds(got["Fran"]) == kinds(got["Cody"]) == [("facilitators", "poll", "private")]
    assert all(got[m.name] == [] for m in room.people), "a draft is the facilitators' business"

    live.call(f.c, "poll.open", {"poll_id": pid})
    update(room)
    for m in room.all:
        assert m.poll(pid)["state"] == "open" and m.poll(pid)["results"] is None

    assert live.call(room.ann.c, "poll.vote", {"poll_id": pid, "choices": [coffee]}) == {"ok": True, "changed": False}
    got = update(room)
    assert kinds(got["Ann"]) == [(f"p{room.ann.c.pid}", "poll", "mine")]
    assert got["Bo"] == [] and got["Oz"] == [], "hidden results: nobody else hears a thing"
    counts = {c["option_id"]: c["count"] for c in f.snap["private"]["polls"][0]["results"]["counts"]}
    assert counts == {tea: 0, coffee: 1} and room.co.snap["private"]["polls"][0]["results"]["voters"] == 1

    ack = live.call(room.obs.c, "poll.vote", {"poll_id": pid, "choices": [tea]})
    assert ack["error"]["code"] == "observer"
    live.call(f.c, "poll.close", {"poll_id": pid})
    update(room)
    assert room.bo.poll(pid)["state"] == "closed"
    assert live.call(room.bo.c, "poll.vote", {"poll_id": pid, "choices": [tea]})["error"]["code"] == "poll_closed"

    live.call(f.c, "poll.publish", {"poll_id": pid})
    update(room)
    for m in room.people:
        res = m.poll(pid)["results"]
        assert res["voters"] == 1 and {c["option_id"]: c["count"] for c in res["counts"]} == counts

    live.call(f.c, "poll.open", {"poll_id": pid})
    live.call(room.bo.c, "poll.vote", {"poll_id": pid, "choices": [tea]})
    got = update(room)
    assert ("meeting", "poll", "upsert") in kinds(got["Oz"]), "published: later votes show live"
    assert room.obs.poll(pid)["results"]["voters"] == 2
    assert live.call(room.ann.c, "poll.vote", {"poll_id": pid, "choices": [tea]})["error"]["code"] == "already_voted"

    live.call(f.c, "poll.delete", {"poll_id": pid})
    update(room)
    assert all(m.poll(pid) is None for m in room.all) and room.ann.snap["my_votes"] == []
    for m in room.all:
        m.assert_fresh()


def test_hidden_results_give_participants_no_counts_until_published(app, room):
    live, f = room.live, room.f
    ack = live.call(f.c, "poll.checkin", {"template": "mood"})
    pid = ack["poll"]["id"]
    live.call(room.ann.c, "poll.vote", {"poll_id": pid, "value": 2})
    live.call(room.bo.c, "poll.vote", {"poll_id": pid, "value": 5})
    update(room)
    for m in room.people:
        assert m.poll(pid)["results"] is None
        for e in m.log:
            assert "results" not in e["data"] or e["data"]["results"] is None, (m.name, e)
            assert "counts" not in str(e["data"]) and "voters" not in str(e["data"]), (m.name, e)
        assert m.update() == []
    assert f.snap["private"]["polls"][0]["results"]["mean"] == 3.5, "facilitators see it live"

    live.call(f.c, "poll.publish", {"poll_id": pid, "published": True})
    update(room)
    for m in room.people:
        assert m.poll(pid)["results"]["mean"] == 3.5
    live.call(f.c, "poll.publish", {"poll_id": pid, "published": False})
    update(room)
    assert all(m.poll(pid)["results"] is None for m in room.people), "hidden again"
    for m in room.all:
        m.assert_fresh()


def test_live_results_and_a_named_poll_with_a_changed_vote(app, room):
    live, f = room.live, room.f
    poll = live.call(f.c, "poll.create", {"kind": "multiple", "question": "Which days?", "launch": True,
                                          "options": ["Mon", "Tue", "Wed"], "max_choices": 2,
                                          "anonymous": False, "allow_change": True, "visibility": "live"})["poll"]
    pid, (mon, tue, wed) = poll["id"], [o["id"] for o in poll["options"]]
    live.call(room.ann.c, "poll.vote", {"poll_id": pid, "choices": [mon, tue]})
    assert live.call(room.ann.c, "poll.vote", {"poll_id": pid, "choices": [wed]}) == {"ok": True, "changed": True}
    update(room)
    assert room.bo.poll(pid)["results"]["counts"] == [{"option_id": mon, "count": 0}, {"option_id": tue, "count": 0},
                                                      {"option_id": wed, "count": 1}]
    ballots = f.snap["private"]["polls"][0]["ballots"]
    assert [(b["name"], b["choices"]) for b in ballots] == [("Ann", [wed])]
    assert room.ann.snap["my_votes"] == [{"poll_id": pid, "voted": True, "choices": [wed], "text": None}]
    for m in room.people:
        assert all("ballots" not in e["data"] and "Ann" not in str(e["data"].get("results")) for e in m.log)
    for m in room.all:
        m.assert_fresh()


@pytest.mark.parametrize("anonymous", [True, False])
@pytest.mark.parametrize("race", ["as_it_comes", "both_checked_before_either_writes"])
def test_two_votes_sent_at_once_from_two_connections_of_one_person_count_once(app, live, monkeypatch, anonymous,
                                                                               race):
    if race == "both_checked_before_either_writes":  # force the worst interleaving: only the unique key decides
        from facilitator.actions import polls

        real, checked = polls.check_vote, threading.Barrier(2)

        def check_then_wait(*args):
            out = real(*args)
            checked.wait(timeout=5)
            return out

        monkeypatch.setattr(polls, "check_vote", check_then_wait)
    f = live.facilitator()
    ann = live.participant(name="Ann")
    twin = live.sockets(auth={"token": ann.token})  # the same person in a second tab
    poll = live.call(f, "poll.create", {"kind": "text", "question": "One word?", "launch": True,
                                        "anonymous": anonymous})["poll"]
    start = threading.Barrier(2)
    acks = {}

    def send(client, word):
        start.wait(timeout=5)
        acks[word] = client.emit("poll.vote", {"poll_id": poll["id"], "text": word}, callback=True)

    threads = [threading.Thread(target=send, args=(c, w)) for c, w in ((ann, "first"), (twin, "second"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    oks = [w for w, a in acks.items() if a["ok"]]
    refused = [a["error"]["code"] for a in acks.values() if not a["ok"]]
    assert len(oks) == 1 and refused == ["already_voted"], acks
    with app.app_context():
        p = db.session.get(Poll, poll["id"])
        assert p.voters == 1
        from facilitator.views.polls import results

        assert results(p)["answers"] == oks


def test_many_voters_at_once_are_all_counted(app, live):
    """Votes of different people on one poll queue on the poll's row; none is lost."""
    f = live.facilitator()
    people = [live.participant(name=f"P{i}") for i in range(6)]
    poll = live.call(f, "poll.checkin", {"template": "call"})["poll"]
    good = poll["options"][0]["id"]
    start = threading.Barrier(len(people))
    acks = []

    def send(c):
        start.wait(timeout=5)
        acks.append(c.emit("poll.vote", {"poll_id": poll["id"], "choices": [good]}, callback=True))

    threads = [threading.Thread(target=send, args=(c,)) for c in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert [a["ok"] for a in acks] == [True] * 6, acks
    snap = live.call(f, "sync")["snapshot"]
    assert snap["private"]["polls"][0]["results"]["counts"][0] == {"option_id": good, "count": 6}


def test_ending_the_session_closes_open_polls_for_everyone(app, room):
    """meeting.state ended closes every open poll as poll.close does: each client hears the poll
    closed (with its final results where it may see them) and nobody can vote any more."""
    live, f = room.live, room.f
    shown = live.call(f.c, "poll.create", {"kind": "multiple", "question": "Which days?", "launch": True,
                                           "options": ["Mon", "Tue", "Wed"], "visibility": "live"})["poll"]
    hidden = live.call(f.c, "poll.checkin", {"template": "mood"})["poll"]
    mon, tue, _wed = (o["id"] for o in shown["options"])
    live.call(room.ann.c, "poll.vote", {"poll_id": shown["id"], "choices": [mon, tue]})
    live.call(room.bo.c, "poll.vote", {"poll_id": hidden["id"], "value": 4})
    update(room)

    assert live.call(f.c, "meeting.state", {"state": "ended"})["ok"] is True
    got = update(room)
    for m in room.all:
        assert m.poll(shown["id"])["state"] == "closed" and m.poll(hidden["id"])["state"] == "closed", m.name
    for m in room.people:
        assert ("meeting", "poll", "upsert") in kinds(got[m.name])
        assert m.poll(shown["id"])["results"]["voters"] == 1
        assert m.poll(hidden["id"])["results"] is None, "hidden results stay hidden"
    final = {p["id"]: p for p in f.snap["private"]["polls"]}
    assert final[hidden["id"]]["state"] == "closed" and final[hidden["id"]]["results"]["mean"] == 4
    with app.app_context():
        assert {p.state for p in db.session.execute(db.select(Poll)).scalars()} == {"closed"}
    assert live.call(room.ann.c, "poll.vote", {"poll_id": hidden["id"], "value": 2})["ok"] is False
    for m in room.all:
        m.assert_fresh()
