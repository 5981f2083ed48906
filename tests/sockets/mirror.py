"""A socket test client together with the state it would show, built the way the browser builds it."""
from __future__ import annotations

from facilitator.state import apply_event

from .conftest import drain, received


class Mirror:
    """A client and its snapshot with its events applied in order; gaps and foreign streams fail."""

    def __init__(self, live, client, name):
        self.live, self.c, self.name = live, client, name
        drain(client)
        self.snap = live.call(client, "sync")["snapshot"]
        self.log: list[dict] = []

    def update(self) -> list[dict]:
        got = received(self.c)
        for e in got:
            assert e["stream"] in self.snap["seq"], (self.name, "an event on a stream it should not hear", e)
            assert e["seq"] == self.snap["seq"][e["stream"]] + 1, (self.name, "gap", e)
            self.snap = apply_event(self.snap, e)
        self.log += got
        return got

    def fresh(self) -> dict:
        return self.live.call(self.c, "sync")["snapshot"]

    def assert_fresh(self) -> None:
        assert self.snap == self.fresh(), self.name
