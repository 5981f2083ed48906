"""Arbitrary JSON to every inbound event, as a participant and as a facilitator: always a clean ack,
never `internal`, the default error handler never reached, nothing logged as a failure, and a canary
participant in the same meeting still served after each event.

The foundation's events get 100 examples each; events added by later features get fewer, so the
layer stays fast as events multiply (`FUZZ_EXAMPLES=500` raises every count for a longer run).
Each role runs in one app, with a fresh participant (or meeting) per event.
"""
from __future__ import annotations

import logging
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import fields as mfields
from marshmallow import validate

from facilitator.extensions import socketio
from facilitator.sockets.registry import INBOUND
from tests.unit.support import dump_db

from .conftest import assert_clean_ack, drain, received

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=8,
)


def field_values(f):
    """Arbitrary JSON, or values of the field's own kind (its choices, small ids, nested objects,
    the edges of its ranges and lengths), so that many examples pass validation and reach the
    actions, and the boundaries are tried on both sides."""
    alts = [JSON]
    validators = f.validators if isinstance(getattr(f, "validators", None), list | tuple) else []
    for v in validators:
        if isinstance(v, validate.OneOf):
            alts.append(st.sampled_from(list(v.choices)))
        edges = boundaries(v)
        if edges is not None and isinstance(f, mfields.Integer):
            alts.append(st.sampled_from(edges))
        elif edges is not None and isinstance(f, mfields.String):
            alts.append(st.sampled_from(edges).flatmap(
                lambda n: st.text(alphabet="ab \n\u00e9", min_size=n, max_size=n)))
        elif edges is not None and isinstance(f, mfields.List):
            alts.append(st.sampled_from(edges).flatmap(lambda n: st.lists(field_values(f.inner), min_size=n,
                                                                          max_size=n)))
    if isinstance(f, mfields.Integer):
        alts.append(st.integers(min_value=0, max_value=6))
    if isinstance(f, mfields.String):
        alts.append(st.text(min_size=1, max_size=30))
    if isinstance(f, mfields.Nested):
        alts.append(shaped(f.schema))
    if isinstance(f, mfields.List):
        alts.append(st.lists(field_values(f.inner), max_size=4))
    return st.one_of(alts)


def boundaries(v) -> list[int] | None:
    """The edges of a Range or Length validator and one step past each: where off-by-one lives."""
    if isinstance(v, validate.Range | validate.Length):
        lo, hi = v.min, v.max
        edges = [n for b in (lo, hi) if b is not None for n in (b - 1, b, b + 1)]
        if isinstance(v, validate.Length):
            edges = [n for n in edges if 0 <= n <= 2000]  # lengths: none below 0, none huge
        return sorted(set(edges)) or None
    return None


def shaped(schema):
    fields_ = schema.load_fields
    if not fields_:
        return st.just({})
    return st.fixed_dictionaries({}, optional={f.data_key or k: field_values(f) for k, f in fields_.items()})


def payloads(name: str):
    """Argument lists: arbitrary JSON, or objects shaped like the event's schema."""
    schema = INBOUND[name].schema()
    one = st.one_of(JSON, shaped(schema), shaped(schema), shaped(schema))
    return st.one_of(st.tuples(one).map(list), st.lists(one, min_size=0, max_size=2))


FOUNDATION = {"sync", "me.status", "me.leave", "rules.ack", "rules.set", "meeting.state", "participant.remove"}
_SCALE = int(os.environ.get("FUZZ_EXAMPLES", "0"))


def _settings(name: str, foundation: int, other: int):
    n = _SCALE or (foundation if name in FOUNDATION else other)
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _fuzz(name: str, config, check) -> None:
    """Run `check(args)` on generated argument lists for event `name`."""

    @config
    @given(args=payloads(name))
    def run(args):
        check(args)

    run()


class Escapes(logging.Handler):
    """Counts calls to Socket.IO's default error handler (an exception that escaped `run`) and the
    errors `run` logs for an unexpected exception (answered `internal`)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.logged: list[str] = []
        self.default_handler_calls: list[str] = []

    def emit(self, record):
        self.logged.append(record.getMessage())


@pytest.fixture
def escapes(monkeypatch):
    counter = Escapes()
    original = socketio.default_exception_handler

    def counting(exc):
        counter.default_handler_calls.append(repr(exc))
        return original(exc)

    monkeypatch.setattr(socketio, "default_exception_handler", counting)
    logger = logging.getLogger("facilitator.sockets")
    logger.addHandler(counter)
    yield counter
    logger.removeHandler(counter)
    assert counter.default_handler_calls == [], "exceptions escaped a handler"
    assert counter.logged == [], "handlers failed unexpectedly"


def canary_still_served(live, canary, name: str) -> None:
    """The canary gets its own state back, i.e. its connection and its meeting still work."""
    assert canary.is_connected(), name
    ack = live.call(canary, "sync")
    assert ack["ok"] is True and ack["snapshot"]["me"]["id"] == canary.pid, name


def test_arbitrary_json_as_a_participant_gets_a_clean_ack(app, live, escapes):
    bystander = live.participant(name="Bee")
    # Events a participant may not send go first: their check compares the whole database before
    # and after, and later events may start background work (e.g. batched reactions) that writes.
    for name in sorted(INBOUND, key=lambda n: ("participant" in INBOUND[n].roles, n)):
        me = live.participant(name="Fuzz")
        seen = {"errors": 0}
        forbidden = "participant" not in INBOUND[name].roles
        before = dump_db(app) if forbidden else None

        def one(args, me=me, name=name, forbidden=forbidden, seen=seen):
            ack = assert_clean_ack(me.emit(name, *args, callback=True))
            assert not (ack["ok"] is False and ack["error"]["code"] == "internal"), (name, args, ack)
            if ack["ok"] is False:
                seen["errors"] += 1
            if forbidden:  # never allowed to a participant, whatever the payload
                assert ack["ok"] is False, (name, args)
            assert me.is_connected() and bystander.is_connected(), name

        _fuzz(name, _settings(name, 100, 10), one)
        assert seen["errors"] > 0, f"{name}: the fuzzer reached the validation paths"
        if forbidden:
            assert dump_db(app) == before, f"{name} sent by a participant changed the database"
        canary_still_served(live, bystander, name)
    assert escapes.default_handler_calls == [] and escapes.logged == []
    # and it still hears the meeting
    drain(bystander)
    assert live.call(bystander, "chat.send", {"channel": "main", "text": "Still here"})["ok"] is True
    assert [e["data"]["text"] for e in received(bystander) if e["type"] == "chat"] == ["Still here"]


def test_arbitrary_json_as_a_facilitator_gets_a_clean_ack(app, live, escapes):
    """Facilitators reach past the role checks, so their payloads exercise the actions themselves."""
    signed_in = live.login()
    for name in sorted(n for n, h in INBOUND.items() if "facilitator" in h.roles):
        mid, _ = live.factory.meeting(live.uid, title=f"Fuzz {name}")
        fac = live.sockets(auth={"meeting_id": mid}, flask_client=signed_in)
        assert fac.is_connected()
        canary = live.participant(name="Pat", meeting_id=mid)
        live.participant(name="Gale", ack=False, meeting_id=mid)

        def one(args, fac=fac, name=name):
            ack = assert_clean_ack(fac.emit(name, *args, callback=True))
            assert not (ack["ok"] is False and ack["error"]["code"] == "internal"), (name, args, ack)
            assert fac.is_connected(), name

        _fuzz(name, _settings(name, 40, 8), one)
        if name not in ("participant.remove", "meeting.state"):  # these may remove the canary or end it all
            canary_still_served(live, canary, name)
        fac.disconnect()
