"""Run static/js/live.js `applyEvent` in the browser, for reducer parity tests against state.py."""
from __future__ import annotations

_APPLY = """async ([snap, events]) => {
    const { applyEvent } = await import('/static/js/live.js');
    const out = [];
    let s = snap;
    for (const env of events) { s = applyEvent(s, env); out.push(s); if (s === null) break; }
    return out;
}"""


def apply_in_browser(page, snap: dict, events: list[dict]) -> list:
    """The snapshot after each event as the browser's reducer makes it (stops after a null: resync)."""
    return page.evaluate(_APPLY, [snap, events])
