"""Delete-now: the owner deletes a session and everything in it, from the edit page (with a confirmation)
or through the REST API; co-facilitators, other accounts and participants cannot."""
from __future__ import annotations

from facilitator.actions.accounts import do_create_token
from facilitator.extensions import db
from facilitator.models import CoFacilitator, Meeting, Participant, User
from tests.unit.support import dump_db


def counts(app, mid):
    with app.app_context():
        return (db.session.get(Meeting, mid) is not None,
                db.session.execute(db.select(db.func.count()).select_from(Participant)
                                   .where(Participant.meeting_id == mid)).scalar_one())


def test_the_edit_page_offers_delete_now_to_the_owner_only(app, client, auth, factory):
    uid = factory.user(email="fac1@example.org")
    mid, _ = factory.meeting(uid)
    co = factory.user(email="co@example.org", name="Cody")
    with app.app_context():
        db.session.add(CoFacilitator(meeting_id=mid, user_id=co))
        db.session.commit()
    auth.login()
    page = client.get(f"/meetings/{mid}/edit").get_data(as_text=True)
    assert f"/meetings/{mid}/delete" in page and 'name="confirm"' in page
    auth.logout()
    auth.login("co@example.org")
    assert f"/meetings/{mid}/delete" not in client.get(f"/meetings/{mid}/edit").get_data(as_text=True)


def test_delete_now_needs_the_confirmation_then_deletes_everything(app, client, auth, factory):
    uid = factory.user(email="fac1@example.org")
    mid, _ = factory.meeting(uid, state="live")
    keep, _ = factory.meeting(uid)
    factory.join(mid, name="Ann")
    factory.join(keep, name="Bo")
    auth.login()
    r = client.post(f"/meetings/{mid}/delete", data={})
    assert r.status_code == 303 and counts(app, mid) == (True, 1)
    r = client.post(f"/meetings/{mid}/delete", data={"confirm": "delete"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/meetings/")
    assert counts(app, mid) == (False, 0)
    assert counts(app, keep) == (True, 1)
    assert client.get(f"/meetings/{mid}/edit").status_code == 404


def test_a_cofacilitator_or_stranger_cannot_delete(app, client, auth, factory):
    uid = factory.user(email="fac1@example.org")
    mid, _ = factory.meeting(uid)
    co = factory.user(email="co@example.org", name="Cody")
    factory.user(email="other@example.org", name="Olga")
    with app.app_context():
        db.session.add(CoFacilitator(meeting_id=mid, user_id=co))
        db.session.commit()
    before = dump_db(app)
    auth.login("co@example.org")
    client.post(f"/meetings/{mid}/delete", data={"confirm": "delete"})
    auth.logout()
    auth.login("other@example.org")
    assert client.post(f"/meetings/{mid}/delete", data={"confirm": "delete"}).status_code == 404
    after = dump_db(app)
    assert after["meetings"] == before["meetings"] and after["participants"] == before["participants"]


def test_rest_delete(app, client, api, factory):
    mid, _ = factory.meeting(api.uid, state="live")
    factory.join(mid, name="Ann")
    other = factory.user(email="someone@example.org")
    theirs, _ = factory.meeting(other)
    with app.app_context():
        _, co_token = do_create_token(db.session.get(User, other), "theirs")
        db.session.add(CoFacilitator(meeting_id=mid, user_id=other))
        db.session.commit()
    r = client.delete(f"/api/v1/meetings/{theirs}", headers=api.headers)
    assert r.status_code == 404 and counts(app, theirs)[0]
    r = client.delete(f"/api/v1/meetings/{mid}", headers={"Authorization": f"Bearer {co_token}"})
    assert r.status_code == 403 and counts(app, mid) == (True, 1)
    assert client.delete(f"/api/v1/meetings/{mid}").status_code == 401
    r = client.delete(f"/api/v1/meetings/{mid}", headers=api.headers)
    assert r.status_code == 204 and r.get_data() == b""
    assert counts(app, mid) == (False, 0)
    assert client.get(f"/api/v1/meetings/{mid}", headers=api.headers).status_code == 404
