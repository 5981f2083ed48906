"""Socket events leave no reference cycles behind: what they allocate is freed when the event
ends, not by the garbage collector, whose pauses stop every connection of the worker at once.

Every event runs in a request context made from its connection's environ; before
`facilitator.app.App`, each one stored a failed route match (NotFound with its traceback), about
60 objects of cyclic garbage per event, and under `make bench` that was most of what each young
collection freed."""
from __future__ import annotations

import gc
import time

import pytest

from tests.conftest import events


def _wait_for_reactions(client, timeout=5.0) -> None:
    """Reactions go out in bursts from a background task: wait for one to arrive."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(e["type"] == "reactions" for e in events(client)):
            return
        time.sleep(0.05)
    raise AssertionError("no reaction burst arrived")


@pytest.fixture
def no_automatic_gc():
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_the_busiest_events_leave_no_cyclic_garbage(live, no_automatic_gc):
    fac = live.facilitator()
    people = [live.participant(name=f"P{i}") for i in range(3)]
    # First use of each event: caches, compiled statements and shared schema instances are
    # built (building a marshmallow schema leaves some cyclic garbage, once).
    for c in people:
        live.call(c, "hand.raise", {"kind": "new"})
        live.call(c, "chat.send", {"channel": "main", "text": "warm"})
        live.call(c, "reaction.send", {"kind": "clap"})
    live.call(fac, "floor.next")
    for c in people:
        c.emit("hand.lower", callback=True)
    _wait_for_reactions(fac)
    for c in people + [fac]:
        c.get_received()
    gc.collect()

    for round_ in range(5):
        for c in people:
            live.call(c, "hand.raise", {"kind": "new"})
            live.call(c, "chat.send", {"channel": "main", "text": f"hello {round_}"})
            live.call(c, "reaction.send", {"kind": "clap"})
        live.call(fac, "floor.next")
        for c in people:
            ack = c.emit("hand.lower", callback=True)  # the one called has no hand to lower
            assert ack["ok"] or ack["error"]["code"] in ("not_raised", "speaking")
        for c in people + [fac]:
            c.get_received()
    live.call(people[0], "reaction.send", {"kind": "heart"})
    _wait_for_reactions(fac)  # the last burst goes out inside the window, not after it

    unreachable = gc.collect()
    assert unreachable == 0, f"{unreachable} objects left in reference cycles by the socket events"
