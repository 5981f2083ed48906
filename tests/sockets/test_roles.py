"""Every inbound event tried as every role: the allowed roles succeed, the others are refused and
change nothing. The table is written out here, so the registry's documented roles are checked too."""
from __future__ import annotations

import pytest

from facilitator.sockets.registry import INBOUND
from tests.unit.support import dump_db

from .conftest import drain, received

FACILITATING = {"facilitator", "cofacilitator"}
PEOPLE = {"participant", "observer"}

# event -> (roles that may send it, payload builder given (spare participant id, current rules version))
TABLE = {
    "sync": (FACILITATING | PEOPLE, lambda spare, v: {}),
    "me.status": (PEOPLE, lambda spare, v: {"mic": "on"}),
    "rules.set": (FACILITATING, lambda spare, v: {"items": [{"title": "New", "text": f"Version after {v}."}]}),
    "rules.ack": (PEOPLE, lambda spare, v: {"version": v}),
    "meeting.state": (FACILITATING, lambda spare, v: {"state": "live"}),
    "participant.remove": (FACILITATING, lambda spare, v: {"participant_id": spare}),
    "me.leave": (PEOPLE, lambda spare, v: {}),  # last: after leaving, the rest would mean less
}


def test_the_table_covers_the_foundation_events():
    """Events added by later features are tried more weakly below until they get a row here."""
    assert set(TABLE) <= set(INBOUND)


def test_documented_roles_match_the_table():
    for name, (roles, _) in TABLE.items():
        assert set(INBOUND[name].roles) == roles, name


@pytest.mark.parametrize("role", ["facilitator", "cofacilitator", "participant", "observer"])
def test_every_event_as_every_role(app, live, role):
    owner = live.facilitator()
    spare = live.participant(name="Spare")
    if role == "facilitator":
        me = owner
    elif role == "cofacilitator":
        me = live.cofacilitator()
    else:
        me = live.participant(name="Me", role=role)
    for name, (roles, payload) in TABLE.items():
        version = live.call(owner, "sync")["snapshot"]["rules"]["version"]
        drain(owner, spare, me)
        before = dump_db(app)
        ack = live.call(me, name, payload(spare.pid, version))
        if role in roles:
            assert ack["ok"] is True, (role, name, ack)
        else:
            assert ack["ok"] is False, (role, name, ack)
            assert ack["error"]["code"] in {"forbidden", "not_participant", "unauthenticated"}, (role, name, ack)
            assert dump_db(app) == before, (role, name)
            assert received(owner) == [] and received(spare) == [], (role, name)


@pytest.mark.parametrize("role", ["cofacilitator", "participant"])
def test_events_without_a_row_are_refused_to_roles_they_are_not_for(app, live, role):
    """For events not in TABLE yet: a role they are not documented for gets an error and changes nothing."""
    others = sorted(set(INBOUND) - set(TABLE))
    live.facilitator()
    me = live.cofacilitator() if role == "cofacilitator" else live.participant(name="Me")
    for name in others:
        if role in INBOUND[name].roles:
            continue
        before = dump_db(app)
        ack = live.call(me, name, {})
        assert ack["ok"] is False, (role, name, ack)
        assert dump_db(app) == before, (role, name)
