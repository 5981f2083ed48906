"""One reducer (issue 18, item 3): the browser's `applyEvent` (static/js/live.js, with
state-breakouts.js) gives exactly the state `state.apply_event` gives, for every declared outbound
event, on cases recorded from real actions.

The cases come from tests/unit/reducer_cases.py `record`: a session run through the real
check/do actions, each step through `verify_action` (events applied to each actor's old snapshot
give a fresh snapshot), for a facilitator, a participant, one in a breakout room, an observer and
someone still reading the rules. They are recorded here, at test time, so they always follow the
code; a copy is left in test-results/reducer-cases.json. Each case is replayed in Chromium and the
whole state after every event compared with the server's; gate notices must make the client
resync instead. A declared event that no replayed case carries fails the test.
"""
from __future__ import annotations

import json

import pytest

from tests.helpers import json_diff
from tests.unit.reducer_cases import kind_of, missing_kinds, record, write

pytestmark = pytest.mark.e2e

_REPLAY = """async (cases) => {
    const { applyEvent, Live } = await import('/static/js/live.js');
    return cases.map((c) => {
        const states = [];
        let s = c.snapshot;
        for (const env of c.events) {
            s = applyEvent(s, env);
            states.push(s);
            if (s === null) break;
        }
        // A gate notice goes through the client's own routing: it must ask for a sync, not apply.
        const resynced = c.resync.map((env) => {
            let synced = false;
            const client = { syncing: false, snapshot: c.snapshot, buffer: [], sync() { synced = true; },
                             apply() { throw new Error('a gate notice was applied'); } };
            Live.prototype.onEvent.call(client, env);
            return synced;
        });
        return { states, resynced };
    });
}"""


def replay(page, cases: list[dict]) -> list[str]:
    """Every divergence between the browser's reducer and the recorded expectations, as text."""
    got = page.evaluate(_REPLAY, cases)
    problems = []
    for c, out in zip(cases, got, strict=True):
        where = f"{c['step']} / {c['actor']}"
        for i, env in enumerate(c["events"]):
            have = out["states"][i] if i < len(out["states"]) else "(not reached)"
            if have is None:
                problems.append(f"{where}: {'.'.join(kind_of(env))} has no browser reducer (it resyncs)")
                break
            if have != c["expected"][i]:
                problems.append(f"{where}: after {'.'.join(kind_of(env))}: {json_diff(have, c['expected'][i])[:5]}")
                break
        else:
            if not c["resync"] and out["states"] and out["states"][-1] != c["fresh"]:
                problems.append(f"{where}: the end state is not the fresh snapshot: "
                                f"{json_diff(out['states'][-1], c['fresh'])[:5]}")
        if not all(out["resynced"]):
            problems.append(f"{where}: a gate notice did not make the client resync")
    return problems


def test_the_browser_reducer_matches_the_server_for_every_declared_event(browser, live_server, app, factory):
    cases = json.loads(json.dumps(record(app, factory)))  # as the browser gets them: JSON
    write(cases)
    assert missing_kinds(cases) == [], "declared events without a browser case: add a step to reducer_cases.py"
    page = browser.new_page()
    try:
        page.goto(live_server.url("/"))
        assert replay(page, cases) == []
    finally:
        page.close()
