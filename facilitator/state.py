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
from .schemas.participants import MeOut, PersonOut, RosterEntryOut
from .schemas.rules import RulesOut


def rules_view(meeting: Meeting) -> dict:
    return shared(RulesOut).dump(
        {"version": meeting.rules_version, "changed_at": meeting.rules_changed_at, "items": meeting.rules}
    )


def on_roster(p: Participant) -> bool:
    """Everyone inside sees a person once they have entered (accepted the rules) and until removed."""
    return p.rules_version_acked is not None and p.removed_at is None


def _people(meeting: Meeting) -> list[Participant]:
    return list(
        db.session.execute(
            db.select(Participant).where(Participant.meeting_id == meeting.id).order_by(Participant.id)
        ).scalars()
    )


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
    gate = audience.gated(where)
    streams = audience.snapshot_streams(where)
    snap: dict = {
        "meeting": shared(MeetingOut).dump(meeting),
        "rules": rules_view(meeting),
        "me": me,
        "gate": gate,
        "seq": current_seqs(meeting.id, streams),
    }
    from .actions import floor

    people = _people(meeting)
    if not gate:
        snap["roster"] = shared(RosterEntryOut).dump([p for p in people if on_roster(p)], many=True)
        snap["floor"] = floor.floor_view(meeting)
    if not actor.facilitating:
        snap["hand"] = floor.my_hand_view(meeting.id, actor.participant_id)
    if actor.facilitating:
        snap["private"] = {
            "meeting": shared(MeetingPrivateOut).dump(meeting),
            "people": shared(PersonOut).dump([p for p in people if p.removed_at is None], many=True),
            "queue": floor.queue_view(meeting),
            "balance": floor.balance_view(meeting.id),
        }
    from .actions import polls, signals

    if not gate:
        snap["polls"] = polls.public_polls(meeting.id)
    if not actor.facilitating:
        snap["my_votes"] = polls.my_votes(meeting.id, actor.participant_id)
        snap["my_signals"] = signals.my_signals(meeting.id, actor.participant_id)
        snap["support"] = signals.my_support(actor.participant_id)
    if actor.facilitating:
        snap["private"].update(polls=polls.private_polls(meeting.id), poll_templates=polls.templates(),
                               signals=signals.signals_view(meeting.id), support=signals.support_list(meeting.id))
    from .actions import safety

    if not actor.facilitating:
        snap["my_contact"] = safety.my_contact(actor.participant_id)
    if actor.facilitating:
        snap["private"].update(drop_alerts=safety.open_alerts(meeting.id),
                               contact_plans=safety.contact_plans(meeting.id),
                               safety=safety.settings_view(meeting.id))
    if not gate:
        state_breakouts.add_to_snapshot(snap, meeting.id, facilitating=actor.facilitating,
                                        participant_id=actor.participant_id)
        state_agenda.add_to_snapshot(snap, meeting.id, facilitating=actor.facilitating)
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
