"""Arbitrary JSON to every inbound event, as a participant: always a clean ack, never `internal`."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.sockets.registry import INBOUND
from tests.unit.support import dump_db

from .conftest import assert_clean_ack

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


def payloads(name: str):
    """Arbitrary JSON, and objects that use the event's own field names with arbitrary values."""
    keys = sorted(f.data_key or k for k, f in INBOUND[name].schema().load_fields.items())
    shaped = st.fixed_dictionaries({}, optional={k: JSON for k in keys}) if keys else st.just({})
    one = st.one_of(JSON, shaped, shaped)
    return st.lists(one, min_size=0, max_size=2)


FUZZ = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.parametrize("name", sorted(INBOUND))
def test_arbitrary_json_gets_a_clean_ack(app, live, name):
    me = live.participant(name="Fuzz")
    bystander = live.participant(name="Bee")
    seen = {"errors": 0}

    @FUZZ
    @given(args=payloads(name))
    def run(args):
        before = dump_db(app) if name in ("participant.remove", "rules.set", "meeting.state") else None
        ack = assert_clean_ack(me.emit(name, *args, callback=True))
        assert not (ack["ok"] is False and ack["error"]["code"] == "internal"), (name, args, ack)
        if ack["ok"] is False:
            seen["errors"] += 1
        if before is not None:  # never allowed to a participant, whatever the payload
            assert ack["ok"] is False and dump_db(app) == before, (name, args)
        assert me.is_connected() and bystander.is_connected()

    run()
    assert seen["errors"] > 0, "the fuzzer reached the validation paths"


FAC_FUZZ = settings(max_examples=50, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.parametrize("name", sorted(n for n, h in INBOUND.items() if "facilitator" in h.roles))
def test_arbitrary_json_as_a_facilitator_gets_a_clean_ack(app, live, name):
    """Facilitators reach past the role checks, so their payloads exercise the actions themselves."""
    fac = live.facilitator()
    live.participant(name="Pat")
    live.participant(name="Gale", ack=False)

    @FAC_FUZZ
    @given(args=payloads(name))
    def run(args):
        ack = assert_clean_ack(fac.emit(name, *args, callback=True))
        assert not (ack["ok"] is False and ack["error"]["code"] == "internal"), (name, args, ack)
        assert fac.is_connected()

    run()
