"""Retention that really deletes: two meetings filled with every kind of data by the same script; one
expires (its end put 40 days back), the purge runs, and nothing of it is left in any table (rows and
canary strings) while the other is untouched, row for row. Also delete-now and the CLI."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from facilitator.extensions import db
from facilitator.jobs import run_due_jobs
from facilitator.models import CoFacilitator, Meeting, utcnow
from tests.unit.support import dump_db

from .test_safety import lose

# Not meeting data: accounts and their own saved things stay.
ACCOUNT_TABLES = {"users", "api_tokens", "rule_sets", "meeting_templates"}


def jobs_pass(app, now=None) -> dict:
    """One pass of the timed jobs as a fresh process would run it (it has not looked for expired meetings yet)."""
    import facilitator.jobs as jobs

    jobs._last_purge = None
    with app.app_context():
        return run_due_jobs(now)


def ok(live, client, name, payload=None):
    ack = live.call(client, name, *([] if payload is None else [payload]))
    assert ack["ok"] is True, (name, ack)
    return ack


def fill(app, live, mid: int, tag: str) -> None:
    """Every kind of data there is, with canary strings wherever text is kept."""
    canary = f"CANARY-{tag}"
    cofac_uid = live.factory.user(email=f"co-{tag}@example.org", name="Cody")
    with app.app_context():
        db.session.add(CoFacilitator(meeting_id=mid, user_id=cofac_uid))
        db.session.commit()
    fac = live.facilitator(meeting_id=mid)
    ok(live, fac, "meeting.state", {"state": "live"})
    ann = live.participant(name=f"{canary}-ann", meeting_id=mid)  # joined, rules acknowledged, connected
    bo = live.participant(name=f"{canary}-bo", meeting_id=mid)
    zed = live.participant(name=f"{canary}-zed", meeting_id=mid)
    # floor: a turn, a go-round, a hand still up
    ok(live, ann, "hand.raise")
    ok(live, fac, "floor.next")
    ok(live, fac, "floor.end")
    ok(live, fac, "goround.start", {"participant_ids": [ann.pid, bo.pid]})
    ok(live, fac, "goround.stop")
    ok(live, bo, "hand.raise")
    # polls: a named choice poll with a vote, an anonymous text poll with an answer
    single = ok(live, fac, "poll.create", {"kind": "single", "question": f"{canary} pick", "options": [
        f"{canary} yes", f"{canary} no"], "anonymous": False, "launch": True})["poll"]
    ok(live, ann, "poll.vote", {"poll_id": single["id"], "choices": [single["options"][0]["id"]]})
    text = ok(live, fac, "poll.create", {"kind": "text", "question": f"{canary} word", "anonymous": True,
                                         "launch": True})["poll"]
    ok(live, bo, "poll.vote", {"poll_id": text["id"], "text": f"{canary} answer"})
    # chat, a mute, chat settings
    ok(live, fac, "chat.settings", {"enabled": False})
    ok(live, fac, "chat.settings", {"enabled": True})
    ok(live, ann, "chat.send", {"channel": "main", "text": f"{canary} hello"})
    ok(live, fac, "chat.send", {"channel": "direct", "participant_id": bo.pid, "text": f"{canary} private"})
    ok(live, fac, "chat.mute", {"participant_id": zed.pid, "muted": True})
    # signals, support, contact plans
    ok(live, ann, "signal.raise", {"kind": "need_break"})
    ok(live, bo, "support.send")
    ok(live, ann, "contact.give", {"given": f"{canary} phone"})
    ok(live, fac, "contact_plan.set", {"participant_id": ann.pid, "plan": f"{canary} call"})
    ok(live, fac, "safety.settings", {"require_contact": True})
    # breakouts: a round with a named room, everyone assigned, a facilitator visiting, room chat
    rnd = ok(live, fac, "breakout.create", {"names": [f"{canary} room"], "duration_seconds": 600})["round"]
    ok(live, fac, "breakout.auto", {"round_id": rnd["id"], "mode": "random"})
    room_id = rnd["rooms"][0]["id"]
    ok(live, fac, "breakout.visit", {"round_id": rnd["id"], "room_id": room_id})
    ok(live, fac, "breakout.open", {"round_id": rnd["id"]})
    ann.emit("sync", callback=True)
    ok(live, ann, "chat.send", {"channel": "room", "text": f"{canary} in the room"})
    # agenda: items (one running), settings, minutes (notes, a decision, an action), a pinned summary
    item = ok(live, fac, "agenda.add", {"title": f"{canary} item", "planned_seconds": 600,
                                        "presenter_name": f"{canary} presenter"})["item_id"]
    ok(live, fac, "agenda.settings", {"break_after_minutes": 40})
    ok(live, fac, "agenda.next", {"current_id": None})
    ok(live, fac, "minutes.notes", {"item_id": item, "notes": f"{canary} notes"})
    ok(live, fac, "minutes.decision", {"item_id": item, "text": f"{canary} decided"})
    ok(live, fac, "minutes.action", {"item_id": item, "what": f"{canary} to do", "owner": f"{canary} owner"})
    ok(live, fac, "heard.post", {"text": f"{canary} heard"})
    # an unexpected drop: a drop alert
    lose(zed, "ping timeout")
    ok(live, fac, "meeting.state", {"state": "ended"})


def rows_mentioning(dump: dict, text: str) -> dict:
    return {t: [r for r in rows if text in json.dumps(r, default=str)] for t, rows in dump.items()
            if any(text in json.dumps(r, default=str) for r in rows)}


@pytest.fixture
def two(app, live):
    a = live.mid
    b, _ = live.factory.meeting(live.uid, title="CANARY-B meeting")
    with app.app_context():
        db.session.get(Meeting, a).title = "CANARY-A meeting"
        db.session.commit()
    fill(app, live, a, "A")
    fill(app, live, b, "B")
    with app.app_context():  # A ended 40 days ago (retention 30); B ended just now
        db.session.get(Meeting, a).ended_at = utcnow() - timedelta(days=40)
        db.session.commit()
    return a, b


def test_the_purge_leaves_nothing_of_an_expired_meeting_and_touches_nothing_else(app, live, two):
    a, b = two
    before = dump_db(app)
    meeting_tables = {t for t in before if t not in ACCOUNT_TABLES}
    # the script really filled every table there is (so the check below covers every kind of data)
    empty_allowed = {"api_tokens", "rule_sets", "meeting_templates"}
    assert {t for t, rows in before.items() if not rows} <= empty_allowed, before.keys()
    assert before["audit_entries"] and before["attendance"]  # the audit trail and attendance go too
    assert rows_mentioning(before, "CANARY-A") and rows_mentioning(before, "CANARY-B")

    assert jobs_pass(app)["purged"] == [a]
    after = dump_db(app)

    for t in meeting_tables:
        # the same script made both meetings: exactly half of every table is left, all of it unchanged
        assert len(before[t]) % 2 == 0 and len(after[t]) == len(before[t]) // 2, (t, len(before[t]), len(after[t]))
        assert all(row in before[t] for row in after[t]), t
    for t in ACCOUNT_TABLES:
        assert after[t] == before[t], t
    assert rows_mentioning(after, "CANARY-A") == {}
    assert rows_mentioning(after, "CANARY-B")
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if "meeting_id" in table.c:
                assert db.session.execute(db.select(table).where(table.c.meeting_id == a)).first() is None, table.name
        assert db.session.get(Meeting, b) is not None

    # a second pass (or a second process) finds nothing more to delete
    assert "purged" not in jobs_pass(app)
    assert dump_db(app) == after


def test_nothing_is_purged_before_its_time_and_the_cli_purges_after(app, live):
    mid = live.mid
    with app.app_context():
        m = db.session.get(Meeting, mid)
        m.state, m.ended_at, m.retention_days = "ended", utcnow() - timedelta(days=6, hours=23), 7
        db.session.commit()
    assert "purged" not in jobs_pass(app)
    assert jobs_pass(app, utcnow() + timedelta(hours=2))["purged"] == [mid]  # the clock moves on
    with app.app_context():
        assert db.session.get(Meeting, mid) is None

    other, _ = live.factory.meeting(live.uid)
    with app.app_context():
        m = db.session.get(Meeting, other)
        m.state, m.ended_at = "ended", utcnow() - timedelta(days=31)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert result.exit_code == 0 and "Purged 1 expired session(s)." in result.output
    with app.app_context():
        assert db.session.get(Meeting, other) is None


def test_two_purges_at_once_delete_a_meeting_once(app, live):
    from facilitator.actions import retention

    mid = live.mid
    with app.app_context():
        m = db.session.get(Meeting, mid)
        m.state, m.ended_at = "ended", utcnow() - timedelta(days=31)
        db.session.commit()
    # both processes saw it expired; the first deletes it, the second deletes nothing
    with app.app_context():
        assert retention.expired_meeting_ids() == [mid]
        assert retention.purge_if_expired(mid) is True
        db.session.commit()
    with app.app_context():
        assert retention.purge_if_expired(mid) is False
        assert retention.purge_expired() == []
