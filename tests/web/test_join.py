"""Joining by code or link: the page, the JSON join, and what it refuses."""
from __future__ import annotations

import base64

import pytest

from facilitator.access import token_hash
from facilitator.extensions import db
from facilitator.models import Participant
from tests.unit.support import dump_db


@pytest.fixture
def meeting(factory):
    uid = factory.user()
    mid, code = factory.meeting(uid, title="Carers' circle", group_tags=["Nursing", "OT"])
    return mid, code


def test_join_page_shows_the_meeting_and_welcomes_pseudonyms(client, meeting):
    _mid, code = meeting
    r = client.get(f"/j/{code}")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Carers&#39; circle" in html or "Carers' circle" in html
    assert "pseudonym" in html
    assert "Nursing" in html and "OT" in html
    assert r.headers["Cache-Control"] == "no-store"


def test_join_page_accepts_lower_case_and_dashes_and_404s_unknown(client, meeting):
    _mid, code = meeting
    assert client.get(f"/j/{code[:4].lower()}-{code[4:].lower()}").status_code == 200
    assert client.get("/j/AAAAAAAA").status_code == 404
    assert client.get("/j/" + "A" * 300).status_code == 404


def test_join_by_code_form_redirects_to_the_link(client, meeting):
    _mid, code = meeting
    r = client.get(f"/join?code={code[:4]} {code[4:].lower()}")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/j/{code}")
    assert client.get("/join?code=nope").status_code == 404


def test_json_join_returns_201_with_a_strong_token(app, client, meeting):
    mid, code = meeting
    r = client.post(f"/j/{code}", json={"display_name": "  Robin  ", "group_tag": "OT"})
    assert r.status_code == 201
    body = r.get_json()
    assert body["ok"] is True and body["room"].endswith(f"/r/{code}")
    token = body["token"]
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert len(raw) * 8 >= 128
    with app.app_context():
        p = db.session.get(Participant, body["participant_id"])
        assert (p.meeting_id, p.display_name, p.group_tag, p.role) == (mid, "Robin", "OT", "participant")
        assert (p.mic, p.camera) == ("muted", "off")
        assert p.token_hash == token_hash(token)
    assert "token" not in r.headers.get("Set-Cookie", ""), "the token is not put in a cookie or URL"
    assert token not in body["room"]


def test_two_joins_never_share_a_token(client, meeting):
    _mid, code = meeting
    tokens = {client.post(f"/j/{code}", json={"display_name": "Sam"}).get_json()["token"] for _ in range(5)}
    assert len(tokens) == 5


BAD_JOINS = [
    {}, {"display_name": ""}, {"display_name": "   "}, {"display_name": "x" * 41}, {"display_name": 12},
    {"display_name": None}, {"display_name": ["Sam"]}, {"display_name": "Sam\u0000"}, {"display_name": "Sam\nSmith"},
    {"display_name": "Sam", "group_tag": "Medicine"}, {"display_name": "Sam", "group_tag": 3},
    {"display_name": "Sam", "admin": True}, ["Sam"], "Sam",
]


def test_json_join_rejects_bad_input_and_changes_nothing(app, client, meeting):
    _mid, code = meeting
    before = dump_db(app)
    for body in BAD_JOINS:
        r = client.post(f"/j/{code}", json=body)
        assert r.status_code == 422, (body, r.get_json())
        err = r.get_json()
        assert err["ok"] is False and err["error"]["code"] == "invalid" and err["error"]["fields"], body
    assert dump_db(app) == before


def test_json_join_rejects_non_json(app, client, meeting):
    _mid, code = meeting
    before = dump_db(app)
    r = client.post(f"/j/{code}", data="{broken", headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 422)
    r = client.post(f"/j/{code}", json={"display_name": "x" * 300_000})
    assert r.status_code == 413
    assert dump_db(app) == before


@pytest.mark.parametrize("state,status,code", [("draft", 409, "not_open"), ("ended", 409, "meeting_ended")])
def test_json_join_refused_before_open_and_after_end(app, client, factory, state, status, code):
    _mid, join_code = factory.meeting(factory.user(), state=state)
    before = dump_db(app)
    r = client.post(f"/j/{join_code}", json={"display_name": "Sam"})
    assert r.status_code == status and r.get_json()["error"]["code"] == code
    assert dump_db(app) == before


def test_json_join_unknown_code_is_404_json(client):
    r = client.post("/j/ZZZZZZZZ", json={"display_name": "Sam"})
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"


def test_group_tag_on_a_meeting_without_tags_is_refused(app, client, factory):
    _mid, code = factory.meeting(factory.user())
    r = client.post(f"/j/{code}", json={"display_name": "Sam", "group_tag": "Nursing"})
    assert r.status_code == 422 and "group_tag" in r.get_json()["error"]["fields"]


def test_observer_link_joins_as_observer(app, client, factory):
    uid = factory.user()
    mid, _ = factory.meeting(uid)
    from facilitator.models import Meeting

    with app.app_context():
        key = db.session.get(Meeting, mid).observer_key
    assert client.get(f"/observe/{key}").status_code == 200
    r = client.post(f"/observe/{key}", json={"display_name": "Obi"})
    assert r.status_code == 201
    with app.app_context():
        assert db.session.get(Participant, r.get_json()["participant_id"]).role == "observer"
    assert client.post("/observe/not-a-key", json={"display_name": "Obi"}).status_code == 404


def test_joined_token_opens_a_live_connection_in_the_gate(app, client, meeting, sockets):
    _mid, code = meeting
    token = client.post(f"/j/{code}", json={"display_name": "Robin"}).get_json()["token"]
    c = sockets(auth={"token": token})
    assert c.is_connected()
    ack = c.emit("sync", callback=True)
    assert ack["ok"] is True and ack["snapshot"]["gate"] is True and ack["snapshot"]["me"]["name"] == "Robin"


def test_room_page(client, meeting):
    _mid, code = meeting
    assert client.get(f"/r/{code}").status_code == 200
    assert client.get("/r/ZZZZZZZZ").status_code == 404
