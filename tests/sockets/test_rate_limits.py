"""Anti-automation on the live channel: hand raises and lowers are limited per person (8 per 30 s,
facilitator/limits.py). Past the limit the ack says `rate_limited` with `retry_after`, nothing is
written and nobody hears anything; other people are not affected; the limit lifts with time."""
from __future__ import annotations

from facilitator.limits import limiter
from tests.unit.support import dump_db
from tests.unit.test_reactions import Clock

from .conftest import drain, received


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
