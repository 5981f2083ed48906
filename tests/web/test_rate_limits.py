"""Anti-automation per address: unknown join codes, failed sign-ins and joins are limited
(facilitator/limits.py); past the limit even a right code or password is refused with a clear 429
(page or JSON, with Retry-After) that changes nothing, other addresses are not affected, and the
limit lifts once its window has passed. X-Forwarded-For counts only behind a configured proxy."""
from __future__ import annotations

import pytest

from facilitator.limits import DEFAULT_LIMITS
from tests.conftest import Factory
from tests.unit.fastdb import close
from tests.unit.support import dump_db

from .conftest import from_address, logged_in, make_app

PW = "correct horse battery"
HERE, THERE = "203.0.113.5", "198.51.100.7"


def test_security_md_states_the_limits_and_the_code_space():
    """SECURITY.md's anti-automation table and code space are the ones the code uses."""
    from pathlib import Path

    from facilitator.actions.meetings import CODE_ALPHABET, CODE_LENGTH

    text = Path(__file__).resolve().parents[2].joinpath("SECURITY.md").read_text()
    assert DEFAULT_LIMITS == {"login": (10, 600.0), "code": (10, 600.0), "join": (60, 60.0),
                              "signup": (5, 3600.0), "hand": (8, 30.0), "reaction": (5, 3.0), "chat": (5, 10.0)}
    for row in ("| unknown join codes and observer keys | 10 per 10 minutes;",
                "| failed sign-ins and wrong set-up codes | 10 per 10 minutes;", "| joins | 60 per minute |",
                "| sign-ups (when enabled) | 5 per hour |", "| hand raises and lowers | 8 per 30 seconds |",
                "| reactions | 5 per 3 seconds |", "| chat messages (facilitators' too) | 5 per 10 seconds |"):
        assert row in text, row
    assert (len(CODE_ALPHABET), CODE_LENGTH) == (29, 8) and "29^8" in text


def test_guessing_join_codes_is_cut_off_even_for_a_right_code(app, factory, clock):
    mid, code = factory.meeting(factory.user())
    from facilitator.extensions import db
    from facilitator.models import Meeting

    with app.app_context():
        observer_key = db.session.get(Meeting, mid).observer_key
    guesser = from_address(app, HERE)
    for i in range(5):
        assert guesser.get(f"/join?code=ZZZZZZZ{i}").status_code == 404
        assert guesser.get(f"/observe/not-a-key-{i}").status_code == 404
    before = dump_db(app)
    page = guesser.get(f"/j/{code}")
    assert page.status_code == 429 and "text/html" in page.content_type
    assert "Too many unknown codes" in page.get_data(as_text=True)
    assert int(page.headers["Retry-After"]) == 600
    r = guesser.post(f"/j/{code}", json={"display_name": "Sam"})
    assert r.status_code == 429
    assert r.get_json()["error"]["code"] == "rate_limited" and r.get_json()["error"]["fields"]["retry_after"] == 600
    assert guesser.get(f"/observe/{observer_key}").status_code == 429
    assert guesser.get(f"/r/{code}").status_code == 429
    assert dump_db(app) == before
    # another address is not affected; a right code never counts
    other = from_address(app, THERE)
    for _ in range(12):
        assert other.get(f"/j/{code}").status_code == 200
    # once the first guess is out of the window, one more try is allowed
    clock.now += 600.5
    assert guesser.get(f"/j/{code}").status_code == 200
    assert guesser.post(f"/j/{code}", json={"display_name": "Sam"}).status_code == 201


def test_failed_sign_ins_are_cut_off_even_for_the_right_password(app, factory, clock):
    factory.user(email="fac1@example.org")
    c = from_address(app, HERE)
    for i in range(10):
        r = c.post("/login", data={"email": "fac1@example.org", "password": f"wrong {i}"})
        assert r.status_code == 400
    r = c.post("/login", data={"email": "fac1@example.org", "password": PW})
    assert r.status_code == 429 and "Too many sign-in attempts" in r.get_data(as_text=True)
    assert not logged_in(c)
    other = from_address(app, THERE)
    assert other.post("/login", data={"email": "fac1@example.org", "password": PW}).status_code == 302
    clock.now += 601
    assert c.post("/login", data={"email": "fac1@example.org", "password": PW}).status_code == 302
    assert logged_in(c)


def test_successful_sign_ins_do_not_count(app, factory, clock):
    factory.user(email="fac1@example.org")
    c = from_address(app, HERE)
    for _ in range(15):
        assert c.post("/login", data={"email": "fac1@example.org", "password": PW}).status_code == 302
        c.post("/logout")


@pytest.fixture
def small_join_app(tmp_path):
    app = make_app(tmp_path, RATE_LIMITS={"join": (3, 60.0)})
    yield app
    close(app)


def test_joins_per_address_are_limited(small_join_app):
    app = small_join_app
    f = Factory(app)
    _mid, code = f.meeting(f.user())
    c = from_address(app, HERE)
    for i in range(3):
        assert c.post(f"/j/{code}", json={"display_name": f"P{i}"}).status_code == 201
    before = dump_db(app)
    r = c.post(f"/j/{code}", json={"display_name": "P4"})
    assert r.status_code == 429 and r.get_json()["error"]["code"] == "rate_limited"
    assert "Too many people joining" in r.get_json()["error"]["message"]
    assert dump_db(app) == before
    # another address still may
    assert from_address(app, THERE).post(f"/j/{code}", json={"display_name": "Q"}).status_code == 201


def test_forwarded_for_is_ignored_without_a_trusted_proxy(app, factory, clock):
    factory.meeting(factory.user())
    c = from_address(app, HERE)
    for i in range(10):
        c.get(f"/join?code=ZZZZZZZ{i}", headers={"X-Forwarded-For": f"192.0.2.{i}"})
    r = c.get("/join?code=ZZZZZZZZ", headers={"X-Forwarded-For": "192.0.2.200"})
    assert r.status_code == 429, "a client cannot pick its own address"


@pytest.fixture
def proxied_app(tmp_path):
    app = make_app(tmp_path, PROXY_HOPS=1)
    yield app
    close(app)


def test_behind_a_trusted_proxy_the_forwarded_address_counts(proxied_app):
    app = proxied_app
    Factory(app).meeting(Factory(app).user(email="x@example.org"))
    proxy = from_address(app, "127.0.0.1")
    for i in range(10):
        proxy.get(f"/join?code=ZZZZZZZ{i}", headers={"X-Forwarded-For": HERE})
    assert proxy.get("/join?code=ZZZZZZZZ", headers={"X-Forwarded-For": HERE}).status_code == 429
    assert proxy.get("/join?code=ZZZZZZZZ", headers={"X-Forwarded-For": THERE}).status_code == 404


def test_wrong_set_up_codes_count_as_failed_sign_ins(tmp_path):
    """The first-run page's one-time code (60 bits) cannot be tried on and on either."""
    from facilitator.web.firstrun import ensure_setup_code

    app = make_app(tmp_path)
    try:
        with app.app_context():
            code = ensure_setup_code(app)
        c = from_address(app, HERE)
        form = {"email": "first@example.org", "display_name": "First", "password": PW}
        for i in range(10):
            assert c.post("/setup", data={**form, "setup_code": f"WRONG{i:07d}"}).status_code == 400
        before = dump_db(app)
        assert c.post("/setup", data={**form, "setup_code": code}).status_code == 429
        assert dump_db(app) == before
        assert from_address(app, THERE).post("/setup", data={**form, "setup_code": code}).status_code == 302
    finally:
        close(app)


def test_sign_ups_per_address_are_limited(app, clock):
    c = from_address(app, HERE)
    for i in range(5):
        r = c.post("/signup", data={"email": f"s{i}@example.org", "display_name": f"S{i}", "password": PW})
        assert r.status_code == 302
        c.post("/logout")
    before = dump_db(app)
    r = c.post("/signup", data={"email": "s9@example.org", "display_name": "S9", "password": PW})
    assert r.status_code == 429 and dump_db(app) == before


def test_a_sign_in_lasts_twelve_hours_from_the_last_request(app, factory):
    from datetime import timedelta

    factory.user(email="fac1@example.org")
    assert app.permanent_session_lifetime == timedelta(hours=12)
    r = app.test_client().post("/login", data={"email": "fac1@example.org", "password": PW})
    assert r.status_code == 302 and "Expires=" in r.headers["Set-Cookie"]
