"""The registry enforces each handler's declared `roles=` before the handler runs (issue 17, finding
12): a handler whose own check forgot the role is still closed to everyone else."""
from __future__ import annotations

import dataclasses

import pytest

from facilitator.sockets.registry import INBOUND
from tests.unit.support import dump_db


@pytest.fixture
def unchecked(monkeypatch):
    """Swap a registered handler for one that checks nothing and records who reached it."""
    reached: list[str] = []

    def swap(name: str) -> list[str]:
        def fn(actor, data):
            reached.append(actor.role)
            return {}

        monkeypatch.setitem(INBOUND, name, dataclasses.replace(INBOUND[name], fn=fn))
        return reached

    return swap


def test_a_facilitator_event_without_its_check_is_still_refused_to_people(app, live, unchecked):
    reached = unchecked("queue.clear")
    owner = live.facilitator()
    people = {"participant": live.participant(name="Pia"), "observer": live.participant(name="Obi", role="observer")}
    before = dump_db(app)
    for role, client in people.items():
        ack = live.call(client, "queue.clear", {})
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden", (role, ack)
    assert reached == []
    assert dump_db(app) == before
    assert live.call(owner, "queue.clear", {})["ok"] is True
    assert reached == ["facilitator"]


def test_a_participant_event_without_its_check_is_refused_to_facilitators_and_observers(app, live, unchecked):
    reached = unchecked("hand.raise")
    owner = live.facilitator()
    cody = live.cofacilitator()
    obi = live.participant(name="Obi", role="observer")
    pia = live.participant(name="Pia")
    codes = {who: live.call(c, "hand.raise", {"kind": "new"})
             for who, c in {"owner": owner, "cofacilitator": cody, "observer": obi}.items()}
    assert {who: ack["error"]["code"] for who, ack in codes.items()} == {
        "owner": "not_participant", "cofacilitator": "not_participant", "observer": "observer"}
    assert reached == []
    assert live.call(pia, "hand.raise", {"kind": "new"})["ok"] is True
    assert reached == ["participant"]


def test_the_role_is_refused_before_the_payload_is_read(app, live):
    """A refusal for role does not tell an outsider what a valid payload looks like."""
    pia = live.participant(name="Pia")
    ack = live.call(pia, "floor.call", {"participant_id": "not a number"})
    assert ack["error"]["code"] == "forbidden" and ack["error"]["fields"] == {}
