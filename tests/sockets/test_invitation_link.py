"""Only the owner invites co-facilitators (issue 17, finding 6): the invitation link's key reaches no
co-facilitator, neither in the console's snapshot, nor on the facilitators' stream, nor through the
REST API; the owner gets it from the edit page or GET /api/v1/meetings/<id>/invitation."""
from __future__ import annotations

import json

from facilitator.actions.accounts import do_create_token
from facilitator.extensions import db
from facilitator.models import Meeting, User

from .conftest import drain, received


def test_no_cofacilitator_receives_the_invitation_key(app, live):
    with app.app_context():
        key = db.session.get(Meeting, live.mid).cofac_key
    owner = live.facilitator()
    cody = live.cofacilitator()
    snap = live.call(cody, "sync")["snapshot"]
    assert key not in json.dumps(snap)
    assert set(snap["private"]["meeting"]["links"]) == {"join", "observe"}
    drain(owner, cody)
    assert live.call(owner, "meeting.state", {"state": "live"})["ok"] is True
    heard = received(cody)
    assert any(e["type"] == "meeting" and e["op"] == "private" for e in heard)
    assert key not in json.dumps(heard)


def test_the_rest_api_gives_the_link_to_the_owner_only(app, live, client):
    with app.app_context():
        m = db.session.get(Meeting, live.mid)
        key = m.cofac_key
        _, owner_token = do_create_token(db.session.get(User, live.uid), "owner")
        db.session.commit()
    live.cofacilitator()
    with app.app_context():
        cody = db.session.execute(db.select(User).where(User.email == "co@example.org")).scalar_one()
        _, co_token = do_create_token(cody, "co")
        db.session.commit()
    as_owner = {"Authorization": f"Bearer {owner_token}"}
    as_co = {"Authorization": f"Bearer {co_token}"}
    r = client.get(f"/api/v1/meetings/{live.mid}/invitation", headers=as_owner)
    assert r.status_code == 200 and r.get_json()["cofacilitate"].endswith(f"/meetings/cofacilitate/{key}")
    assert client.get(f"/api/v1/meetings/{live.mid}/invitation", headers=as_co).status_code == 403
    for path in (f"/api/v1/meetings/{live.mid}", "/api/v1/meetings"):
        assert key not in client.get(path, headers=as_co).get_data(as_text=True), path
