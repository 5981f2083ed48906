"""Sign in, sign out, sign up, sessions, account tokens."""
from __future__ import annotations

import pytest

from facilitator.access import token_hash
from facilitator.extensions import db
from facilitator.models import ApiToken, User
from tests.unit.support import dump_db

from .conftest import logged_in, make_app

PW = "correct horse battery"


def test_login_page_renders(client):
    r = client.get("/login")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'name="email"' in html and 'type="password"' in html and "Sign in" in html


def test_login_success_redirects_and_signs_in(client, factory, auth):
    factory.user(email="fac1@example.org")
    r = auth.login()
    assert r.status_code == 302 and r.headers["Location"].endswith("/meetings/")
    assert logged_in(client)
    assert client.get("/meetings/").status_code == 200


def test_login_is_case_insensitive_on_email(client, factory):
    factory.user(email="fac1@example.org")
    r = client.post("/login", data={"email": "  FAC1@Example.org ", "password": PW})
    assert r.status_code == 302 and logged_in(client)


@pytest.mark.parametrize("email,password", [
    ("fac1@example.org", "wrong password!"), ("nobody@example.org", PW), ("fac1@example.org", ""),
    ("", ""), ("fac1@example.org", PW.upper()),
])
def test_wrong_credentials_are_refused_the_same_way(client, factory, email, password):
    factory.user(email="fac1@example.org")
    r = client.post("/login", data={"email": email, "password": password})
    assert r.status_code == 400
    assert not logged_in(client)
    assert client.get("/meetings/").status_code == 302


def test_unknown_email_and_wrong_password_give_the_same_message(client, factory):
    factory.user(email="fac1@example.org")
    a = client.post("/login", data={"email": "fac1@example.org", "password": "not the password"})
    b = client.post("/login", data={"email": "nobody@example.org", "password": "not the password"})
    assert "do not match" in a.get_data(as_text=True)
    assert a.status_code == b.status_code == 400
    msg = "That email and password do not match an account."
    assert msg in a.get_data(as_text=True) and msg in b.get_data(as_text=True)


@pytest.mark.parametrize("next_url,expected", [
    ("/meetings/new", "/meetings/new"),
    ("//evil.example/x", "/meetings/"),
    ("https://evil.example/", "/meetings/"),
    ("/\\evil.example", "/meetings/"),
])
def test_login_follows_only_local_next(client, factory, next_url, expected):
    factory.user(email="fac1@example.org")
    r = client.post("/login", data={"email": "fac1@example.org", "password": PW, "next": next_url})
    assert r.status_code == 302
    assert r.headers["Location"] == expected or r.headers["Location"] == "http://localhost" + expected


def test_login_required_pages_redirect_to_login(client):
    for path in ("/meetings/", "/meetings/new", "/account"):
        r = client.get(path)
        assert r.status_code == 302 and "/login" in r.headers["Location"], path


def test_logout_clears_the_session(client, factory, auth):
    factory.user(email="fac1@example.org")
    auth.login()
    assert logged_in(client)
    r = auth.logout()
    assert r.status_code == 302
    assert not logged_in(client)
    assert client.get("/meetings/").status_code == 302
    assert client.get("/logout").status_code == 405, "sign-out is a POST (a link cannot sign you out)"


def test_login_starts_a_new_session(client, factory, auth):
    """Session fixation: nothing from before sign-in survives it, and the cookie is a new one."""
    factory.user(email="fac1@example.org")
    with client.session_transaction() as s:
        s["planted"] = "attacker-chosen"
        s["_id"] = "attacker-chosen-id"
    before = client.get_cookie("session").value
    auth.login()
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as s:
        assert "planted" not in s
        assert s.get("_id") != "attacker-chosen-id"
        assert s.get("_user_id")
    # the cookie from before sign-in gives an attacker nothing
    attacker = client.application.test_client()
    attacker.set_cookie("session", before, domain="localhost")
    assert attacker.get("/meetings/").status_code == 302


def test_bumping_the_session_epoch_signs_out_old_cookies(app, client, factory, auth):
    uid = factory.user(email="fac1@example.org")
    auth.login()
    assert client.get("/meetings/").status_code == 200
    with app.app_context():
        db.session.get(User, uid).session_epoch += 1
        db.session.commit()
    assert client.get("/meetings/").status_code == 302


def test_session_cookie_flags(client, factory, auth):
    factory.user(email="fac1@example.org")
    r = auth.login()
    cookie = next(h for h in r.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_signup_disabled_is_404_and_creates_nothing(tmp_path):
    app = make_app(tmp_path, SIGNUP_ENABLED=False)
    c = app.test_client()
    before = dump_db(app)
    assert c.get("/signup").status_code == 404
    r = c.post("/signup", data={"email": "new@example.org", "display_name": "New", "password": PW})
    assert r.status_code == 404
    assert dump_db(app) == before
    assert "/signup" not in c.get("/login").get_data(as_text=True)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_signup_enabled_creates_a_hashed_account_and_signs_in(app, client):
    assert client.get("/signup").status_code == 200
    r = client.post("/signup", data={"email": "New@Example.org", "display_name": "Nia", "password": PW})
    assert r.status_code == 302 and logged_in(client)
    with app.app_context():
        u = db.session.execute(db.select(User)).scalar_one()
        assert u.email == "new@example.org"
        assert u.password_hash.startswith("$argon2id$") and PW not in u.password_hash


@pytest.mark.parametrize("form", [
    {"email": "not-an-email", "display_name": "N", "password": PW},
    {"email": "a@example.org", "display_name": "N", "password": "short"},
    {"email": "a@example.org", "display_name": "", "password": PW},
    {"email": "fac1@example.org", "display_name": "Dup", "password": PW},
])
def test_signup_rejects_bad_forms(app, client, factory, form):
    factory.user(email="fac1@example.org")
    before = dump_db(app)
    r = client.post("/signup", data=form)
    assert r.status_code == 400 and not logged_in(client)
    assert dump_db(app) == before


def test_account_tokens_shown_once_stored_hashed_and_revocable(app, client, factory, auth):
    uid = factory.user(email="fac1@example.org")
    auth.login()
    r = client.post("/account", data={"name": "Calendar sync"})
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    with app.app_context():
        row = db.session.execute(db.select(ApiToken).where(ApiToken.user_id == uid)).scalar_one()
        token_id, stored = row.id, row.token_hash
    shown = [w for w in html.replace('"', " ").replace("<", " ").replace(">", " ").split() if w.startswith("fct_")]
    assert len(shown) == 1 and token_hash(shown[0]) == stored, "the token is shown once and only its hash kept"
    assert shown[0] not in client.get("/account").get_data(as_text=True)
    assert client.get("/api/v1/meetings", headers={"Authorization": f"Bearer {shown[0]}"}).status_code == 200

    # another account cannot revoke it
    other = app.test_client()
    factory.user(email="fac2@example.org")
    other.post("/login", data={"email": "fac2@example.org", "password": PW})
    assert other.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    r = client.post(f"/account/tokens/{token_id}/revoke")
    assert r.status_code == 302
    assert client.get("/api/v1/meetings", headers={"Authorization": f"Bearer {shown[0]}"}).status_code == 401
