"""What signing out and ending a session invalidate. Signing out closes every console connection
the account has open (on any device), and none can come back with the old cookie. Ending a
session refuses new joins (participant and observer), the co-facilitator invitation, and
every change a participant or observer could still send, except leaving; reading state stays."""
from __future__ import annotations

from facilitator.extensions import db
from facilitator.models import Meeting
from tests.unit.support import dump_db

from .conftest import drain, received
from .test_role_matrix import TABLE, Scene, _ok


def test_signing_out_closes_the_accounts_console_connections_everywhere(app, live, sockets):
    laptop = live.login()
    phone = live.login()
    on_laptop = sockets(auth={"meeting_id": live.mid}, flask_client=laptop)
    on_phone = sockets(auth={"meeting_id": live.mid}, flask_client=phone)
    other_account = live.cofacilitator()
    sam = live.participant(name="Sam")
    assert on_laptop.is_connected() and on_phone.is_connected()
    assert laptop.post("/logout").status_code == 302
    assert not on_laptop.is_connected() and not on_phone.is_connected()
    assert other_account.is_connected() and sam.is_connected(), "only that account's connections"
    # neither device's cookie opens a console any more
    assert not sockets(auth={"meeting_id": live.mid}, flask_client=phone).is_connected()
    assert phone.get("/meetings/").status_code == 302


def test_ending_a_session_refuses_what_it_should(app, live, client):
    scene = Scene(app, live)
    people = {"participant": live.participant(name="Pia"), "observer": live.participant(name="Obi", role="observer")}
    with app.app_context():
        m = db.session.get(Meeting, live.mid)
        code, observer_key, cofac_key = m.join_code, m.observer_key, m.cofac_key
    _ok(live, scene.owner, "meeting.state", {"state": "ended"})
    drain(scene.owner, *people.values())

    before = dump_db(app)
    assert client.post(f"/j/{code}", json={"display_name": "Late"}).get_json()["error"]["code"] == "meeting_ended"
    assert client.post(f"/observe/{observer_key}", json={"display_name": "Late"}).status_code == 409
    signed_in = live.login()
    assert signed_in.get(f"/meetings/cofacilitate/{cofac_key}").status_code == 404
    allowed_after_end = {"sync", "me.leave"}
    for name, (roles, example) in TABLE.items():
        for role, me in people.items():
            if role not in roles or name in allowed_after_end:
                continue
            ack = live.call(me, name, example(scene.world))
            assert ack["ok"] is False, (role, name, ack)
    assert dump_db(app) == before
    assert received(scene.owner) == []
    for role, me in people.items():
        assert live.call(me, "sync")["snapshot"]["meeting"]["state"] == "ended"
