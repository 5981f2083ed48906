"""Bad input to polls, reactions and signals: each refused with a clear error ack, the database
unchanged, nobody told anything."""
from __future__ import annotations

import pytest

from tests.unit.support import dump_db

from .conftest import assert_clean_ack, drain, received


@pytest.fixture
def setup(live):
    f = live.facilitator()
    ann = live.participant(name="Ann")
    bo = live.participant(name="Bo")
    obs = live.participant(name="Oz", role="observer")
    call = live.call
    single = call(f, "poll.create", {"kind": "single", "question": "One?", "options": ["a", "b", "c"],
                                     "launch": True})["poll"]
    multi = call(f, "poll.create", {"kind": "multiple", "question": "Two?", "options": ["a", "b", "c"],
                                    "max_choices": 2, "launch": True})["poll"]
    rating = call(f, "poll.checkin", {"template": "mood"})["poll"]
    text = call(f, "poll.checkin", {"template": "arriving"})["poll"]
    closed = call(f, "poll.create", {"kind": "single", "question": "Shut?", "options": ["x", "y"],
                                     "launch": True})["poll"]
    call(f, "poll.close", {"poll_id": closed["id"]})
    draft = call(f, "poll.create", {"kind": "single", "question": "Later?", "options": ["x", "y"]})["poll"]
    call(ann, "poll.vote", {"poll_id": single["id"], "choices": [single["options"][0]["id"]]})
    # another meeting, with its own poll
    other_uid = live.factory.user(email="else@example.org", name="Eve")
    mid2, _ = live.factory.meeting(other_uid)
    g = live.facilitator(meeting_id=mid2, email="else@example.org")
    foreign = call(g, "poll.create", {"kind": "single", "question": "Theirs", "options": ["p", "q"],
                                      "launch": True})["poll"]
    ids = {"single": single, "multi": multi, "rating": rating, "text": text, "closed": closed, "draft": draft,
           "foreign": foreign}
    return f, ann, bo, obs, g, ids


def opt(poll, i):
    return poll["options"][i]["id"]


def participant_cases(p):
    s, m, r, t = p["single"], p["multi"], p["rating"], p["text"]
    return [
        ("poll.vote", {"poll_id": p["closed"]["id"], "choices": [opt(p["closed"], 0)]}, "poll_closed"),
        ("poll.vote", {"poll_id": p["foreign"]["id"], "choices": [opt(p["foreign"], 0)]}, "not_found"),
        ("poll.vote", {"poll_id": p["draft"]["id"], "choices": [opt(p["draft"], 0)]}, "not_found"),
        ("poll.vote", {"poll_id": 424242, "choices": [1]}, "not_found"),
        ("poll.vote", {"poll_id": m["id"], "choices": [opt(s, 0)]}, "unknown_option"),      # another poll's option
        ("poll.vote", {"poll_id": m["id"], "choices": [opt(p["foreign"], 0)]}, "unknown_option"),
        ("poll.vote", {"poll_id": r["id"], "value": 6}, "out_of_range"),
        ("poll.vote", {"poll_id": r["id"], "value": 0}, "out_of_range"),
        ("poll.vote", {"poll_id": m["id"], "choices": [opt(m, 0), opt(m, 1), opt(m, 2)]}, "too_many_choices"),
        ("poll.vote", {"poll_id": s["id"], "choices": [opt(s, 1), opt(s, 2)]}, "too_many_choices"),
        ("poll.vote", {"poll_id": p["closed"]["id"], "choices": [opt(p["closed"], 0), opt(p["closed"], 1)]},
         "poll_closed"),
        ("poll.vote", {"poll_id": t["id"], "text": "x" * 281}, "invalid"),                 # overlong text
        ("poll.vote", {"poll_id": t["id"], "text": "  "}, "invalid"),
        ("poll.vote", {"poll_id": t["id"], "text": "bad\x00byte"}, "invalid"),
        ("poll.vote", {"poll_id": t["id"], "choices": [1]}, "wrong_answer"),
        ("poll.vote", {"poll_id": m["id"], "text": "a"}, "wrong_answer"),
        ("poll.vote", {"poll_id": m["id"], "choices": [opt(m, 0)], "text": "a"}, "invalid"),
        ("poll.vote", {"poll_id": m["id"], "choices": [opt(m, 0), opt(m, 0)]}, "invalid"),
        ("poll.vote", {"poll_id": m["id"], "choices": str(opt(m, 0))}, "invalid"),
        ("poll.vote", {"poll_id": str(m["id"]), "choices": [opt(m, 0)]}, "invalid"),
        ("poll.vote", {"poll_id": m["id"], "choices": list(range(1, 12))}, "invalid"),
        ("poll.vote", {"poll_id": s["id"], "choices": [opt(s, 1)]}, "already_voted"),
        ("poll.create", {"kind": "single", "question": "Mine?", "options": ["a", "b"]}, "forbidden"),
        ("poll.publish", {"poll_id": s["id"]}, "forbidden"),
        ("poll.close", {"poll_id": s["id"]}, "forbidden"),
        ("poll.delete", {"poll_id": s["id"]}, "forbidden"),
        ("reaction.send", {"kind": "thumbs_down"}, "invalid"),                              # unknown kind
        ("reaction.send", {"kind": "CLAP"}, "invalid"),
        ("reaction.send", {"kind": ["clap"]}, "invalid"),
        ("reaction.send", {}, "invalid"),
        ("signal.raise", {"kind": "shouting"}, "invalid"),
        ("signal.lower", {"kind": "need_break"}, "not_raised"),
        ("signal.clear", {"participant_id": 1, "kind": "need_break"}, "forbidden"),
        ("signal.clear_all", {}, "forbidden"),
        ("support.withdraw", {}, "no_request"),
        ("support.send", {"urgent": True}, "invalid"),
        ("support.ack", {"request_id": 1}, "forbidden"),
    ]


def facilitator_cases(p):
    return [
        ("poll.create", {"kind": "single", "question": "Q", "options": ["a", "b"], "allow_change": True},
         "invalid"),
        ("poll.create", {"kind": "single", "question": "Q", "options": ["a"]}, "invalid"),
        ("poll.create", {"kind": "multiple", "question": "Q", "options": ["a", "b"], "max_choices": 5}, "invalid"),
        ("poll.create", {"kind": "rating", "question": "Q", "scale": {"min": 3, "max": 5}}, "invalid"),
        ("poll.create", {"kind": "text", "question": ""}, "invalid"),
        ("poll.update", {"poll_id": p["single"]["id"], "kind": "text", "question": "Q"}, "not_draft"),
        ("poll.open", {"poll_id": p["single"]["id"]}, "already_open"),
        ("poll.close", {"poll_id": p["closed"]["id"]}, "not_open"),
        ("poll.close", {"poll_id": p["foreign"]["id"]}, "not_found"),
        ("poll.publish", {"poll_id": p["draft"]["id"]}, "not_launched"),
        ("poll.publish", {"poll_id": p["single"]["id"], "published": False}, "no_change"),
        ("poll.delete", {"poll_id": p["foreign"]["id"]}, "not_found"),
        ("poll.checkin", {"template": "weather"}, "invalid"),
        ("poll.vote", {"poll_id": p["single"]["id"], "choices": [opt(p["single"], 0)]}, "not_participant"),
        ("reaction.send", {"kind": "clap"}, "not_participant"),
        ("signal.raise", {"kind": "slow_down"}, "not_participant"),
        ("signal.clear", {"participant_id": 999, "kind": "slow_down"}, "not_found"),
        ("support.ack", {"request_id": 999}, "not_found"),
        ("support.send", {}, "not_participant"),
    ]


def observer_cases(p):
    return [
        ("poll.vote", {"poll_id": p["multi"]["id"], "choices": [opt(p["multi"], 0)]}, "observer"),
        ("reaction.send", {"kind": "heart"}, "observer"),
    ]


def _check(app, client, watchers, event, payload, code):
    drain(client, *watchers)
    before = dump_db(app)
    ack = assert_clean_ack(client.emit(event, payload, callback=True))
    assert ack["ok"] is False and ack["error"]["code"] == code, (event, payload, ack)
    assert ack["error"]["message"], "a sentence for people"
    assert dump_db(app) == before, f"{event} {payload!r:.80} changed the database"
    assert received(client) == [] and all(received(w) == [] for w in watchers), (event, "nothing announced")


def test_bad_participant_input_changes_nothing(app, setup):
    f, ann, bo, obs, g, polls = setup
    for event, payload, code in participant_cases(polls):
        _check(app, ann, [f, bo, obs, g], event, payload, code)


def test_bad_facilitator_input_changes_nothing(app, setup):
    f, ann, bo, obs, g, polls = setup
    for event, payload, code in facilitator_cases(polls):
        _check(app, f, [ann, bo, obs, g], event, payload, code)


def test_observers_do_not_vote_or_react(app, setup):
    f, ann, bo, obs, _g, polls = setup
    for event, payload, code in observer_cases(polls):
        _check(app, obs, [f, ann, bo], event, payload, code)


def test_an_anonymous_poll_refuses_changes_and_says_why(app, setup):
    f, *_ = setup
    ack = f.emit("poll.create", {"kind": "single", "question": "Q", "options": ["a", "b"], "allow_change": True},
                 callback=True)
    assert "linking" in ack["error"]["fields"]["allow_change"][0] or "link" in ack["error"]["fields"]["allow_change"][0]
