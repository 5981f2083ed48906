"""The after-session page shows the text the facilitator wrote (edit page or REST), else a default
that says to take a break and how to reach support; web and REST actions of facilitators are in
the audit trail, one entry each."""
from __future__ import annotations

from facilitator.extensions import db
from facilitator.models import AuditEntry, Meeting
from facilitator.notices import DEFAULT_AFTER_TEXT


def form(**over):
    data = {"title": "Tuesday group", "kind": "group", "retention_days": "30", "after_text": "",
            "rule_title": ["Pass"], "rule_text": ["You may pass."]}
    data.update(over)
    return data


def audit(app, mid):
    with app.app_context():
        return [(e.action, e.actor_role, e.target_participant_id) for e in db.session.execute(
            db.select(AuditEntry).where(AuditEntry.meeting_id == mid).order_by(AuditEntry.id)).scalars()]


def test_the_default_text_says_take_a_break_and_how_to_get_support(app, client, factory):
    uid = factory.user()
    _, code = factory.meeting(uid)
    for url in ("/after", f"/after?code={code}", "/after?code=NOSUCHCODE"):
        page = client.get(url).get_data(as_text=True)
        assert "take a short break" in page and "contact your facilitator" in page, url
    app.config["SUPPORT_CONTACT"] = "the clinic on 0161 496 0000"
    assert "You can also reach support: the clinic on 0161 496 0000." in client.get("/after").get_data(as_text=True)


def test_the_facilitator_writes_the_text_on_the_edit_page_and_participants_see_it(app, client, auth, factory):
    uid = factory.user(email="fac1@example.org")
    mid, code = factory.meeting(uid, state="live")
    auth.login()
    edit = client.get(f"/meetings/{mid}/edit").get_data(as_text=True)
    assert 'name="after_text"' in edit and 'name="report_chat"' in edit and DEFAULT_AFTER_TEXT[:40] in edit
    r = client.post(f"/meetings/{mid}/edit", data=form(after_text="Rest now.\nCall Sam on 0161 000 if upset.",
                                                       report_chat="1"))
    assert r.status_code == 302
    with app.app_context():
        m = db.session.get(Meeting, mid)
        assert (m.after_text, m.report_chat) == ("Rest now.\nCall Sam on 0161 000 if upset.", True)
    page = client.get(f"/after?code={code}").get_data(as_text=True)
    assert "<p class=\"lead\">Rest now.</p>" in page and "<p>Call Sam on 0161 000 if upset.</p>" in page
    assert DEFAULT_AFTER_TEXT not in page
    assert "Rest now." in client.get(f"/r/{code}").get_data(as_text=True)  # the room's "ended" view
    assert f"/after?code={code}" in client.get(f"/r/{code}").get_data(as_text=True)
    # emptied: back to the default; the checkbox left out: chat off again
    client.post(f"/meetings/{mid}/edit", data=form())
    with app.app_context():
        m = db.session.get(Meeting, mid)
        assert (m.after_text, m.report_chat) == (None, False)
    assert DEFAULT_AFTER_TEXT in client.get(f"/after?code={code}").get_data(as_text=True)
    assert audit(app, mid) == [("meeting.edit", "facilitator", None), ("meeting.edit", "facilitator", None)]


def test_an_ended_session_still_takes_its_after_text_and_report_setting(app, client, auth, factory):
    uid = factory.user(email="fac1@example.org")
    mid, code = factory.meeting(uid, state="ended")
    auth.login()
    r = client.post(f"/meetings/{mid}/edit", data=form(title="Renamed", after_text="Thanks all.", report_chat="1"))
    assert r.status_code == 302
    with app.app_context():
        m = db.session.get(Meeting, mid)
        assert (m.title, m.after_text, m.report_chat) == ("Tuesday group", "Thanks all.", True)


def test_rest_sets_the_text_and_switch_and_each_action_is_audited(app, client, api):
    r = client.post("/api/v1/meetings", headers=api.headers, json={"title": "API group", "after_text": "Be well."})
    assert r.status_code == 201
    m = r.get_json()
    assert (m["after_text"], m["report_chat"]) == ("Be well.", False)
    r = client.patch(f"/api/v1/meetings/{m['id']}", headers=api.headers, json={"report_chat": True, "after_text": ""})
    assert r.status_code == 200 and (r.get_json()["after_text"], r.get_json()["report_chat"]) == (None, True)
    assert client.post(f"/api/v1/meetings/{m['id']}/state", headers=api.headers, json={"state": "live"}).status_code == 200
    assert client.put(f"/api/v1/meetings/{m['id']}/rules", headers=api.headers,
                      json={"items": [{"title": "Pass", "text": "You may pass."}]}).status_code == 200
    bad = client.post(f"/api/v1/meetings/{m['id']}/state", headers=api.headers, json={"state": "live"})
    assert bad.status_code == 409
    assert audit(app, m["id"]) == [("meeting.create", "facilitator", None), ("meeting.edit", "facilitator", None),
                                   ("meeting.state", "facilitator", None), ("rules.set", "facilitator", None)]
