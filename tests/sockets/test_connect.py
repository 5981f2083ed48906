"""Connect: who may open a live connection, to which meeting, from which Origin."""
from __future__ import annotations

from facilitator.extensions import db
from facilitator.extensions import socketio as sio
from facilitator.models import Connection, Participant
from tests.unit.fastdb import close, fresh_app, schema_template
from tests.unit.support import dump_db

from .conftest import drain, received


def _refused(sockets, app, **kw):
    before = dump_db(app)
    c = sockets(**kw)
    assert not c.is_connected()
    assert dump_db(app) == before, "a refused connection leaves no trace"
    return c


BAD_AUTH = [
    None, {}, {"token": ""}, {"token": "x" * 30}, {"token": "short"}, {"token": "y" * 129},
    {"token": 12345678901234567890}, {"meeting_id": "1"}, {"meeting_id": 1}, {"token": None},
    {"other": "field"}, ["not", "a", "dict"], "a-string",
]


def test_missing_wrong_or_malformed_auth_is_refused(app, live):
    live.participant()  # a real participant exists, so a refusal is not just an empty table
    for auth in BAD_AUTH:  # ({"meeting_id": 1} without a signed-in facilitator)
        _refused(live.sockets, app, auth=auth)


def test_refusal_reason_reaches_the_client_as_data_code(app, live):
    c = live.participant()
    c.disconnect()
    sent = []
    orig = sio.server._send_packet
    sio.server._send_packet = lambda eio_sid, pkt: (sent.append(pkt), orig(eio_sid, pkt))
    try:
        c.connect(auth={"token": "z" * 40})
    finally:
        sio.server._send_packet = orig
    assert not c.is_connected()
    assert [(p.packet_type, p.data["data"]["code"]) for p in sent] == [(4, "unauthenticated")]  # CONNECT_ERROR
    assert "Traceback" not in str(sent[0].data)


def test_facilitator_needs_login(app, live):
    _refused(live.sockets, app, auth={"meeting_id": live.mid})
    _refused(live.sockets, app, auth={"meeting_id": live.mid}, flask_client=app.test_client())


def test_facilitator_of_another_meeting_is_refused(app, live):
    live.factory.user(email="other@example.org", name="Other")
    other_client = live.login("other@example.org")
    _refused(live.sockets, app, auth={"meeting_id": live.mid}, flask_client=other_client)
    _refused(live.sockets, app, auth={"meeting_id": 999}, flask_client=other_client)


def test_facilitator_and_cofacilitator_connect(app, live):
    f = live.facilitator()
    co = live.cofacilitator()
    assert live.call(f, "sync")["snapshot"]["me"]["role"] == "facilitator"
    assert live.call(co, "sync")["snapshot"]["me"]["role"] == "cofacilitator"
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Connection)
                                  .where(Connection.user_id.is_not(None))).scalar() == 2


def test_token_of_another_meeting_reaches_only_that_meeting(app, live):
    """A participant of meeting B gets B and nothing of A; naming A with B's token is refused."""
    other_uid = live.factory.user(email="b@example.org", name="Bea")
    b_mid, _ = live.factory.meeting(other_uid, title="Meeting B")
    outsider = live.participant(name="Quinn", meeting_id=b_mid)
    snap = live.call(outsider, "sync")["snapshot"]
    assert snap["meeting"]["id"] == b_mid and snap["meeting"]["title"] == "Meeting B"
    f = live.facilitator()
    insider = live.participant(name="Ina")
    drain(outsider, f, insider)
    live.call(f, "meeting.state", {"state": "live"})
    live.call(insider, "me.status", {"mic": "on"})
    assert received(outsider) == []
    assert received(insider), "the insider did hear about meeting A"
    _refused(live.sockets, app, auth={"token": outsider.token, "meeting_id": live.mid})


def test_removed_participants_token_is_refused(app, live):
    f = live.facilitator()
    p = live.participant()
    assert live.call(f, "participant.remove", {"participant_id": p.pid})["ok"] is True
    assert not p.is_connected()
    _refused(live.sockets, app, auth={"token": p.token})


def test_foreign_origin_is_refused_even_with_a_valid_token(app, live):
    p = live.participant()
    p.disconnect()
    _refused(live.sockets, app, auth={"token": p.token}, headers={"Origin": "http://evil.example"})
    _refused(live.sockets, app, auth={"meeting_id": live.mid}, flask_client=live.login(),
             headers={"Origin": "http://evil.example"})
    _refused(live.sockets, app, auth={"token": p.token}, headers={"Origin": "http://localhost.evil.example"})
    ok = live.sockets(auth={"token": p.token}, headers={"Origin": "http://localhost"})
    assert ok.is_connected(), "the app's own origin is allowed"


def test_allowed_origins_list_is_enforced(tmp_path):
    app = fresh_app(tmp_path, schema_template(tmp_path.parent), ALLOWED_ORIGINS=["https://meet.example.org"])
    from tests.conftest import Factory

    f = Factory(app)
    mid, _ = f.meeting(f.user())
    token, _ = f.join(mid)
    opened = []
    try:
        for origin, ok in [("https://meet.example.org", True), ("https://meet.example.org/", True),
                           ("http://localhost", False), ("http://evil.example", False)]:
            c = sio.test_client(app, auth={"token": token}, headers={"Origin": origin})
            opened.append(c)
            assert c.is_connected() is ok, origin
    finally:
        for c in opened:
            if c.is_connected():
                c.disconnect()
        close(app)


def test_connect_marks_connected_and_facilitators_see_it(app, live):
    f = live.facilitator()
    token, pid = live.factory.join(live.mid, name="Ari")
    drain(f)
    c = live.sockets(auth={"token": token})
    assert c.is_connected()
    got = [e for e in received(f) if e["type"] == "people"]
    assert [(e["data"]["id"], e["data"]["presence"]) for e in got] == [(pid, "connected")]
    with app.app_context():
        assert db.session.get(Participant, pid).presence == "connected"
        assert db.session.execute(db.select(Connection).where(Connection.participant_id == pid)).scalar_one()
