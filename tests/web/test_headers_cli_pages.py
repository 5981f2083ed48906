"""Security headers, the CLI, and the facilitator pages (ownership, redirects)."""
from __future__ import annotations

import pytest

from facilitator.extensions import db
from facilitator.models import ApiToken, Meeting, User

PW = "correct horse battery"


@pytest.mark.parametrize("path", ["/", "/login", "/privacy", "/api/asyncapi.json", "/api/openapi.json",
                                  "/api/v1/meetings", "/no-such-page", "/docs", "/static/css/app.css"])
def test_security_headers_everywhere(client, path):
    r = client.get(path, headers={"Accept": "text/html"})
    assert r.status_code in (200, 401, 404), path
    csp = r.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in r.headers["Permissions-Policy"]


def test_pages_with_people_or_tokens_are_not_cached(client, factory, auth):
    _mid, code = factory.meeting(factory.user(email="fac1@example.org"))
    auth.login()
    for path in (f"/j/{code}", f"/r/{code}", "/meetings/", "/account"):
        assert client.get(path).headers.get("Cache-Control") == "no-store", path
    r = client.post(f"/j/{code}", json={"display_name": "Sam"})
    assert r.headers.get("Cache-Control") == "no-store"


def test_404_page_and_json_404(client):
    r = client.get("/no-such-page")
    assert r.status_code == 404 and "text/html" in r.headers["Content-Type"]
    r = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.get_json()["ok"] is False


def test_cli_create_facilitator(app, runner):
    r = runner.invoke(args=["create-facilitator", "Cli@Example.org", "Cleo", "--password", PW])
    assert r.exit_code == 0, r.output
    assert "Created facilitator cli@example.org" in r.output
    with app.app_context():
        u = db.session.execute(db.select(User)).scalar_one()
        assert (u.email, u.display_name) == ("cli@example.org", "Cleo")
        assert u.password_hash.startswith("$argon2id$") and PW not in u.password_hash
    c = app.test_client()
    assert c.post("/login", data={"email": "cli@example.org", "password": PW}).status_code == 302


def test_cli_create_facilitator_prompts_for_the_password(app, runner):
    r = runner.invoke(args=["create-facilitator", "p@example.org", "Pia"], input=f"{PW}\n{PW}\n")
    assert r.exit_code == 0, r.output
    assert PW not in r.output, "the password is not echoed"
    with app.app_context():
        assert db.session.execute(db.select(User.email)).scalar_one() == "p@example.org"


@pytest.mark.parametrize("args", [
    ["create-facilitator", "not-an-email", "X", "--password", PW],
    ["create-facilitator", "s@example.org", "X", "--password", "short"],
    ["create-facilitator", "s@example.org", "", "--password", PW],
])
def test_cli_create_facilitator_refuses_bad_input(app, runner, args):
    r = runner.invoke(args=args)
    assert r.exit_code != 0
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(User)).scalar() == 0


def test_cli_create_facilitator_refuses_a_duplicate(app, runner):
    assert runner.invoke(args=["create-facilitator", "d@example.org", "D", "--password", PW]).exit_code == 0
    r = runner.invoke(args=["create-facilitator", "D@example.org", "D2", "--password", PW])
    assert r.exit_code != 0 and "already exists" in r.output
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(User)).scalar() == 1


def test_cli_api_token_works_once_shown(app, runner, client):
    runner.invoke(args=["create-facilitator", "t@example.org", "T", "--password", PW])
    r = runner.invoke(args=["create-api-token", "t@example.org", "scheduler"])
    assert r.exit_code == 0
    token = r.output.strip()
    assert token.startswith("fct_")
    with app.app_context():
        assert token not in db.session.execute(db.select(ApiToken.token_hash)).scalar_one()
    assert client.get("/api/v1/meetings", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert runner.invoke(args=["create-api-token", "nobody@example.org", "x"]).exit_code != 0


# --- facilitator pages: who may see which meeting --------------------------------------------------


def test_meetings_list_shows_only_your_own(app, client, factory, auth):
    mine = factory.user(email="fac1@example.org")
    theirs = factory.user(email="fac2@example.org")
    factory.meeting(mine, title="My Tuesday group")
    factory.meeting(theirs, title="Their secret group")
    auth.login()
    html = client.get("/meetings/").get_data(as_text=True)
    assert "My Tuesday group" in html and "Their secret group" not in html


def test_other_facilitators_meeting_pages_are_404(app, client, factory, auth):
    factory.user(email="fac1@example.org")
    theirs = factory.user(email="fac2@example.org")
    mid, _ = factory.meeting(theirs)
    auth.login()
    for method, path in [("get", f"/meetings/{mid}"), ("get", f"/meetings/{mid}/edit"),
                         ("post", f"/meetings/{mid}/edit"), ("post", f"/meetings/{mid}/archive"),
                         ("post", f"/meetings/{mid}/ruleset")]:
        assert getattr(client, method)(path).status_code == 404, path
    with app.app_context():
        m = db.session.get(Meeting, mid)
        assert m.archived_at is None and m.title == "Tuesday group"


def test_own_meeting_pages_render(client, factory, auth):
    mid, _code = factory.meeting(factory.user(email="fac1@example.org"), title="Thursday peer group")
    auth.login()
    for path in (f"/meetings/{mid}", f"/meetings/{mid}/edit", "/meetings/new"):
        r = client.get(path)
        assert r.status_code == 200, path
    assert "Thursday peer group" in client.get(f"/meetings/{mid}").get_data(as_text=True)


def test_create_meeting_from_the_form(app, client, factory, auth):
    uid = factory.user(email="fac1@example.org")
    auth.login()
    r = client.post("/meetings/new", data={"title": "Formed", "kind": "training", "retention_days": "10",
                                           "group_tags": "A, B", "rules_from": "defaults"})
    assert r.status_code == 302 and "/edit" in r.headers["Location"]
    with app.app_context():
        m = db.session.execute(db.select(Meeting).where(Meeting.owner_id == uid)).scalar_one()
        assert (m.title, m.kind, m.retention_days, m.group_tags, m.state) == ("Formed", "training", 10,
                                                                              ["A", "B"], "draft")
        assert m.rules_version == 1


def test_create_meeting_form_errors_change_nothing(app, client, factory, auth):
    factory.user(email="fac1@example.org")
    auth.login()
    from tests.unit.support import dump_db

    before = dump_db(app)
    r = client.post("/meetings/new", data={"title": "", "kind": "party", "retention_days": "0"})
    assert r.status_code == 422
    assert dump_db(app) == before
