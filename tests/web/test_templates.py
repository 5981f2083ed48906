"""Meeting templates: save a session's setup (rules, agenda, settings) and start the next session
from it in one click (pages) or one call (REST); other people's templates do not exist for you."""
from __future__ import annotations

import pytest

from facilitator.access import Actor
from facilitator.actions import agenda as ag
from facilitator.views import agenda as agv
from facilitator.actions import floor, safety
from facilitator.extensions import db
from facilitator.models import AgendaItem, Meeting, MeetingTemplate
from facilitator.views.safety import contact_required
from tests.unit.support import dump_db

RULES = [{"title": "Cameras", "text": "On if you can."},
         {"title": "Confidentiality", "text": "What is said here stays here."}]


@pytest.fixture
def setup(app, factory):
    """An MDT session with rules, a three-item agenda (one presenter a participant, one a free name)
    and settings that differ from the defaults; the agenda has run, so templates must not keep times."""
    uid = factory.user(email="fran@example.org", name="Fran")
    mid, _ = factory.meeting(uid, state="live", title="MDT March", rules=RULES, kind="mdt",
                             group_tags=["Nursing", "Medicine"], retention_days=14)
    _, pid = factory.join(mid, name="Ann")
    with app.app_context():
        m = db.session.get(Meeting, mid)
        ag.do_add(m, {"title": "Check-in", "kind": "checkin", "planned_seconds": 300})
        ag.do_add(m, {"title": "Ann's case", "kind": "discussion", "planned_seconds": 900, "presenter_id": pid})
        ag.do_add(m, {"title": "Care plan", "kind": "decision", "planned_seconds": 1200, "presenter_name": "Dr Okafor"})
        ag.do_settings(m, 30)
        ag.do_move(m, ag.items_of(mid)[0])
        floor.do_mode(m, "quiet")
        safety.do_settings(m, True)
        db.session.commit()
    return {"uid": uid, "mid": mid, "fac": Actor("facilitator", mid, user_id=uid)}


def login(client, email="fran@example.org"):
    assert client.post("/login", data={"email": email, "password": "correct horse battery"}).status_code == 302


EXPECTED = {
    "rules": RULES,
    "agenda": [{"title": "Check-in", "kind": "checkin", "planned_seconds": 300, "presenter_name": None},
               {"title": "Ann's case", "kind": "discussion", "planned_seconds": 900, "presenter_name": None},
               {"title": "Care plan", "kind": "decision", "planned_seconds": 1200, "presenter_name": "Dr Okafor"}],
    "settings": {"kind": "mdt", "group_tags": ["Nursing", "Medicine"], "retention_days": 14, "queue_mode": "quiet",
                 "break_after_minutes": 30, "require_contact": True},
}


def test_save_a_template_and_start_a_session_from_it_in_one_click(app, client, setup):
    login(client)
    assert "Save as template" in client.get(f"/meetings/{setup['mid']}/edit").get_data(as_text=True)
    r = client.post(f"/meetings/{setup['mid']}/template", data={"name": "Monthly MDT"})
    assert r.status_code == 303
    with app.app_context():
        tpl = db.session.execute(db.select(MeetingTemplate)).scalar_one()
        assert (tpl.owner_id, tpl.name) == (setup["uid"], "Monthly MDT")
        assert {"rules": tpl.rules, "agenda": tpl.agenda, "settings": tpl.settings} == EXPECTED
        tid = tpl.id
    page = client.get("/meetings/").get_data(as_text=True)
    assert "New session from “Monthly MDT”" in page and "3 agenda items · 2 ground rules" in page
    assert "New session from “Monthly MDT”" in client.get("/meetings/new").get_data(as_text=True)

    r = client.post(f"/templates/{tid}/use")
    assert r.status_code == 303
    new_id = int(r.headers["Location"].rstrip("/").split("/")[-2])
    with app.app_context():
        m = db.session.get(Meeting, new_id)
        assert (m.title, m.state, m.kind, m.group_tags, m.retention_days, m.queue_mode) == (
            "Monthly MDT", "draft", "mdt", ["Nursing", "Medicine"], 14, "quiet")
        assert [(r.title, r.text) for r in m.rules] == [(x["title"], x["text"]) for x in RULES]
        assert m.rules_version == 1
        items = ag.items_of(new_id)
        assert [(i.position, i.title, i.kind, i.planned_seconds, i.presenter_name, i.first_started_at)
                for i in items] == [(1, "Check-in", "checkin", 300, None, None),
                                    (2, "Ann's case", "discussion", 900, None, None),
                                    (3, "Care plan", "decision", 1200, "Dr Okafor", None)]
        assert agv.break_after(new_id) == 30 and contact_required(new_id) is True


def test_other_facilitators_cannot_see_use_or_delete_a_template(app, client, factory, setup):
    login(client)
    client.post(f"/meetings/{setup['mid']}/template", data={"name": "Monthly MDT"})
    with app.app_context():
        tid = db.session.execute(db.select(MeetingTemplate.id)).scalar_one()
    factory.user(email="else@example.org", name="Else")
    other = app.test_client()
    login(other, "else@example.org")
    before = dump_db(app)
    assert other.post(f"/templates/{tid}/use").status_code == 404
    assert other.post(f"/templates/{tid}/delete").status_code == 404
    assert other.post(f"/meetings/{setup['mid']}/template", data={"name": "Mine"}).status_code == 404
    assert "Monthly MDT" not in other.get("/meetings/").get_data(as_text=True)
    r = client.post(f"/meetings/{setup['mid']}/template", data={"name": ""})  # a name is needed
    assert r.status_code == 303
    assert dump_db(app) == before
    assert client.post(f"/templates/{tid}/delete").status_code == 303
    with app.app_context():
        assert db.session.get(MeetingTemplate, tid) is None


def test_rest_api_lists_templates_and_creates_a_session_from_one(app, client, api, setup):
    login(client)
    client.post(f"/meetings/{setup['mid']}/template", data={"name": "Monthly MDT"})
    with app.app_context():
        tid = db.session.execute(db.select(MeetingTemplate.id)).scalar_one()
    before = dump_db(app)
    r = client.post(f"/api/v1/templates/{tid}/meetings", json={"title": "MDT April"}, headers=api.headers)
    assert r.status_code == 404  # not the token owner's template: nothing made
    assert {k: v for k, v in dump_db(app).items() if k != "api_tokens"} == {
        k: v for k, v in before.items() if k != "api_tokens"}
    assert client.get("/api/v1/templates", headers=api.headers).get_json() == []
    with app.app_context():
        db.session.get(MeetingTemplate, tid).owner_id = api.uid
        db.session.commit()
    got = client.get("/api/v1/templates", headers=api.headers).get_json()
    assert [(t["name"], t["agenda"], t["settings"]) for t in got] == [("Monthly MDT", EXPECTED["agenda"],
                                                                       EXPECTED["settings"])]
    r = client.post(f"/api/v1/templates/{tid}/meetings", json={"title": "MDT April",
                                                                "scheduled_at": "2031-04-03T09:00:00+00:00"},
                    headers=api.headers)
    assert r.status_code == 201
    body = r.get_json()
    assert (body["title"], body["kind"], body["state"]) == ("MDT April", "mdt", "draft")
    with app.app_context():
        assert [i.title for i in db.session.execute(db.select(AgendaItem).where(
            AgendaItem.meeting_id == body["id"]).order_by(AgendaItem.position)).scalars()] == [
            "Check-in", "Ann's case", "Care plan"]
