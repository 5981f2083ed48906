"""A meeting that asks for contact details on joining: the form asks (saying who sees it and why), a
join without them is refused and changes nothing, and what is given reaches the facilitators only."""
from __future__ import annotations

from facilitator.access import Actor
from facilitator.actions.safety import do_settings
from facilitator.extensions import db
from facilitator.models import ContactPlan, Meeting
from facilitator.state import snapshot
from tests.unit.support import dump_db


def require(app, mid, on=True):
    with app.app_context():
        do_settings(db.session.get(Meeting, mid), on)
        db.session.commit()


def test_the_form_asks_only_when_the_meeting_requires_it(app, client, factory):
    uid = factory.user()
    mid, code = factory.meeting(uid)
    assert 'id="contact"' not in client.get(f"/j/{code}").get_data(as_text=True)
    require(app, mid)
    html = client.get(f"/j/{code}").get_data(as_text=True)
    assert 'id="contact"' in html and "Only the facilitators of this session see this" in html
    with app.app_context():
        observer_key = db.session.get(Meeting, mid).observer_key
    assert 'id="contact"' not in client.get(f"/observe/{observer_key}").get_data(as_text=True)


def test_joining_without_contact_details_is_refused_when_required(app, client, factory):
    uid = factory.user()
    mid, code = factory.meeting(uid)
    require(app, mid)
    before = dump_db(app)
    for body in ({"display_name": "Ann"}, {"display_name": "Ann", "contact": "  "},
                 {"display_name": "Ann", "contact": "x" * 301}, {"display_name": "Ann", "contact": 5}):
        r = client.post(f"/j/{code}", json=body)
        assert r.status_code == 422, body
        assert "contact" in r.get_json()["error"]["fields"]
    assert dump_db(app) == before


def test_contact_details_given_on_joining_reach_the_facilitators_and_the_person_only(app, client, factory):
    uid = factory.user()
    mid, code = factory.meeting(uid)
    require(app, mid)
    r = client.post(f"/j/{code}", json={"display_name": "Ann", "contact": "07700 900222, text first"})
    assert r.status_code == 201, r.get_json()
    ann = r.get_json()["participant_id"]
    r = client.post(f"/j/{code}", json={"display_name": "Bo", "contact": "bo@example.org"})
    bo = r.get_json()["participant_id"]
    with app.app_context():
        rows = {c.participant_id: c.given for c in db.session.execute(db.select(ContactPlan)).scalars()}
        assert rows == {ann: "07700 900222, text first", bo: "bo@example.org"}
        m = db.session.get(Meeting, mid)
        fac = snapshot(m, Actor("facilitator", mid, user_id=uid))
        assert {c["participant_id"] for c in fac["private"]["contact_plans"]} == {ann, bo}
        assert fac["private"]["safety"] == {"require_contact": True}
        mine = snapshot(m, Actor("participant", mid, participant_id=bo))
        assert mine["my_contact"]["given"] == "bo@example.org"
        assert "07700" not in str(mine) and "contact_plans" not in str(mine)


def test_optional_when_not_required(app, client, factory):
    uid = factory.user()
    mid, code = factory.meeting(uid)
    assert client.post(f"/j/{code}", json={"display_name": "Ann"}).status_code == 201
    assert client.post(f"/j/{code}", json={"display_name": "Bo", "contact": "call me"}).status_code == 201
    with app.app_context():
        assert [c.given for c in db.session.execute(db.select(ContactPlan)).scalars()] == ["call me"]
