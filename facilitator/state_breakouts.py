"""Breakouts and chat in the snapshot, and their reducers (kept here to keep state.py small).

Snapshot keys (people inside the meeting):
  breakouts  {"round": null | the running round as everyone sees it}        (meeting stream)
  chat       {"enabled", "main": [...]} and for participants also
             {"muted", "direct": [their conversation with the facilitators]}  (meeting, p<id>)
  breakout   a participant's room: name, members, deadline, help, "chat"; or null  (b<id>, p<id>)
Facilitators, under "private":
  breakouts  [every round of the meeting, full view]                           (facilitators)
  chat       {"muted": [ids], "backchannel", "direct", "rooms": [...]}         (facilitators)
Chat lists are oldest first and hold the last `HISTORY` messages of each channel (each room,
each conversation); reducers trim the same way.
"""
from __future__ import annotations

from .views import chat as chat_views

TYPES = ("breakouts", "room", "breakout", "chat")


def is_room_stream(stream: str) -> bool:
    return stream[:1] == "b" and stream[1:].isdigit()


def _append(items: list[dict], msg: dict, same) -> list[dict]:
    """Add a message and keep the last HISTORY of its channel (`same` picks the channel's messages)."""
    out = [m for m in items if m["id"] != msg["id"]] + [msg]
    out.sort(key=lambda m: m["id"])
    mine = [m for m in out if same(m)]
    drop = {m["id"] for m in mine[:-chat_views.HISTORY]} if len(mine) > chat_views.HISTORY else set()
    return [m for m in out if m["id"] not in drop]


def _in_room(s: dict, room_id: int) -> bool:
    return bool(s.get("breakout")) and s["breakout"]["room"]["id"] == room_id


def _drop_room_seq(s: dict) -> None:
    s["seq"] = {k: v for k, v in s["seq"].items() if not is_room_stream(k)}


def apply(s: dict, env: dict) -> None:
    """Apply one breakouts/chat event to snapshot `s` in place."""
    kind, data, stream = (env["type"], env["op"]), env["data"], env["stream"]
    if kind == ("breakouts", "updated"):
        s["breakouts"] = data
    elif kind == ("breakouts", "round"):
        rounds = [r for r in s["private"]["breakouts"] if r["id"] != data["id"]] + [data]
        s["private"]["breakouts"] = sorted(rounds, key=lambda r: r["id"])
    elif kind == ("breakouts", "discarded"):
        s["private"]["breakouts"] = [r for r in s["private"]["breakouts"] if r["id"] != data["id"]]
    elif kind in (("room", "updated"), ("room", "warning")):
        if _in_room(s, data["room"]["id"]):  # else: a late event of a room just left; sync follows
            s["breakout"] = {**data, "chat": s["breakout"]["chat"]}
    elif kind == ("breakout", "assigned"):
        s["breakout"] = data["breakout"]
        _drop_room_seq(s)
        s["seq"][data["stream"]] = data["seq"]
    elif kind == ("breakout", "returned"):
        s["breakout"] = None
        _drop_room_seq(s)
    elif kind == ("chat", "settings"):
        s["chat"]["enabled"] = data["enabled"]
    elif kind == ("chat", "me"):
        s["chat"]["muted"] = data["muted"]
    elif kind == ("chat", "muted"):
        s["private"]["chat"]["muted"] = data["participant_ids"]
    elif kind == ("chat", "posted"):
        _chat_posted(s, stream, data)
    elif kind == ("chat", "deleted"):
        _chat_deleted(s, stream, data)
    else:
        raise LookupError(f"no reducer for {kind}")


def _chat_posted(s: dict, stream: str, m: dict) -> None:
    def anything(_m):
        return True

    if stream == "meeting":
        s["chat"]["main"] = _append(s["chat"]["main"], m, anything)
    elif is_room_stream(stream):
        if _in_room(s, m["room_id"]):
            s["breakout"]["chat"] = _append(s["breakout"]["chat"], m, anything)
    elif stream == "facilitators":
        private = s["private"]["chat"]
        if m["channel"] == "backchannel":
            private["backchannel"] = _append(private["backchannel"], m, anything)
        elif m["channel"] == "direct":
            private["direct"] = _append(private["direct"], m, lambda o: o["participant_id"] == m["participant_id"])
        else:
            private["rooms"] = _append(private["rooms"], m, lambda o: o["room_id"] == m["room_id"])
    else:  # the participant's own stream: their conversation with the facilitators
        s["chat"]["direct"] = _append(s["chat"]["direct"], m, anything)


def _chat_deleted(s: dict, stream: str, d: dict) -> None:
    def without(items: list[dict]) -> list[dict]:
        return [m for m in items if m["id"] != d["id"]]

    if stream == "meeting":
        s["chat"]["main"] = without(s["chat"]["main"])
    elif is_room_stream(stream):
        if _in_room(s, d["room_id"]):
            s["breakout"]["chat"] = without(s["breakout"]["chat"])
    elif stream == "facilitators":
        key = {"backchannel": "backchannel", "direct": "direct", "room": "rooms"}[d["channel"]]
        s["private"]["chat"][key] = without(s["private"]["chat"][key])
    else:
        s["chat"]["direct"] = without(s["chat"]["direct"])
