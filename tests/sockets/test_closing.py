"""Removal, signing out everywhere and delete-now close sockets by the rooms the server put them in,
not through `Connection` rows (issue 17, finding 1). A forged `disconnect` event once deleted a
socket's row while the socket stayed open; these tests delete the rows the same way and check that
the sockets still close and hear nothing more.
"""
from __future__ import annotations

from facilitator.extensions import db
from facilitator.models import Connection

from .conftest import drain, received


def forget_rows(app, **where) -> int:
    """Delete Connection rows as a forged disconnect did; how many went."""
    with app.app_context():
        q = db.delete(Connection)
        for column, value in where.items():
            q = q.where(getattr(Connection, column) == value)
        n = db.session.execute(q).rowcount
        db.session.commit()
        return n


def test_a_removed_participant_is_disconnected_even_without_a_connection_row(app, live):
    owner = live.facilitator()
    sam = live.participant(name="Sam")
    bea = live.participant(name="Bea")
    assert forget_rows(app, participant_id=sam.pid) == 1
    assert live.call(owner, "participant.remove", {"participant_id": sam.pid})["ok"] is True
    assert not sam.is_connected()
    drain(sam, bea, owner)
    assert live.call(bea, "chat.send", {"channel": "main", "text": "Only for those still here"})["ok"] is True
    assert [e["data"]["text"] for e in received(bea) if e["type"] == "chat"] == ["Only for those still here"]
    assert received(sam) == []
    assert bea.is_connected() and owner.is_connected()


def test_signing_out_closes_consoles_whose_rows_are_gone(app, live, sockets):
    laptop = live.login()
    console = sockets(auth={"meeting_id": live.mid}, flask_client=laptop)
    cody = live.cofacilitator()
    pia = live.participant(name="Pia")
    assert console.is_connected()
    assert forget_rows(app, user_id=live.uid) == 1
    assert laptop.post("/logout").status_code == 302
    assert not console.is_connected()
    drain(console)
    assert live.call(pia, "support.send", {})["ok"] is True
    assert received(console) == [], "a signed-out console still heard a support request"
    assert any(e["type"] == "support" for e in received(cody))
    assert cody.is_connected() and pia.is_connected()


def test_delete_now_closes_every_socket_of_the_meeting_without_rows(app, live, sockets):
    owner_page = live.login()
    console = sockets(auth={"meeting_id": live.mid}, flask_client=owner_page)
    people = [live.participant(name="Ann"), live.participant(name="Reader", ack=False),
              live.participant(name="Obi", role="observer")]
    removed = live.participant(name="Rem")
    assert live.call(console, "participant.remove", {"participant_id": removed.pid})["ok"] is True
    other_mid, _ = live.factory.meeting(live.uid, title="Another group")
    elsewhere = live.participant(name="Elsie", meeting_id=other_mid)
    assert forget_rows(app, meeting_id=live.mid) == 1 + len(people)
    r = owner_page.post(f"/meetings/{live.mid}/delete", data={"confirm": "delete"})
    assert r.status_code == 303
    for c in [console, *people]:
        assert not c.is_connected()
    assert elsewhere.is_connected(), "only the deleted meeting's sockets"


def test_a_console_is_in_its_accounts_room_and_everyone_in_the_meetings(app, live):
    """The rooms that closing relies on (and nothing is emitted to them)."""
    from facilitator.extensions import socketio

    owner = live.facilitator()
    sam = live.participant(name="Sam")
    reader = live.participant(name="Reader", ack=False)
    manager = socketio.server.manager

    def members(room):
        return {sid for sid, _ in manager.get_participants("/", room)}

    assert members(f"account:{live.uid}") == {_sid(owner)}
    assert members(f"meeting:{live.mid}:all") == {_sid(owner), _sid(sam), _sid(reader)}
    assert members(f"participant:{sam.pid}") == {_sid(sam)}


def _sid(client) -> str:
    from facilitator.extensions import socketio

    return socketio.server.manager.sid_from_eio_sid(client.eio_sid, "/")
