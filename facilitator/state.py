"""The role-filtered snapshot a client gets on connect or resync, and how events update it.

`apply_event` is the reference reducer: the browser client mirrors it, and the tests check
that applying an action's events to the old snapshot gives the new snapshot.
"""
from __future__ import annotations

import copy

from . import audience, state_agenda, state_breakouts
from .access import Actor
from .events import current_seqs
from .extensions import db
from .models import Meeting, Participant, User
from .schemas.common import shared
from .schemas.meetings import MeetingOut, MeetingPrivateOut
from .schemas.participants import MeOut
from .views import agenda, breakouts, chat, floor, people, polls, safety, signals
from .views.people import rules_view

# Each feature's piece of the snapshot, from its read model (views/): one registry, in this order.
PIECES = (people.add_to_snapshot, floor.add_to_snapshot, polls.add_to_snapshot, signals.add_to_snapshot,
          safety.add_to_snapshot, breakouts.add_to_snapshot, chat.add_to_snapshot, agenda.add_to_snapshot)


def snapshot(meeting: Meeting, actor: Actor) -> dict:
    """Everything this actor may see of the meeting now, with the stream positions it reflects."""
    if actor.facilitating:
        user = db.session.get(User, actor.user_id)
        me = {"role": actor.role, "name": user.display_name, "user_id": user.id}
        where = audience.standing(actor)
    else:
        p = db.session.get(Participant, actor.participant_id)
        me = shared(MeOut).dump(p)
        where = audience.standing(actor, p)
    snap: dict = {
        "meeting": shared(MeetingOut).dump(meeting),
        "rules": rules_view(meeting),
        "me": me,
        "gate": where.gated,
        "seq": current_seqs(meeting.id, audience.snapshot_streams(where)),
    }
    if where.facilitating:
        snap["private"] = {"meeting": shared(MeetingPrivateOut).dump(meeting)}
    for add in PIECES:
        add(snap, meeting, where)
    return snap


def _upsert(items: list[dict], item: dict) -> list[dict]:
    out = [i for i in items if i["id"] != item["id"]] + [item]
    return sorted(out, key=lambda i: i["id"])


def apply_event(snap: dict, env: dict) -> dict:
    """Return a new snapshot with one event applied (the reference for every client)."""
    s = copy.deepcopy(snap)
    kind, data = (env["type"], env["op"]), env["data"]
    if kind == ("meeting", "updated"):
        s["meeting"] = data
    elif kind == ("meeting", "private"):
        s["private"]["meeting"] = data
    elif kind == ("rules", "changed"):
        s["rules"] = data
    elif kind == ("roster", "upsert"):
        s["roster"] = _upsert(s.get("roster", []), data)
    elif kind == ("roster", "removed"):
        s["roster"] = [i for i in s.get("roster", []) if i["id"] != data["id"]]
    elif kind == ("people", "upsert"):
        people = _upsert(s["private"]["people"], data)
        s["private"]["people"] = [i for i in people if not i.get("removed")]
    elif kind == ("me", "updated"):
        s["me"] = data
    elif kind == ("floor", "updated"):
        s["floor"] = data
    elif kind == ("hand", "updated"):
        s["hand"] = data
    elif kind == ("queue", "updated"):
        s["private"]["queue"] = data
    elif kind == ("balance", "updated"):
        s["private"]["balance"] = data
    elif kind == ("poll", "upsert"):
        s["polls"] = _upsert(s.get("polls", []), data)
    elif kind == ("poll", "removed"):
        s["polls"] = [i for i in s.get("polls", []) if i["id"] != data["id"]]
        if "my_votes" in s:
            s["my_votes"] = [v for v in s["my_votes"] if v["poll_id"] != data["id"]]
    elif kind == ("poll", "private"):
        s["private"]["polls"] = _upsert(s["private"]["polls"], data)
    elif kind == ("poll", "private_removed"):
        s["private"]["polls"] = [i for i in s["private"]["polls"] if i["id"] != data["id"]]
    elif kind == ("poll", "mine"):
        votes = [v for v in s.get("my_votes", []) if v["poll_id"] != data["poll_id"]] + [data]
        s["my_votes"] = sorted(votes, key=lambda v: v["poll_id"])
    elif kind == ("reactions", "burst"):
        pass  # momentary: shown for a moment, never part of the state
    elif kind == ("signals", "updated"):
        s["private"]["signals"] = data
    elif kind == ("signals", "mine"):
        s["my_signals"] = data
    elif kind == ("support", "upsert"):
        s["private"]["support"] = _upsert(s["private"]["support"], data)
    elif kind == ("support", "mine"):
        s["support"] = data
    elif kind == ("drop_alert", "upsert"):
        alerts = _upsert(s["private"]["drop_alerts"], data)
        s["private"]["drop_alerts"] = [a for a in alerts if a["open"]]
    elif kind == ("contact_plan", "upsert"):
        plans = [c for c in s["private"]["contact_plans"] if c["participant_id"] != data["participant_id"]]
        if data["given"] is not None or data["plan"] is not None:
            plans.append(data)
        s["private"]["contact_plans"] = sorted(plans, key=lambda c: c["participant_id"])
    elif kind == ("contact_plan", "mine"):
        s["my_contact"] = data
    elif kind == ("safety", "settings"):
        s["private"]["safety"] = data
    elif env["type"] in state_breakouts.TYPES:
        state_breakouts.apply(s, env)
    elif env["type"] in state_agenda.TYPES:
        state_agenda.apply(s, env)
    else:
        raise LookupError(f"no reducer for {kind}")
    if env.get("seq") is not None:
        s["seq"][env["stream"]] = env["seq"]
    return s
