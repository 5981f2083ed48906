"""The recorded reducer cases (reducer_cases.py) cover every declared outbound event, each from a real
action, and agree with `state.apply_event` and with a fresh snapshot; the browser replays the same
cases (tests/e2e/test_reducer_parity.py). A copy is written to test-results/reducer-cases.json."""
from __future__ import annotations

import json

from facilitator.events import OUTBOUND
from facilitator.state import apply_event

from .reducer_cases import CASES_PATH, covered, kind_of, missing_kinds, record, write


def test_every_declared_event_has_a_recorded_case_from_a_real_action(app, factory):
    cases = record(app, factory)
    assert missing_kinds(cases) == [], "declared events no recorded case carries: add a step to reducer_cases.py"
    assert covered(cases) <= set(OUTBOUND), "every event published is declared"
    roles = {c["role"] for c in cases if c["events"]}
    assert roles == {"facilitator", "participant", "observer"}
    for c in cases:
        state = c["snapshot"]
        for env, want in zip(c["events"], c["expected"], strict=True):
            state = apply_event(state, env)
            assert state == want, (c["step"], c["actor"], kind_of(env))
        if c["resync"]:  # a gate notice: the client syncs, and the sync brings the fresh snapshot
            assert c["snapshot"]["gate"] and c["events"] == [], "only someone outside the meeting gets gate notices"
        else:
            assert state == c["fresh"], (c["step"], c["actor"], "the events do not add up to a fresh snapshot")
    # JSON: what the browser reads is what the server sent (a tuple would come back a list).
    assert json.loads(json.dumps(cases)) == cases
    write(cases)
    assert CASES_PATH.exists()


def test_a_declared_event_without_a_case_is_reported(app, factory):
    """The coverage check itself: take away every case of one kind and it is named."""
    cases = record(app, factory)
    gone = ("breakouts", "discarded", "facilitators")
    trimmed = [{**c, "events": [e for e in c["events"] if kind_of(e) != gone]} for c in cases]
    assert missing_kinds(trimmed) == [gone]
