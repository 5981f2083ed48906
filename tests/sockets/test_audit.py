"""The audit trail over the live channel: every facilitator event that succeeds writes exactly one
entry (who, which action, to whom, when) in its own transaction; a refused one writes none; events
of participants write none; and no entry holds chat text, names or contact details."""
from __future__ import annotations

import pytest

from facilitator.access import FACILITATING
from facilitator.extensions import db
from facilitator.models import AuditEntry, ChatMessage, DropAlert, Poll, SupportRequest
from facilitator.sockets.registry import INBOUND
from tests.unit.support import dump_db

from .test_safety import lose

CANARY_NAME = "Zebulon-name-7Q"
CANARY_CHAT = "secret-chat-4K9"
CANARY_GIVEN = "07700 900-given-3X"
CANARY_PLAN = "plan-canary-8W call twice"


def test_every_facilitator_only_event_is_audited_and_no_other():
    for name, handler in INBOUND.items():
        facilitator_only = set(handler.roles) <= set(FACILITATING)
        assert handler.audited is facilitator_only, name


def entries(app) -> list[tuple]:
    with app.app_context():
        return [(e.action, e.actor_role, e.actor_user_id, e.actor_participant_id, e.target_participant_id)
                for e in db.session.execute(db.select(AuditEntry).order_by(AuditEntry.id)).scalars()]


def one_id(app, model, **where):
    with app.app_context():
        q = db.select(model.id)
        for key, value in where.items():
            q = q.where(getattr(model, key) == value)
        return db.session.execute(q).scalar_one()


@pytest.fixture
def cast(app, live):
    class Cast:
        pass

    c = Cast()
    c.f, c.co = live.facilitator(), live.cofacilitator()
    c.ann, c.bo = live.participant(name=CANARY_NAME), live.participant(name="Bo")
    with app.app_context():
        from facilitator.models import CoFacilitator

        c.co_uid = db.session.execute(db.select(CoFacilitator.user_id)).scalar_one()
    return c


def test_each_successful_facilitator_event_writes_one_entry_and_nothing_else_does(app, live, cast):
    c = cast
    ann, bo = c.ann.pid, c.bo.pid
    steps = [
        # (client, event, payload or callable, expected (role, target) when it is audited, or None)
        (c.f, "meeting.state", {"state": "live"}, ("facilitator", None)),
        (c.ann, "hand.raise", {}, None),
        (c.bo, "hand.raise", {"kind": "new"}, None),
        (c.co, "queue.move", {"participant_id": bo, "position": 1}, ("cofacilitator", bo)),
        (c.f, "floor.next", {}, ("facilitator", None)),
        (c.f, "floor.end", {}, ("facilitator", None)),
        (c.f, "floor.call", {"participant_id": ann}, ("facilitator", ann)),
        (c.f, "queue.mode", {"mode": "quiet"}, ("facilitator", None)),
        (c.ann, "chat.send", {"channel": "main", "text": CANARY_CHAT}, None),
        (c.f, "chat.delete", lambda: {"message_id": one_id(app, ChatMessage, author_participant_id=ann)},
         ("facilitator", ann)),
        (c.f, "chat.mute", {"participant_id": bo, "muted": True}, ("facilitator", bo)),
        (c.f, "chat.settings", {"enabled": False}, ("facilitator", None)),
        (c.ann, "contact.give", {"given": CANARY_GIVEN}, None),
        (c.co, "contact_plan.set", {"participant_id": ann, "plan": CANARY_PLAN}, ("cofacilitator", ann)),
        (c.ann, "signal.raise", {"kind": "need_break"}, None),
        (c.f, "signal.clear", {"participant_id": ann, "kind": "need_break"}, ("facilitator", ann)),
        (c.bo, "support.send", {}, None),
        (c.co, "support.ack", lambda: {"request_id": one_id(app, SupportRequest, participant_id=bo)},
         ("cofacilitator", bo)),
        (c.f, "poll.create", {"kind": "single", "question": "Tea?", "options": ["yes", "no"], "launch": True},
         ("facilitator", None)),
        (c.ann, "poll.vote", lambda: {"poll_id": one_id(app, Poll), "choices": [
            live.call(c.f, "sync")["snapshot"]["polls"][0]["options"][0]["id"]]}, None),
        (c.f, "poll.close", lambda: {"poll_id": one_id(app, Poll)}, ("facilitator", None)),
        (c.f, "rules.set", {"items": [{"title": "Kind", "text": "Be kind."}]}, ("facilitator", None)),
        (c.f, "participant.remove", {"participant_id": bo}, ("facilitator", bo)),
        # refused: already removed, and a participant trying a facilitator event
        (c.f, "participant.remove", {"participant_id": bo}, "refused"),
        (c.ann, "queue.clear", {}, "refused"),
        (c.co, "floor.call", {"participant_id": 999999}, "refused"),
    ]
    uids = {"facilitator": live.uid, "cofacilitator": c.co_uid}
    for client, event, payload, expect in steps:
        before = entries(app)
        ack = live.call(client, event, payload() if callable(payload) else payload)
        after = entries(app)
        if expect is None or expect == "refused":
            assert ack["ok"] is (expect is None), (event, ack)
            assert after == before, event
            continue
        assert ack["ok"] is True, (event, ack)
        role, target = expect
        assert after == before + [(event, role, uids[role], None, target)], event

    # A dropped participant's alert, acknowledged: the entry names the person it was about.
    lose(c.ann)
    alert_id = one_id(app, DropAlert, participant_id=ann)
    before = entries(app)
    assert live.call(c.f, "drop_alert.ack", {"alert_id": alert_id})["ok"]
    assert entries(app) == before + [("drop_alert.ack", "facilitator", live.uid, None, ann)]

    text = repr(dump_db(app)["audit_entries"])
    assert len(dump_db(app)["audit_entries"]) == 17
    for canary in (CANARY_NAME, CANARY_CHAT, CANARY_GIVEN, CANARY_PLAN, "Tea?", "Be kind."):
        assert canary not in text


def test_the_entry_and_the_action_commit_together(app, live, cast, monkeypatch):
    """If writing the entry fails, the action it records is rolled back too (one transaction)."""
    from facilitator.sockets import registry

    def fail(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    before = dump_db(app)
    monkeypatch.setattr(registry.audit, "record", fail)
    ack = live.call(cast.f, "queue.mode", {"mode": "quiet"})
    assert ack["ok"] is False and ack["error"]["code"] == "internal"
    assert dump_db(app) == before
    monkeypatch.undo()
    assert live.call(cast.f, "queue.mode", {"mode": "quiet"})["ok"]
    assert entries(app)[-1][0] == "queue.mode"
