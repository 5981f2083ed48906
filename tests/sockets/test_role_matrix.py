"""The role matrix: every inbound socket event sent by every kind of actor, allowed or refused by the
table below. A refused call gets an error ack, changes no row and reaches nobody; an allowed call is
not refused for role reasons (it may still fail for the state the world is in). An event that is in
the registry but not in the table fails `test_every_event_has_a_row`.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from facilitator.actions.reactions import reactions_state
from facilitator.extensions import db
from facilitator.models import Participant, utcnow
from facilitator.sockets.registry import INBOUND
from tests.unit.support import dump_db

from .conftest import drain, received
from .test_safety import lose

F, C, P, O = "facilitator", "cofacilitator", "participant", "observer"
FAC = frozenset({F, C})
PEOPLE = frozenset({P, O})
ALL = FAC | PEOPLE
NOBODY = frozenset()

# Error codes that mean "not for you" (a role, a removal, an observer, a missing sign-in).
REFUSED = {"forbidden", "not_participant", "unauthenticated", "removed", "observer"}
# Codes an allowed call must never get: they mean the example payload in the table is wrong.
BAD_EXAMPLE = {"invalid", "not_found", "internal", "unknown_event"}


@dataclass
class World:
    """Ids in meeting A that the example payloads refer to (see `build_world`)."""

    rules_version: int
    rules: list
    spare: int  # a participant with a raised hand, a standing signal, a support request and a message
    bea: int  # another participant
    poll: int  # a draft poll
    open_poll: int  # an open single-choice poll
    option: int  # the open poll's first option
    round: int  # a draft breakout round with two rooms
    room1: int
    room2: int
    message: int  # Spare's message in the main chat
    request: int  # Spare's support request
    alert: int  # an open drop alert (for Dee, who lost her connection)
    item1: int  # two agenda items, the first with a decision and an action in its minutes
    item2: int
    decision: int
    action: int


# ------------------------------------------------------------------------------------------------
# THE TABLE. How to add a row for a new inbound event:
#     "thing.do": (ROLES, lambda w: {a valid example payload}),
# ROLES is the set of roles that may send it, built from F (the owner), C (a co-facilitator),
# P (a participant), O (an observer): FAC, PEOPLE, ALL, frozenset({P}), ... It must equal the
# `roles=` you gave `@on(...)`. `w` is the World above: refer to its ids rather than to numbers;
# if your event needs an object the world lacks, add it to `build_world` (keep it small).
# Everyone else (a removed participant, anyone of another meeting, a client with no or a bad token)
# is refused every event; that needs no column. Rows run in this order as one actor, so put rows
# that end something (leave, end, close, delete) after the rows that need it.
# ------------------------------------------------------------------------------------------------
TABLE: dict[str, tuple[frozenset, object]] = {
    "sync": (ALL, lambda w: {}),
    "me.status": (PEOPLE, lambda w: {"mic": "on", "camera": "off"}),
    "rules.set": (FAC, lambda w: {"items": w.rules}),
    "rules.ack": (PEOPLE, lambda w: {"version": w.rules_version}),
    # floor
    "hand.raise": (frozenset({P}), lambda w: {"kind": "new"}),
    "hand.lower": (frozenset({P}), lambda w: {}),
    "queue.move": (FAC, lambda w: {"participant_id": w.spare, "position": 1}),
    "queue.mode": (FAC, lambda w: {"mode": "quiet"}),
    "queue.lower": (FAC, lambda w: {"participant_id": w.spare}),
    "floor.call": (FAC, lambda w: {"participant_id": w.spare}),
    "floor.end": (FAC, lambda w: {}),
    "floor.next": (FAC, lambda w: {}),
    "queue.clear": (FAC, lambda w: {}),
    "goround.start": (FAC, lambda w: {"participant_ids": [w.spare, w.bea], "seconds": 60}),
    "goround.pass": (frozenset({P}), lambda w: {}),
    "goround.next": (FAC, lambda w: {"index": 0}),
    "goround.stop": (FAC, lambda w: {}),
    # chat
    "chat.send": (FAC | {P}, lambda w: {"channel": "main", "text": "Hello all"}),
    "chat.mute": (FAC, lambda w: {"participant_id": w.spare, "muted": True}),
    "chat.settings": (FAC, lambda w: {"enabled": True}),
    "chat.delete": (FAC, lambda w: {"message_id": w.message}),
    # reactions, signals, support
    "signal.raise": (PEOPLE, lambda w: {"kind": "need_break"}),
    "signal.lower": (PEOPLE, lambda w: {"kind": "need_break"}),
    "signal.clear": (FAC, lambda w: {"participant_id": w.spare, "kind": "slow_down"}),
    "signal.clear_all": (FAC, lambda w: {"kind": None}),
    "support.send": (PEOPLE, lambda w: {}),
    "support.withdraw": (PEOPLE, lambda w: {}),
    "support.ack": (FAC, lambda w: {"request_id": w.request}),
    # safety
    "drop_alert.ack": (FAC, lambda w: {"alert_id": w.alert}),
    "contact_plan.set": (FAC, lambda w: {"participant_id": w.spare, "plan": "Call the number they gave."}),
    "contact.give": (PEOPLE, lambda w: {"given": "Text me on 07700 900123"}),
    "safety.settings": (FAC, lambda w: {"require_contact": False}),
    # polls
    "poll.update": (FAC, lambda w: {"poll_id": w.poll, "kind": "single", "question": "Tea or coffee?",
                                    "options": ["Tea", "Coffee"]}),
    "poll.vote": (frozenset({P}), lambda w: {"poll_id": w.open_poll, "choices": [w.option]}),
    "poll.open": (FAC, lambda w: {"poll_id": w.poll}),
    "poll.close": (FAC, lambda w: {"poll_id": w.poll}),
    "poll.publish": (FAC, lambda w: {"poll_id": w.poll, "published": True}),
    "poll.delete": (FAC, lambda w: {"poll_id": w.poll}),
    "poll.create": (FAC, lambda w: {"kind": "text", "question": "One word for today?"}),
    "poll.checkin": (FAC, lambda w: {"template": "mood"}),
    # breakouts
    "breakout.settings": (FAC, lambda w: {"round_id": w.round, "duration_seconds": 900, "warn_seconds": 60}),
    "breakout.choosing": (FAC, lambda w: {"round_id": w.round, "open": True}),
    "breakout.rename": (FAC, lambda w: {"room_id": w.room1, "name": "Garden"}),
    "breakout.auto": (FAC, lambda w: {"round_id": w.round, "mode": "random"}),
    "breakout.assign": (FAC, lambda w: {"round_id": w.round, "participant_id": w.spare, "room_id": w.room2}),
    "breakout.fill": (FAC, lambda w: {"round_id": w.round}),
    "breakout.visit": (FAC, lambda w: {"round_id": w.round, "room_id": w.room1}),
    "breakout.open": (FAC, lambda w: {"round_id": w.round}),
    "breakout.choose": (PEOPLE, lambda w: {"room_id": w.room1}),
    "breakout.help": (PEOPLE, lambda w: {"on": True}),
    "breakout.help_clear": (FAC, lambda w: {"room_id": w.room1}),
    "breakout.extend": (FAC, lambda w: {"round_id": w.round, "seconds": 60}),
    "breakout.broadcast": (FAC, lambda w: {"round_id": w.round, "text": "Two minutes left"}),
    "breakout.close": (FAC, lambda w: {"round_id": w.round}),
    "breakout.create": (FAC, lambda w: {"rooms": 2, "duration_seconds": 600}),
    "breakout.discard": (FAC, lambda w: {"round_id": w.round}),
    # agenda and minutes
    "agenda.add": (FAC, lambda w: {"title": "Round-up", "planned_seconds": 300, "after_id": w.item1}),
    "agenda.update": (FAC, lambda w: {"item_id": w.item2, "title": "Topic", "kind": "discussion",
                                      "planned_seconds": 900}),
    "agenda.reorder": (FAC, lambda w: {"item_ids": [w.item2, w.item1]}),
    "agenda.settings": (FAC, lambda w: {"break_after_minutes": 45}),
    "agenda.start": (FAC, lambda w: {"item_id": w.item2}),
    "agenda.extend": (FAC, lambda w: {"seconds": 60}),
    "agenda.next": (FAC, lambda w: {"current_id": w.item2}),
    "agenda.previous": (FAC, lambda w: {"current_id": w.item1}),
    "agenda.stop": (FAC, lambda w: {}),
    "agenda.remove": (FAC, lambda w: {"item_id": w.item2}),
    "minutes.notes": (FAC, lambda w: {"item_id": w.item1, "notes": "Everyone arrived."}),
    "minutes.decision": (FAC, lambda w: {"item_id": w.item1, "text": "Try the new format"}),
    "minutes.decision_remove": (FAC, lambda w: {"decision_id": w.decision}),
    "minutes.action": (FAC, lambda w: {"item_id": w.item1, "what": "Send notes", "owner": "Cody"}),
    "minutes.action_remove": (FAC, lambda w: {"action_id": w.action}),
    "heard.post": (FAC, lambda w: {"text": "I heard that the pace suits most people."}),
    "heard.clear": (FAC, lambda w: {}),
    # last: these end things for the actor or the meeting
    "reaction.send": (frozenset({P}), lambda w: {"kind": "clap"}),
    "participant.remove": (FAC, lambda w: {"participant_id": w.spare}),
    "meeting.state": (FAC, lambda w: {"state": "ended"}),
    "me.leave": (PEOPLE, lambda w: {}),
}


def test_every_event_has_a_row():
    """A new event without a row fails here: add one (see the comment above TABLE)."""
    assert sorted(set(INBOUND) - set(TABLE)) == [], "inbound events with no row in the role matrix"
    assert sorted(set(TABLE) - set(INBOUND)) == [], "rows for events that no longer exist"


def test_the_table_matches_the_documented_roles():
    """The `roles=` each handler documents (and AsyncAPI publishes) is what the table enforces."""
    for name, (roles, _) in TABLE.items():
        assert frozenset(INBOUND[name].roles) == roles, name


def _ok(live, client, name, data):
    ack = live.call(client, name, data)
    assert ack["ok"] is True, (name, ack)
    return ack


class Scene:
    """A live meeting (by default the `live` fixture's) with its people connected, and the ids of what
    the examples act on."""

    def __init__(self, app, live, meeting_id=None, email="owner@example.org"):
        self.app, self.live = app, live
        self.mid = meeting_id or live.mid
        self.owner = live.facilitator(meeting_id=self.mid, email=email)
        self.spare = live.participant(name="Spare", meeting_id=self.mid)
        self.olive = live.participant(name="Olive", role="observer", meeting_id=self.mid)
        self.bea = live.participant(name="Bea", meeting_id=self.mid)
        dee = live.participant(name="Dee", meeting_id=self.mid)
        _ok(live, self.owner, "meeting.state", {"state": "live"})
        _ok(live, self.spare, "hand.raise", {"kind": "new"})
        _ok(live, self.spare, "signal.raise", {"kind": "slow_down"})
        request = _ok(live, self.spare, "support.send", {})["request"]["id"]
        message = _ok(live, self.spare, "chat.send", {"channel": "main", "text": "Hi"})["message"]["id"]
        poll = _ok(live, self.owner, "poll.create", {"kind": "single", "question": "Which?",
                                                      "options": ["A", "B"]})["poll"]["id"]
        open_poll = _ok(live, self.owner, "poll.create", {"kind": "single", "question": "Now?",
                                                           "options": ["Yes", "No"], "launch": True})["poll"]
        rnd = _ok(live, self.owner, "breakout.create", {"rooms": 2, "duration_seconds": 600})["round"]
        item1 = _ok(live, self.owner, "agenda.add", {"title": "Check-in", "planned_seconds": 600})["item_id"]
        item2 = _ok(live, self.owner, "agenda.add", {"title": "Topic", "planned_seconds": 1200})["item_id"]
        decision = _ok(live, self.owner, "minutes.decision", {"item_id": item1, "text": "Meet weekly"})["decision_id"]
        action = _ok(live, self.owner, "minutes.action", {"item_id": item1, "what": "Book a room",
                                                          "owner": "Fran"})["action_id"]
        lose(dee)
        snap = live.call(self.owner, "sync")["snapshot"]
        [alert] = snap["private"]["drop_alerts"]
        self.world = World(
            rules_version=snap["rules"]["version"], rules=[{"title": r["title"], "text": r["text"]}
                                                           for r in snap["rules"]["items"]],
            spare=self.spare.pid, bea=self.bea.pid, poll=poll, open_poll=open_poll["id"],
            option=open_poll["options"][0]["id"],
            round=rnd["id"], room1=rnd["rooms"][0]["id"], room2=rnd["rooms"][1]["id"], message=message,
            request=request, alert=alert["id"], item1=item1, item2=item2, decision=decision, action=action)
        self.watchers = [self.owner, self.spare, self.olive]

    def actor(self, kind: str):
        live = self.live
        if kind == F:
            return self.owner
        if kind == C:
            return live.cofacilitator()
        if kind in (P, O):
            return live.participant(name="Me", role=kind, meeting_id=self.mid)
        if kind == "removed":
            me = live.participant(name="Gone", meeting_id=self.mid)
            # Removed in the database while this connection is still open: the moment before the
            # close reaches the process that holds it. Every event must be refused from then on.
            with self.app.app_context():
                db.session.get(Participant, me.pid).removed_at = utcnow()
                db.session.commit()
            return me
        raise ValueError(kind)


def _audit_rows(app) -> list[tuple[str, str]]:
    from facilitator.models import AuditEntry

    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            db.select(AuditEntry.action, AuditEntry.actor_role).order_by(AuditEntry.id)).all()]


def _assert_refused(app, live, scene, me, name, payload, who):
    drain(*scene.watchers)
    before = dump_db(app)
    ack = live.call(me, name, payload)
    assert ack["ok"] is False, (who, name, ack)
    assert ack["error"]["code"] in REFUSED, (who, name, ack)
    assert dump_db(app) == before, (who, name, "a refused call changed the database")
    for w in scene.watchers:
        got = received(w)
        assert got == [], (who, name, "a refused call reached someone", got)


@pytest.mark.parametrize("kind", [F, C, P, O, "removed"])
def test_every_event_as_every_actor(app, live, kind):
    scene = Scene(app, live)
    me = scene.actor(kind)
    allowed_any = 0
    for name, (roles, example) in TABLE.items():
        payload = example(scene.world)
        if kind in roles:
            audit_before = _audit_rows(app)
            ack = live.call(me, name, payload)
            code = None if ack["ok"] else ack["error"]["code"]
            assert code not in REFUSED | BAD_EXAMPLE, (kind, name, payload, ack)
            allowed_any += ack["ok"]
            # the audit trail: one entry per facilitator event that succeeded, none for anything else
            written = _audit_rows(app)[len(audit_before):]
            audited = ack["ok"] and kind in FAC and INBOUND[name].audited
            assert [a for a, _ in written] == ([name] if audited else []), (kind, name, written)
            assert all(role == kind for _, role in written), (kind, name, written)
        else:
            _assert_refused(app, live, scene, me, name, payload, kind)
    assert (allowed_any > 0) == (kind != "removed"), (kind, allowed_any)
    # A reaction's burst goes out from a timer; take its tally now so that it cannot reach a later
    # test's meeting (test apps share one Socket.IO server, and meeting ids start at 1 in each).
    reactions_state(app).take(live.mid)


def meeting_rows(app, meeting_id: int) -> dict[str, list[tuple]]:
    """Every row that belongs to one meeting (directly, or through a poll or a breakout round),
    plus the account tables: what a person of another meeting must never change."""
    with app.app_context():
        db.session.remove()
        out = {}
        for table in db.metadata.sorted_tables:
            q = db.select(table)
            if table.name == "meetings":
                q = q.where(table.c.id == meeting_id)
            elif "meeting_id" in table.c:
                q = q.where(table.c.meeting_id == meeting_id)
            else:
                for col in table.columns:
                    parent = next((fk.column.table for fk in col.foreign_keys), None)
                    if parent is not None and "meeting_id" in parent.c:
                        q = q.where(col.in_(db.select(parent.c.id).where(parent.c.meeting_id == meeting_id)))
                        break
            order = list(table.primary_key.columns) or list(table.columns)
            out[table.name] = [tuple(r) for r in db.session.execute(q.order_by(*order)).all()]
        db.session.remove()
        return out


def _refers_to_ids(payload: dict) -> bool:
    return any(k.endswith(("_id", "_ids")) for k in payload)


@pytest.mark.parametrize("kind", ["participant elsewhere", "facilitator elsewhere"])
def test_people_of_another_meeting_change_nothing_here(app, live, kind):
    """Sent from meeting B with meeting A's ids: nothing of A changes and nobody in A hears of it.
    What the event does to B itself (it may be allowed there) is B's business."""
    scene = Scene(app, live)
    other = live.factory.user(email="other@example.org", name="Otto")
    b_mid, _ = live.factory.meeting(other, title="Another group", state="live")
    if kind == "facilitator elsewhere":
        me = live.facilitator(meeting_id=b_mid, email="other@example.org")
    else:
        me = live.participant(name="Ivo", meeting_id=b_mid)
    for name, (_roles, example) in TABLE.items():
        payload = example(scene.world)
        drain(*scene.watchers)
        before = meeting_rows(app, live.mid)
        ack = live.call(me, name, payload)
        if _refers_to_ids(payload):
            assert ack["ok"] is False, (kind, name, ack)
        assert meeting_rows(app, live.mid) == before, (kind, name, "changed the other meeting")
        for w in scene.watchers:
            got = received(w)
            assert got == [], (kind, name, "reached the other meeting", got)
    reactions_state(app).take(b_mid)


def _tampered(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def test_connections_without_a_valid_credential_are_refused(app, live, sockets):
    """No token, a made-up or altered one, a removed person's, one of a deleted meeting, a token
    naming another meeting, a meeting id without (or with the wrong) sign-in: refused, nothing
    written, nothing received, and nobody inside hears of the attempt."""
    from facilitator.actions.retention import do_delete_now
    from facilitator.models import Meeting

    scene = Scene(app, live)
    token, _pid = live.factory.join(live.mid, name="Valid")
    removed = live.participant(name="Removed")
    _ok(live, scene.owner, "participant.remove", {"participant_id": removed.pid})
    gone_mid, _ = live.factory.meeting(live.uid, title="Deleted group")
    gone_token, _ = live.factory.join(gone_mid, name="Late")
    with app.app_context():
        do_delete_now(db.session.get(Meeting, gone_mid))
        db.session.commit()
    live.factory.user(email="other@example.org", name="Otto")
    attempts = {
        "nothing": (None, None),
        "empty": ({}, None),
        "made-up token": ({"token": "x" * 43}, None),
        "altered token": ({"token": _tampered(token)}, None),
        "too long token": ({"token": token * 4}, None),
        "token not a string": ({"token": ["a" * 20]}, None),
        "removed person's token": ({"token": removed.token}, None),
        "deleted meeting's token": ({"token": gone_token}, None),
        "token naming another meeting": ({"token": token, "meeting_id": live.mid + 1}, None),
        "meeting id, not signed in": ({"meeting_id": live.mid}, None),
        "meeting id, another facilitator": ({"meeting_id": live.mid}, live.login("other@example.org")),
        "deleted meeting's id": ({"meeting_id": gone_mid}, live.login()),
    }
    drain(*scene.watchers)
    before = dump_db(app)
    for label, (auth, flask_client) in attempts.items():
        c = sockets(auth=auth, flask_client=flask_client)
        assert not c.is_connected(), label
        assert [m for m in c.queue if m["name"] != "connect_error"] == [], label
    assert dump_db(app) == before
    for w in scene.watchers:
        assert received(w) == []
    # and the valid token next to them does connect
    assert sockets(auth={"token": token}).is_connected()


# What someone still reading the ground rules may do: accept them, ask for support, give contact
# details, say their mic status, read the state and leave. Everything else waits for the rules.
AT_THE_GATE = {"sync", "me.status", "rules.ack", "support.send", "support.withdraw", "contact.give", "me.leave"}


@pytest.mark.parametrize("kind", [P, O])
def test_before_accepting_the_rules_only_the_gate_events_work(app, live, kind):
    scene = Scene(app, live)
    me = live.participant(name="Newcomer", role=kind, ack=False)
    for name, (roles, example) in TABLE.items():
        if kind not in roles or name == "rules.ack":  # accepting would open the gate for the rest
            continue
        payload = example(scene.world)
        if name in AT_THE_GATE:
            ack = live.call(me, name, payload)
            assert ack["ok"] is True, (kind, name, ack)
            continue
        drain(*scene.watchers)
        before = dump_db(app)
        ack = live.call(me, name, payload)
        assert ack["ok"] is False, (kind, name, ack)
        assert dump_db(app) == before, (kind, name)
        assert all(received(w) == [] for w in scene.watchers), (kind, name)
    assert live.call(me, "sync")["snapshot"]["gate"] is True
