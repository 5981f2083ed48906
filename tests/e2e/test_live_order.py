"""static/js/live.js applies each stream's events in the order of their numbers, whatever order
they arrive in: an event that comes early waits for the ones before it (two actions committed
close together, on one worker or on two through Redis, may be sent in the opposite order), and
only a gap that stays open for REORDER_WAIT_MS (an event really lost) costs a resync.

The Live object here is the real class from the served file; only its connection is left out
(no socket, and `sync` counts instead of asking the server), so the ordering is driven exactly."""
from __future__ import annotations

_SCRIPT = """async () => {
    const { Live, REORDER_WAIT_MS } = await import('/static/js/live.js');
    const live = Object.create(Live.prototype);
    Object.assign(live, { snapshot: { seq: { meeting: 10, p7: 3 }, floor: null, hand: null }, buffer: [],
                          syncing: false, listeners: new Set(), statusListeners: new Set(),
                          eventListeners: new Set() });
    live.dropHeld();
    let syncs = 0;
    live.sync = () => { syncs += 1; live.dropHeld(); };
    const applied = [];
    live.onEvent_((env) => applied.push(`${env.stream}:${env.seq}`));
    const ev = (stream, seq) => ({ type: stream === 'meeting' ? 'floor' : 'hand', op: 'updated', stream, seq,
                                   data: { n: seq } });
    const out = {};

    live.onEvent(ev('meeting', 12));
    live.onEvent(ev('meeting', 13));
    live.onEvent(ev('p7', 4));  // another stream is not held up by this one's gap
    out.early = [...applied];
    out.waiting = live.heldCount;
    live.onEvent(ev('meeting', 11));
    live.onEvent(ev('meeting', 12));  // a repeat of one already applied
    out.filled = [...applied];
    out.floor = live.snapshot.floor;
    out.seq = { ...live.snapshot.seq };
    out.timerAfterFill = live.gapTimer;

    // A gap that fills within the wait costs nothing.
    live.onEvent(ev('meeting', 15));
    await new Promise((r) => setTimeout(r, REORDER_WAIT_MS / 2));
    live.onEvent(ev('meeting', 14));
    out.lateButInTime = applied.slice(-2);

    // 18 arrives and 16, 17 never do: one resync, once the wait is over, and not before.
    live.onEvent(ev('meeting', 18));
    out.syncsBeforeWait = syncs;
    await new Promise((r) => setTimeout(r, REORDER_WAIT_MS + 300));
    out.syncsAfterWait = syncs;
    out.appliedAfterLoss = applied.slice(-1);
    out.waitingAfterSync = live.heldCount;
    return out;
}"""


def test_events_are_applied_in_sequence_order_and_only_a_lasting_gap_resyncs(browser, live_server):
    page = browser.new_page()
    try:
        page.goto(live_server.url("/"))
        out = page.evaluate(_SCRIPT)
    finally:
        page.close()
    assert out["early"] == ["p7:4"]
    assert out["waiting"] == 2
    assert out["filled"] == ["p7:4", "meeting:11", "meeting:12", "meeting:13"]
    assert out["floor"] == {"n": 13} and out["seq"] == {"meeting": 13, "p7": 4}
    assert out["timerAfterFill"] is None
    assert out["lateButInTime"] == ["meeting:14", "meeting:15"]
    assert out["syncsBeforeWait"] == 0
    assert out["syncsAfterWait"] == 1
    assert out["appliedAfterLoss"] == ["meeting:15"] and out["waitingAfterSync"] == 0
