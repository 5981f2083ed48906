"""A co-facilitator edits a session from its page like the owner, but retention is the owner's: the
form does not offer it to them, and a crafted one is refused with an error, not silently dropped
(the rule is in the action, check_update_meeting, not in the web layer)."""
from __future__ import annotations

from facilitator.extensions import db
from facilitator.models import CoFacilitator, Meeting


def form(**over):
    data = {"title": "Tuesday group", "kind": "group", "after_text": "",
            "rule_title": ["Pass"], "rule_text": ["You may pass."]}
    data.update(over)
    return data


def test_a_cofacilitator_saves_the_page_but_cannot_change_retention(app, client, auth, factory):
    owner = factory.user(email="fac1@example.org")
    mid, _ = factory.meeting(owner, retention_days=30)
    co = factory.user(email="co@example.org", name="Cody")
    with app.app_context():
        db.session.add(CoFacilitator(meeting_id=mid, user_id=co))
        db.session.commit()
    auth.login("co@example.org")
    page = client.get(f"/meetings/{mid}/edit").get_data(as_text=True)
    assert 'name="retention_days"' not in page
    assert client.post(f"/meetings/{mid}/edit", data=form(title="Renamed by Cody")).status_code == 302
    r = client.post(f"/meetings/{mid}/edit", data=form(title="Again", retention_days="365"))
    assert r.status_code == 422
    with app.app_context():
        m = db.session.get(Meeting, mid)
        assert (m.title, m.retention_days) == ("Renamed by Cody", 30)
