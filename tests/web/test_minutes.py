"""Minutes over HTTP: the page, the Markdown and the action-list CSV for the session's facilitators
(also through the REST API with a token), exact contents, and nothing for anyone else."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone

import pytest

from facilitator.access import Actor
from facilitator.actions import agenda as ag
from facilitator.actions import minutes as mn
from facilitator.extensions import db
from facilitator.models import CoFacilitator, Meeting

T0 = datetime(2031, 3, 4, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def mdt(app, factory, monkeypatch):
    """A live MDT meeting run through three items on a fake clock, with minutes written."""
    now = {"t": T0}
    monkeypatch.setattr(ag, "utcnow", lambda: now["t"])
    monkeypatch.setattr(mn, "utcnow", lambda: now["t"])
    uid = factory.user(email="fran@example.org", name="Fran")
    mid, _ = factory.meeting(uid, state="live", title="MDT | Thursday")
    fac = Actor("facilitator", mid, user_id=uid)
    with app.app_context():
        m = db.session.get(Meeting, mid)
        for title, kind, seconds in (("Check-in", "checkin", 300), ("Break", "break", 600),
                                     ("Care plan for *J*", "decision", 1200)):
            ag.do_add(m, {"title": title, "kind": kind, "planned_seconds": seconds,
                          "presenter_name": "Dr Okafor" if kind == "decision" else None})
        a, b, c = ag.items_of(mid)
        for target, spend in ((a, 420), (b, 600), (c, 1080)):
            ag.do_move(m, target, now["t"])
            now["t"] += timedelta(seconds=spend)
        ag.do_move(m, None, now["t"])
        mn.do_add_decision(m, c, "Refer J to physiotherapy")
        mn.do_add_action(m, c, {"what": "Book the scan", "owner": "Dr Okafor", "due": date(2031, 3, 11)})
        mn.do_add_action(m, c, {"what": "=HYPERLINK(\"x\")", "owner": "Sam", "due": None})
        mn.do_notes(m, a, "Everyone arrived.\nTwo late.")
        mn.do_post_heard(fac, m, "You want more time for J's plan.")
        m.started_at = T0
        db.session.commit()
    return {"mid": mid, "uid": uid}


def login(client, email="fran@example.org"):
    r = client.post("/login", data={"email": email, "password": "correct horse battery"})
    assert r.status_code == 302


def test_markdown_minutes_hold_times_decisions_actions_and_summaries(client, mdt):
    login(client)
    r = client.get(f"/meetings/{mdt['mid']}/minutes.md")
    assert r.status_code == 200 and r.mimetype == "text/markdown"
    assert r.headers["Content-Disposition"] == f'attachment; filename="minutes-{mdt["mid"]}.md"'
    text = r.get_data(as_text=True)
    assert text.splitlines()[0] == "# Minutes: MDT \\| Thursday"
    assert "| 1 | Check-in | Check-in | — | 5:00 | 7:00 | +2:00 |" in text
    assert "| 2 | Break | Break | — | 10:00 | 10:00 | 0:00 |" in text
    assert "| 3 | Care plan for \\*J\\* | Decision | Dr Okafor | 20:00 | 18:00 | −2:00 |" in text
    assert "Total: planned 35:00, actual 35:00." in text
    assert "### Decisions\n\n- Refer J to physiotherapy\n" in text
    assert "- Book the scan (owner: Dr Okafor, due 2031-03-11)" in text
    assert "### Notes\n\nEveryone arrived.  \nTwo late.\n" in text
    assert "- 2031-03-04 09:35 UTC: You want more time for J's plan." in text


def test_action_list_csv_one_row_per_action_with_formulas_defused(client, mdt):
    login(client)
    r = client.get(f"/meetings/{mdt['mid']}/actions.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    assert rows == [["item", "item_title", "what", "owner", "due", "recorded_at"],
                    ["3", "Care plan for *J*", "Book the scan", "Dr Okafor", "2031-03-11", "2031-03-04T09:35:00+00:00"],
                    ["3", "Care plan for *J*", "'=HYPERLINK(\"x\")", "Sam", "", "2031-03-04T09:35:00+00:00"]]


def test_the_page_shows_planned_and_actual_to_facilitators_and_cofacilitators(app, client, factory, mdt):
    login(client)
    page = client.get(f"/meetings/{mdt['mid']}/minutes").get_data(as_text=True)
    assert "Care plan for *J*" in page and "Refer J to physiotherapy" in page and "−2:00" in page
    co = factory.user(email="co@example.org", name="Cody")
    with app.app_context():
        db.session.add(CoFacilitator(meeting_id=mdt["mid"], user_id=co))
        db.session.commit()
    other = app.test_client()
    login(other, "co@example.org")
    assert other.get(f"/meetings/{mdt['mid']}/minutes.md").status_code == 200


def test_nobody_else_gets_the_minutes(app, factory, mdt):
    anonymous = app.test_client()
    for path in ("minutes", "minutes.md", "actions.csv"):
        r = anonymous.get(f"/meetings/{mdt['mid']}/{path}")
        assert r.status_code == 302 and "/login" in r.headers["Location"]
    factory.user(email="else@example.org", name="Else")
    stranger = app.test_client()
    login(stranger, "else@example.org")
    for path in ("minutes", "minutes.md", "actions.csv"):
        r = stranger.get(f"/meetings/{mdt['mid']}/{path}")
        assert r.status_code == 404 and b"Refer J" not in r.data


def test_rest_api_minutes_as_json_markdown_and_csv(app, client, api, mdt):
    for path in ("minutes", "minutes.md", "actions.csv"):  # not the token's owner's meeting
        assert client.get(f"/api/v1/meetings/{mdt['mid']}/{path}", headers=api.headers).status_code == 404
    with app.app_context():
        db.session.add(CoFacilitator(meeting_id=mdt["mid"], user_id=api.uid))
        db.session.commit()
    body = client.get(f"/api/v1/meetings/{mdt['mid']}/minutes", headers=api.headers).get_json()
    assert [(i["title"], i["planned_seconds"], i["actual_seconds"], i["over_seconds"]) for i in body["items"]] == [
        ("Check-in", 300, 420.0, 120.0), ("Break", 600, 600.0, 0.0), ("Care plan for *J*", 1200, 1080.0, -120.0)]
    assert body["items"][2]["decisions"][0]["text"] == "Refer J to physiotherapy"
    assert [a["owner"] for a in body["items"][2]["actions"]] == ["Dr Okafor", "Sam"]
    assert [s["text"] for s in body["summaries"]] == ["You want more time for J's plan."]
    md = client.get(f"/api/v1/meetings/{mdt['mid']}/minutes.md", headers=api.headers)
    assert md.status_code == 200 and "- Refer J to physiotherapy" in md.get_data(as_text=True)
    assert client.get(f"/api/v1/meetings/{mdt['mid']}/actions.csv").status_code == 401
