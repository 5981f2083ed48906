"""The agenda in the snapshot, and its reducers (kept here to keep state.py small).

Snapshot keys (people inside the meeting): `agenda` (items, running item, pending time) and
`heard` ({"summary": the pinned "what I heard" or null}), both on the meeting stream.
Facilitators, under "private": `agenda` (break prompt and setting, minutes, every summary).
"""
from __future__ import annotations

TYPES = ("agenda", "heard")


def apply(s: dict, env: dict) -> None:
    """Apply one agenda event to snapshot `s` in place."""
    kind, data = (env["type"], env["op"]), env["data"]
    if kind == ("agenda", "updated"):
        s["agenda"] = data
    elif kind == ("heard", "updated"):
        s["heard"] = data
    elif kind == ("agenda", "private"):
        s["private"]["agenda"] = data
    else:
        raise LookupError(f"no reducer for {kind}")
