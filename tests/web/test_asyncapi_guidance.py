"""The AsyncAPI document tells a client what it must do (issue 24, item 5): sync after entering and
after a breakout move, each event's rate limit with the numbers this app runs with, when a reply
point is allowed; and every event and code its prose names is real."""
from __future__ import annotations

import re

import pytest

from facilitator.actions.floor import FLOOR_STATES
from facilitator.events import OUTBOUND
from facilitator.models.floor import HAND_KINDS
from facilitator.sockets import declared
from facilitator.sockets.registry import INBOUND
from tests.unit.fastdb import close
from tests.web.conftest import make_app

TICKED = re.compile(r"`([^`]+)`")


def _doc(app) -> dict:
    return app.test_client().get("/api/asyncapi.json").get_json()


def _inbound(doc) -> dict[str, dict]:
    return {m["name"]: m for m in doc["components"]["messages"].values() if "x-roles" in m}


@pytest.fixture
def tuned(tmp_path):
    """An app whose limits are not the defaults: the document must show these."""
    app = make_app(tmp_path, RATE_LIMITS={"hand": (3, 7.0)}, CHAT_RATE_LIMIT=(2, 5), REACTION_LIMIT=4,
                   REACTION_PER_SECONDS=2.0, TRANSPORT_LIMITS={"events": (11, 4.0), "in_flight": 2, "refusals": 9})
    yield app
    close(app)


def test_rate_limits_are_the_ones_the_app_runs_with(tuned):
    doc = _doc(tuned)
    events = _inbound(doc)
    numbers = {name: [(lim["count"], lim["seconds"]) for lim in m["x-rate-limit"]] for name, m in events.items()
               if m["x-rate-limit"]}
    assert numbers == {"hand.raise": [(3, 7.0)], "hand.lower": [(3, 7.0)], "chat.send": [(2, 5)],
                       "reaction.send": [(4, 2.0)]}
    assert events["hand.raise"]["x-rate-limit"][0]["shared_with"] == ["hand.lower"]
    assert "at most 3 in any 7 s" in events["hand.raise"]["description"]
    assert "facilitators' messages" in events["chat.send"]["description"]  # the facilitators' chat counts too
    assert "at most 4 in any 2 s" in events["reaction.send"]["description"]
    conn = doc["x-connection-rate-limit"]
    assert (conn["count"], conn["seconds"], conn["in_flight"], conn["close_after_refusals"]) == (11, 4.0, 2, 9)
    assert "at most 11 events in any 4 s" in doc["info"]["description"]


def test_an_event_with_a_limit_of_its_own_says_so(app):
    """Every event whose code can answer `rate_limited` by itself documents that limit, and no other does."""
    events = _inbound(_doc(app))
    limited = {name for name, h in INBOUND.items() if "rate_limited" in declared.reach(h).codes}
    assert limited >= {"hand.raise", "hand.lower", "chat.send", "reaction.send"}
    assert {name for name, m in events.items() if m["x-rate-limit"]} == limited


def test_generic_codes_are_documented_once_and_listed_for_every_event(app):
    doc = _doc(app)
    assert set(doc["x-generic-error-codes"]) == {"unauthenticated", "invalid", "rate_limited", "unavailable",
                                                 "busy", "internal"}
    for name, m in _inbound(doc).items():
        assert set(doc["x-generic-error-codes"]) <= set(m["x-error-codes"]), name


def test_sync_is_what_brings_a_connection_in(app):
    """The claims tests/sockets/test_gate_and_rules.py shows in practice (still outside until sync)."""
    doc = _doc(app)
    events = _inbound(doc)
    steps = doc["info"]["description"]
    assert "`rules.ack`, then call `sync`" in steps
    assert "it is `sync` that brings this connection into the meeting's rooms" in steps
    assert "`sync`" in events["rules.ack"]["description"]
    for moved in ("breakout.assigned", "breakout.returned"):
        assert f"`{moved}`" in events["sync"]["description"] and f"`{moved}`" in steps


def test_hand_raise_says_when_a_reply_point_is_allowed(app):
    text = _inbound(_doc(app))["hand.raise"]["description"]
    assert ", ".join(f"`{k}`" for k in HAND_KINDS) in text  # the queue's order, as the model states it
    assert "A direct reply (`reply`) is allowed only while someone has the floor" in text
    assert "`no_speaker`" in text and "`speaking`" in text
    assert all(f"`{state}`" in text for state in FLOOR_STATES)


def test_every_event_and_code_the_prose_names_is_real(app):
    """Names in backticks that look like events are events; codes an event's description names are in
    its own list: prose cannot promise what the server does not do."""
    doc = _doc(app)
    events = _inbound(doc)
    known_events = set(INBOUND) | {f"{t}.{op}" for t, op, _stream in OUTBOUND}
    all_codes = set().union(*(m["x-error-codes"] for m in events.values()))
    texts = {"info": doc["info"]["description"], **{name: m["description"] for name, m in events.items()}}
    for where, text in texts.items():
        for ticked in TICKED.findall(text):
            name = ticked.removesuffix(" (gate)")
            if re.fullmatch(r"[a-z_]+\.[a-z_]+", name) and not name.startswith("fields."):
                assert name in known_events, (where, name)
            if where != "info" and ticked in all_codes:
                assert ticked in events[where]["x-error-codes"], (where, ticked)
