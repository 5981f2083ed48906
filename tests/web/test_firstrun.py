"""First run: the set-up page makes the first account once, with the printed code; the demo session
fills a live meeting so every console panel has something in it."""
from __future__ import annotations

import os

import pytest

from facilitator.access import Actor
from facilitator.extensions import db
from facilitator.models import Meeting, Participant, User
from facilitator.state import snapshot
from facilitator.web.firstrun import ensure_setup_code, setup_code_path

from .conftest import csrf_token_from, logged_in

FORM = {"email": "first@example.org", "display_name": "Fran", "password": "a long enough password"}


def users(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count(User.id))).scalar_one()


@pytest.fixture
def code(app):
    with app.app_context():
        return ensure_setup_code(app)


def test_home_points_a_new_server_to_set_up(client, factory):
    assert b'href="/setup"' in client.get("/").data
    factory.user()
    assert b'href="/setup"' not in client.get("/").data


def test_the_code_file_is_private_and_stable(app, code):
    path = setup_code_path(app)
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert len(code) == 12
    with app.app_context():
        assert ensure_setup_code(app) == code


def test_wrong_code_creates_nothing(client, app, code):
    wrong = "A" * 12 if code != "A" * 12 else "B" * 12
    resp = client.post("/setup", data={**FORM, "setup_code": wrong})
    assert resp.status_code == 400
    assert b"not the set-up code" in resp.data
    assert users(app) == 0 and not logged_in(client)


def test_bad_fields_are_reported_and_create_nothing(client, app, code):
    resp = client.post("/setup", data={**FORM, "password": "short", "setup_code": code})
    assert resp.status_code == 400 and users(app) == 0


def test_right_code_makes_the_first_account_once(client, app, code):
    resp = client.post("/setup", data={**FORM, "setup_code": code.lower()[:4] + "-" + code.lower()[4:]})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/meetings/?welcome=1")
    assert users(app) == 1 and logged_in(client)
    assert not os.path.exists(setup_code_path(app))
    page = client.get("/meetings/?welcome=1").data
    assert b"Your account is ready" in page and b"Try a demo session" in page
    # The page is gone now: nobody can make a second "first" account with the old code.
    assert client.get("/setup").status_code == 404
    assert client.post("/setup", data={**FORM, "email": "second@example.org", "setup_code": code}).status_code == 404
    assert users(app) == 1


def test_setup_needs_csrf(csrf_app):
    client = csrf_app.test_client()
    with csrf_app.app_context():
        code = ensure_setup_code(csrf_app)
    assert client.post("/setup", data={**FORM, "setup_code": code}).status_code == 400
    token = csrf_token_from(client.get("/setup").data.decode())
    assert client.post("/setup", data={**FORM, "setup_code": code, "csrf_token": token}).status_code == 302


def test_demo_session_fills_every_panel(client, app, factory, auth):
    uid = factory.user()
    auth.login()
    resp = client.post("/meetings/demo")
    assert resp.status_code == 302
    meeting_id = int(resp.headers["Location"].rstrip("/").split("/")[-1])
    assert client.get(resp.headers["Location"]).status_code == 200
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert meeting.owner_id == uid and meeting.state == "live"
        snap = snapshot(meeting, Actor("facilitator", meeting.id, user_id=uid))
        names = {p.id: p.display_name for p in db.session.execute(
            db.select(Participant).where(Participant.meeting_id == meeting.id)).scalars()}
    private = snap["private"]
    assert [p["name"] for p in private["people"]] == ["Robin", "Sam", "Alex", "Jo", "Kit", "Pat"]
    assert {p["presence"] for p in private["people"]} == {"connected", "reconnecting"}
    assert snap["floor"]["speaker"]["name"] == "Robin"
    assert [(h["name"], h["kind"]) for h in private["queue"]["hands"]] == [
        ("Pat", "process"), ("Alex", "reply"), ("Jo", "new")]
    talk = {names[p["participant_id"]]: (p["talk_seconds"], p["turns"]) for p in private["balance"]["people"]}
    assert talk["Sam"] == (360.0, 2) and talk["Alex"] == (45.0, 1) and talk["Pat"] == (60.0, 1)
    assert talk["Robin"][1] == 3 and talk["Robin"][0] >= 245.0  # two past turns and the running one
    assert talk.get("Jo", (0, 0)) == (0, 0) and talk.get("Kit", (0, 0)) == (0, 0)
    assert snap["polls"][0]["state"] == "open"
    assert len(snap["chat"]["main"]) == 2
    items = snap["agenda"]["items"]
    assert [(i["title"], i["kind"], i["state"]) for i in items] == [
        ("Arriving: check-in round", "checkin", "done"), ("Sleep and evenings", "discussion", "running"),
        ("Screen break", "break", "pending"), ("What we take away", "decision", "pending")]
    assert snap["agenda"]["current_id"] == items[1]["id"] and items[1]["presenter"]["name"] == "Robin"
    assert items[0]["actual_seconds"] == 580.0  # 9 min 40 s against 8 planned
    assert snap["heard"]["summary"]["text"].startswith("What I heard: evenings")
    # The report sees the same session: everyone attending since before the start, Jo and Kit not yet heard.
    report = client.get(f"/meetings/{meeting_id}/report.json").get_json()
    assert report["turns"]["not_spoken"] == ["Jo", "Kit"]
    assert len(report["attendance"]) == 6


def test_demo_needs_a_signed_in_facilitator(client, app):
    resp = client.post("/meetings/demo")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Meeting.id))).scalar_one() == 0


def test_demo_command(app, factory):
    factory.user(email="cli@example.org")
    result = app.test_cli_runner().invoke(args=["demo", "cli@example.org"])
    assert result.exit_code == 0, result.output
    assert "Created the demo session" in result.output
    missing = app.test_cli_runner().invoke(args=["demo", "nobody@example.org"])
    assert missing.exit_code != 0 and "No such account" in missing.output
