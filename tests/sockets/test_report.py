"""The session report from a scripted session: exact figures in the page, the Markdown, the three CSVs
and the JSON (web and REST); the chat transcript only once the facilitator turns it on; and no one
but the session's facilitators can fetch any of it (other facilitators, participants by cookie,
token or socket)."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest

from facilitator.actions.accounts import do_create_token
from facilitator.extensions import db
from facilitator.models import AgendaItem, Attendance, Meeting, Turn, User

from .test_safety import lose

T0 = datetime(2030, 3, 4, 9, 57, tzinfo=timezone.utc)
CHAT = "CHAT-CANARY-hello"
GIVEN, PLAN = "GIVEN-CANARY-07700", "PLAN-CANARY-call-twice"  # contact plans never go in a report


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def ok(live, client, name, payload=None):
    ack = live.call(client, name, *([] if payload is None else [payload]))
    assert ack["ok"] is True, (name, ack)
    return ack


@pytest.fixture
def session(app, live):
    """A group with tags: Ann (Nursing) speaks twice, Bo (Medicine) once, Cy (Nursing) never; a named
    poll; an agenda item with a decision, an action and a summary; Bo leaves, Cy's connection is
    lost, the session ends. Then every time is set to a known value."""
    mid, code = live.factory.meeting(live.uid, title="Thursday MDT", kind="mdt", group_tags=["Nursing", "Medicine"])
    f = live.facilitator(meeting_id=mid)
    ok(live, f, "meeting.state", {"state": "live"})
    ann = live.participant(name="Ann", group_tag="Nursing", meeting_id=mid)
    bo = live.participant(name="Bo", group_tag="Medicine", meeting_id=mid)
    cy = live.participant(name="Cy", group_tag="Nursing", meeting_id=mid)
    oz = live.participant(name="Oz", role="observer", meeting_id=mid)
    ok(live, ann, "hand.raise")
    ok(live, f, "floor.next")
    ok(live, f, "floor.end")
    ok(live, f, "floor.call", {"participant_id": bo.pid})
    ok(live, f, "floor.end")
    ok(live, f, "floor.call", {"participant_id": ann.pid})
    ok(live, f, "floor.end")
    poll = ok(live, f, "poll.create", {"kind": "single", "question": "Lunch?", "options": ["Soup", "Salad"],
                                       "anonymous": False, "launch": True})["poll"]
    soup, salad = (o["id"] for o in poll["options"])
    ok(live, ann, "poll.vote", {"poll_id": poll["id"], "choices": [soup]})
    ok(live, bo, "poll.vote", {"poll_id": poll["id"], "choices": [soup]})
    ok(live, cy, "poll.vote", {"poll_id": poll["id"], "choices": [salad]})
    ok(live, f, "poll.close", {"poll_id": poll["id"]})
    ok(live, ann, "chat.send", {"channel": "main", "text": CHAT})
    ok(live, cy, "contact.give", {"given": GIVEN})
    ok(live, f, "contact_plan.set", {"participant_id": cy.pid, "plan": PLAN})
    ok(live, f, "agenda.add", {"title": "Discharge plan", "planned_seconds": 600})
    with app.app_context():
        item = db.session.execute(db.select(AgendaItem.id).where(AgendaItem.meeting_id == mid)).scalar_one()
    ok(live, f, "minutes.decision", {"item_id": item, "text": "Discharge on Friday"})
    ok(live, f, "minutes.action", {"item_id": item, "what": "Book transport", "owner": "Bo", "due": "2030-03-08"})
    ok(live, f, "heard.post", {"text": "Everyone wants a Friday discharge"})
    ok(live, bo, "me.leave")
    lose(cy, "ping timeout")
    ok(live, f, "meeting.state", {"state": "ended"})
    # known times: Ann 2 + 1 minutes of talk, Bo 1; stretches below
    with app.app_context():
        m = db.session.get(Meeting, mid)
        m.started_at, m.ended_at = at(0), at(63)
        turns = db.session.execute(db.select(Turn).where(Turn.meeting_id == mid).order_by(Turn.id)).scalars().all()
        for turn, (start, end) in zip(turns, [(3, 5), (5, 6), (8, 9)], strict=True):
            turn.started_at, turn.ended_at = at(start), at(end)
        times = {ann.pid: (1, 63), bo.pid: (2, 33), cy.pid: (2.5, 43), oz.pid: (0, 63)}
        for s in db.session.execute(db.select(Attendance).where(Attendance.meeting_id == mid)).scalars():
            s.joined_at, s.left_at = at(times[s.participant_id][0]), at(times[s.participant_id][1])
        db.session.commit()

    class S:
        pass

    s = S()
    s.mid, s.f, s.ann, s.bo, s.cy, s.oz = mid, f, ann, bo, cy, oz
    return s


def login(app, email="owner@example.org"):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": "correct horse battery"}).status_code == 302
    return client


def token_for(app, email) -> dict:
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.email == email)).scalar_one()
        _, token = do_create_token(user, "reports")
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_report_has_the_exact_figures_in_every_format(app, live, session):
    s = session
    web = login(app)
    data = json.loads(web.get(f"/meetings/{s.mid}/report.json").get_data(as_text=True))

    assert [(a["name"], a["role"], a["present_seconds"], [st["how"] for st in a["stretches"]])
            for a in data["attendance"]] == [
        ("Oz", "observer", 3780, ["ended"]), ("Ann", "participant", 3720, ["ended"]),
        ("Bo", "participant", 1860, ["left"]), ("Cy", "participant", 2430, ["ping timeout"])]
    t = data["turns"]
    assert [(p["name"], p["group_tag"], p["turns"], p["talk_seconds"], p["share"]) for p in t["people"]] == [
        ("Ann", "Nursing", 2, 180.0, 0.75), ("Bo", "Medicine", 1, 60.0, 0.25), ("Cy", "Nursing", 0, 0.0, 0.0)]
    assert (t["total_seconds"], t["total_turns"], t["balance_index"], t["not_spoken"]) == (240.0, 3, 0.25, ["Cy"])
    assert [(g["group_tag"], g["people"], g["turns"], g["talk_seconds"], g["share"]) for g in t["groups"]] == [
        ("Medicine", 1, 1, 60.0, 0.25), ("Nursing", 2, 2, 180.0, 0.75)]
    assert [(x["name"], x["seconds"]) for x in t["log"]] == [("Ann", 120.0), ("Bo", 60.0), ("Ann", 60.0)]
    [poll] = data["polls"]
    assert (poll["question"], poll["voters"], poll["options"]) == (
        "Lunch?", 3, [{"label": "Soup", "count": 2}, {"label": "Salad", "count": 1}])
    [item] = data["minutes"]["items"]
    assert [d["text"] for d in item["decisions"]] == ["Discharge on Friday"]
    assert [(a["what"], a["owner"], a["due"]) for a in item["actions"]] == [("Book transport", "Bo", "2030-03-08")]
    assert [x["text"] for x in data["minutes"]["summaries"]] == ["Everyone wants a Friday discharge"]
    assert [(e["action"], e["actor"], e["target"]) for e in data["audit"]] == [
        ("meeting.state", "Fran", None),
        ("floor.next", "Fran", None), ("floor.end", "Fran", None), ("floor.call", "Fran", "Bo"),
        ("floor.end", "Fran", None), ("floor.call", "Fran", "Ann"), ("floor.end", "Fran", None),
        ("poll.create", "Fran", None), ("poll.close", "Fran", None), ("contact_plan.set", "Fran", "Cy"),
        ("agenda.add", "Fran", None),
        ("minutes.decision", "Fran", None), ("minutes.action", "Fran", None), ("heard.post", "Fran", None),
        ("meeting.state", "Fran", None)]
    assert data["chat_included"] is False and data["chat"] is None

    md = web.get(f"/meetings/{s.mid}/report.md").get_data(as_text=True)
    assert "# Session report: Thursday MDT" in md
    assert ("| Ann | participant | Nursing | 2030-03-04 09:58 UTC | 2030-03-04 11:00 UTC | 1:02:00 | session ended "
            "| 1 |") in md
    assert ("| Cy | participant | Nursing | 2030-03-04 09:59 UTC | 2030-03-04 10:40 UTC | 40:30 | connection lost "
            "| 1 |") in md
    assert "Balance index: 0.25" in md and "Total talk time 4:00 in 3 turns." in md
    assert "| Ann | Nursing | 2 | 0 | 3:00 | 75% |" in md and "| Cy | Nursing | 0 | 0 | 0:00 | 0% |" in md
    assert "| Nursing | 2 | 2 | 3:00 | 75% |" in md and "Not spoken: Cy." in md
    assert "- Soup: 2\n- Salad: 1" in md and "single choice, named, closed; 3 voted." in md
    assert "- Discharge on Friday" in md and "- Book transport (owner: Bo, due 2030-03-08)" in md
    assert "Everyone wants a Friday discharge" in md
    assert md.count("| meeting.state |") == 2 and "| floor.call | Bo |" in md
    assert "Not included: the chat transcript" in md

    attendance = rows(web.get(f"/meetings/{s.mid}/report/attendance.csv").get_data(as_text=True))
    assert attendance[0] == ["participant_id", "name", "role", "group_tag", "joined_at", "left_at", "how", "seconds"]
    assert [r[1:3] + r[6:] for r in attendance[1:]] == [
        ["Oz", "observer", "ended", "3780"], ["Ann", "participant", "ended", "3720"],
        ["Bo", "participant", "left", "1860"], ["Cy", "participant", "ping timeout", "2430"]]
    assert attendance[2][4:6] == ["2030-03-04T09:58:00+00:00", "2030-03-04T11:00:00+00:00"]
    turns = rows(web.get(f"/meetings/{s.mid}/report/turns.csv").get_data(as_text=True))
    assert [r[1:] for r in turns] == [["name", "group_tag", "turns", "passes", "talk_seconds", "share"],
                                      ["Ann", "Nursing", "2", "0", "180.0", "0.75"],
                                      ["Bo", "Medicine", "1", "0", "60.0", "0.25"],
                                      ["Cy", "Nursing", "0", "0", "0.0", "0.0"]]
    actions = rows(web.get(f"/meetings/{s.mid}/report/actions.csv").get_data(as_text=True))
    assert [r[:5] for r in actions] == [["item", "item_title", "what", "owner", "due"],
                                       ["1", "Discharge plan", "Book transport", "Bo", "2030-03-08"]]
    assert web.get(f"/meetings/{s.mid}/report/other.csv").status_code == 404

    page = web.get(f"/meetings/{s.mid}/report").get_data(as_text=True)
    assert "Balance index: <strong>0.25</strong>" in page
    assert '<title id="chart-title">Talk time per person</title>' in page
    assert "Ann: 3:00 (75%). Bo: 1:00 (25%). Cy: 0:00 (0%)." in page
    svg = web.get(f"/meetings/{s.mid}/report/chart.svg")
    assert svg.mimetype == "image/svg+xml" and svg.get_data(as_text=True).count("<rect ") == 3
    for text in (md, page, json.dumps(data), repr(attendance), repr(turns), repr(actions)):
        assert CHAT not in text and GIVEN not in text and PLAN not in text

    # the same through the REST API
    headers = token_for(app, "owner@example.org")
    assert json.loads(web.get(f"/api/v1/meetings/{s.mid}/report", headers=headers).get_data(as_text=True))["turns"] \
        == data["turns"]
    assert web.get(f"/api/v1/meetings/{s.mid}/report.md", headers=headers).get_data(as_text=True) == md
    assert rows(web.get(f"/api/v1/meetings/{s.mid}/report/turns.csv", headers=headers).get_data(as_text=True)) \
        == turns


def test_the_chat_transcript_appears_only_once_turned_on(app, live, session):
    s = session
    web = login(app)
    headers = token_for(app, "owner@example.org")
    assert web.patch(f"/api/v1/meetings/{s.mid}", headers=headers, json={"report_chat": True}).status_code == 200
    data = json.loads(web.get(f"/meetings/{s.mid}/report.json").get_data(as_text=True))
    assert data["chat_included"] is True
    assert [(c["author"], c["channel"], c["text"]) for c in data["chat"]] == [("Ann", "main", CHAT)]
    md = web.get(f"/meetings/{s.mid}/report.md").get_data(as_text=True)
    assert f"**Ann**: {CHAT}" in md and GIVEN not in md and PLAN not in md
    assert CHAT in web.get(f"/meetings/{s.mid}/report").get_data(as_text=True)


REPORT_PATHS = ["/report", "/report.md", "/report.json", "/report/attendance.csv", "/report/turns.csv",
                "/report/actions.csv", "/report/chart.svg"]
API_PATHS = ["/report", "/report.md", "/report/attendance.csv", "/report/turns.csv", "/report/actions.csv"]


def test_only_the_sessions_facilitators_can_fetch_the_report(app, live, session):
    s = session
    live.factory.user(email="other@example.org", name="Olga")
    other = login(app, "other@example.org")
    for path in REPORT_PATHS:
        assert other.get(f"/meetings/{s.mid}{path}").status_code == 404, path
    other_headers = token_for(app, "other@example.org")
    anonymous = app.test_client()
    for path in API_PATHS:
        assert anonymous.get(f"/api/v1/meetings/{s.mid}{path}", headers=other_headers).status_code == 404, path
        # a participant's own browser token is not an API token
        bearer = {"Authorization": f"Bearer {s.ann.token}"}
        assert anonymous.get(f"/api/v1/meetings/{s.mid}{path}", headers=bearer).status_code == 401, path
    for path in REPORT_PATHS:  # a participant has no account: the pages send them to sign in
        r = anonymous.get(f"/meetings/{s.mid}{path}")
        assert r.status_code == 302 and "/login" in r.headers["Location"], path
    # a co-facilitator of the session may
    live.factory.user(email="co@example.org", name="Cody")
    with app.app_context():
        from facilitator.models import CoFacilitator

        uid = db.session.execute(db.select(User.id).where(User.email == "co@example.org")).scalar_one()
        db.session.add(CoFacilitator(meeting_id=s.mid, user_id=uid))
        db.session.commit()
    assert login(app, "co@example.org").get(f"/meetings/{s.mid}/report.md").status_code == 200


def test_over_the_socket_no_participant_gets_a_report_or_anyone_elses_contact_plan(app, live):
    f = live.facilitator()
    ann, bo = live.participant(name="Ann"), live.participant(name="Bo")
    ok(live, ann, "contact.give", {"given": "ANN-GIVEN-0771"})
    ok(live, bo, "contact.give", {"given": "BO-GIVEN-0772"})
    ok(live, f, "contact_plan.set", {"participant_id": ann.pid, "plan": "ANN-PLAN-call"})
    for event in ("report", "report.get", "contact_plan.list"):
        ack = live.call(ann, event, {})
        assert ack["ok"] is False and ack["error"]["code"] == "unknown_event", event
    ack = live.call(ann, "contact_plan.set", {"participant_id": bo.pid, "plan": "x"})
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    snap = json.dumps(live.call(ann, "sync")["snapshot"])
    assert "ANN-GIVEN-0771" in snap and "BO-GIVEN-0772" not in snap and "ANN-PLAN-call" not in snap
