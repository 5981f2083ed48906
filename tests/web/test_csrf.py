"""CSRF is really enforced when on (as in production): forms, the JSON join, sign-out; not the bearer API."""
from __future__ import annotations

from tests.conftest import Factory
from tests.unit.support import dump_db

from .conftest import csrf_token_from, logged_in

PW = "correct horse battery"


def _setup(app):
    f = Factory(app)
    uid = f.user(email="fac1@example.org")
    mid, code = f.meeting(uid)
    return f, uid, mid, code


def test_login_form_without_or_with_a_wrong_token_is_refused(csrf_app):
    _setup(csrf_app)
    c = csrf_app.test_client()
    c.get("/login")
    for extra in ({}, {"csrf_token": "forged"}, {"csrf_token": ""}):
        r = c.post("/login", data={"email": "fac1@example.org", "password": PW, **extra})
        assert r.status_code == 400, extra
        assert not logged_in(c)
    r = c.post("/login", data={"email": "fac1@example.org", "password": PW},
               headers={"Accept": "application/json"})
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "csrf"


def test_login_form_with_the_pages_token_works(csrf_app):
    _setup(csrf_app)
    c = csrf_app.test_client()
    token = csrf_token_from(c.get("/login").get_data(as_text=True))
    r = c.post("/login", data={"email": "fac1@example.org", "password": PW, "csrf_token": token})
    assert r.status_code == 302 and logged_in(c)


def test_token_from_another_browser_session_is_refused(csrf_app):
    _setup(csrf_app)
    attacker = csrf_app.test_client()
    stolen = csrf_token_from(attacker.get("/login").get_data(as_text=True))
    victim = csrf_app.test_client()
    victim.get("/login")
    r = victim.post("/login", data={"email": "fac1@example.org", "password": PW, "csrf_token": stolen})
    assert r.status_code == 400 and not logged_in(victim)


def _signed_in(app):
    c = app.test_client()
    token = csrf_token_from(c.get("/login").get_data(as_text=True))
    assert c.post("/login", data={"email": "fac1@example.org", "password": PW, "csrf_token": token}).status_code == 302
    return c


def test_logout_needs_the_token(csrf_app):
    _setup(csrf_app)
    c = _signed_in(csrf_app)
    assert c.post("/logout").status_code == 400
    assert logged_in(c), "a cross-site POST cannot sign you out"
    token = csrf_token_from(c.get("/meetings/").get_data(as_text=True))
    assert c.post("/logout", data={"csrf_token": token}).status_code == 302
    assert not logged_in(c)


def test_meeting_form_needs_the_token(csrf_app):
    _setup(csrf_app)
    c = _signed_in(csrf_app)
    before = dump_db(csrf_app)
    r = c.post("/meetings/new", data={"title": "Forged", "kind": "group", "retention_days": "30"})
    assert r.status_code == 400
    assert dump_db(csrf_app) == before
    token = csrf_token_from(c.get("/meetings/new").get_data(as_text=True))
    r = c.post("/meetings/new", data={"title": "Real", "kind": "group", "retention_days": "30",
                                      "csrf_token": token})
    assert r.status_code == 302
    assert dump_db(csrf_app)["meetings"] != before["meetings"]


def test_account_token_form_needs_the_token(csrf_app):
    _setup(csrf_app)
    c = _signed_in(csrf_app)
    before = dump_db(csrf_app)
    assert c.post("/account", data={"name": "forged"}).status_code == 400
    assert dump_db(csrf_app)["api_tokens"] == before["api_tokens"]


def test_json_join_needs_the_header_token(csrf_app):
    _f, _uid, _mid, code = _setup(csrf_app)
    c = csrf_app.test_client()
    before = dump_db(csrf_app)
    r = c.post(f"/j/{code}", json={"display_name": "Sam"})
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "csrf"
    r = c.post(f"/j/{code}", json={"display_name": "Sam"}, headers={"X-CSRFToken": "forged"})
    assert r.status_code == 400
    assert dump_db(csrf_app) == before

    token = csrf_token_from(c.get(f"/j/{code}").get_data(as_text=True))
    r = c.post(f"/j/{code}", json={"display_name": "Sam"}, headers={"X-CSRFToken": token})
    assert r.status_code == 201 and r.get_json()["ok"] is True


def test_bearer_api_is_exempt_and_ignores_cookies(csrf_app):
    """The API takes no cookies, so it needs no CSRF token; a signed-in browser alone gets 401."""
    from facilitator.actions.accounts import do_create_token
    from facilitator.extensions import db
    from facilitator.models import User

    _f, uid, _mid, _code = _setup(csrf_app)
    with csrf_app.app_context():
        _, token = do_create_token(db.session.get(User, uid), "t")
        db.session.commit()
    c = _signed_in(csrf_app)
    assert c.post("/api/v1/meetings", json={"title": "Cookie only"}).status_code == 401
    r = c.post("/api/v1/meetings", json={"title": "Bearer"}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201
