"""Anti-automation on the live channel: hand raises and lowers (8 per 30 s) and chat messages (5 per
10 s) are limited per person, by the limit each event is registered with (facilitator/limits.py,
applied by the socket registry). Past the limit the ack says `rate_limited` with `retry_after`,
nothing is written and nobody hears anything; other people are not affected; the limit lifts with
time; an action refused for another reason does not use up the allowance. Reactions: test_signals.py."""
from __future__ import annotations

from facilitator.limits import limiter
from tests.unit.support import dump_db
from tests.unit.test_reactions import Clock

from .conftest import drain, received, sql_statements


def test_raising_and_lowering_in_a_loop_is_cut_off(app, live):
    clock = Clock()
    limiter("hand", app).clock = clock
    fac = live.facilitator()
    ann = live.participant(name="Ann")
    bo = live.participant(name="Bo")
    live.call(fac, "meeting.state", {"state": "live"})
    for _ in range(4):
        assert live.call(ann, "hand.raise", {"kind": "new"})["ok"] is True
        assert live.call(ann, "hand.lower", {})["ok"] is True
    drain(fac, ann, bo)
    before = dump_db(app)
    ack = live.call(ann, "hand.raise", {"kind": "new"})
    assert ack["ok"] is False and ack["error"]["code"] == "rate_limited", ack
    assert ack["error"]["fields"]["retry_after"] == 30.0
    assert "raising and lowering" in ack["error"]["message"]
    assert dump_db(app) == before
    assert received(fac) == [] and received(bo) == [] and received(ann) == []
    # a second connection of the same person gains nothing
    again = live.sockets(auth={"token": ann.token})
    assert live.call(again, "hand.raise", {"kind": "new"})["error"]["code"] == "rate_limited"
    # someone else is not affected
    assert live.call(bo, "hand.raise", {"kind": "new"})["ok"] is True
    clock.now += 30.5
    assert live.call(ann, "hand.raise", {"kind": "new"})["ok"] is True


def test_chat_is_limited_per_person_facilitators_included(app, live):
    fac = live.facilitator()
    ann = live.participant(name="Ann")
    ben = live.participant(name="Ben")
    for i in range(5):
        assert live.call(ann, "chat.send", {"channel": "main", "text": f"message {i}"})["ok"] is True
    drain(fac, ann, ben)
    before = dump_db(app)
    with sql_statements(app) as statements:
        for channel in ("main", "direct"):
            ack = live.call(ann, "chat.send", {"channel": channel, "text": "one too many"})
            assert ack["ok"] is False and ack["error"]["code"] == "rate_limited", ack
            assert 0 < ack["error"]["fields"]["retry_after"] <= 10.0
    assert statements == [], "refused before any database work: the text is not even written and rolled back"
    assert dump_db(app) == before
    assert received(fac) == [] and received(ben) == []
    assert live.call(ben, "chat.send", {"channel": "main", "text": "someone else is fine"})["ok"] is True
    for i in range(5):
        assert live.call(fac, "chat.send", {"channel": "backchannel", "text": f"note {i}"})["ok"] is True
    assert live.call(fac, "chat.send", {"channel": "main", "text": "too many"})["error"]["code"] == "rate_limited"


def test_a_refused_action_does_not_use_up_the_allowance(app, live):
    fac = live.facilitator()
    ann = live.participant(name="Ann")
    live.call(fac, "meeting.state", {"state": "live"})
    assert live.call(ann, "hand.raise", {"kind": "new"})["ok"] is True
    for _ in range(20):  # already raised: refused by the check, not counted
        assert live.call(ann, "hand.raise", {"kind": "new"})["error"]["code"] == "already_raised"
    assert live.call(ann, "hand.lower", {})["ok"] is True
    assert live.call(ann, "hand.raise", {"kind": "new"})["ok"] is True

