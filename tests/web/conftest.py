from __future__ import annotations

import re

import pytest

from facilitator.extensions import db
from tests.unit.fastdb import app_fixture, close, fresh_app, schema_template


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch):
    from facilitator.actions import accounts
    from tests.unit.support import cheap_hasher

    monkeypatch.setattr(accounts, "_hasher", cheap_hasher())


def make_app(tmp_path, **overrides):
    """An app like the `app` fixture's, with some settings changed (on its own copied database)."""
    return fresh_app(tmp_path, schema_template(tmp_path.parent), **overrides)


@pytest.fixture
def csrf_app(tmp_path):
    """An app with CSRF protection on, as in production."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    yield app
    close(app)


@pytest.fixture
def api(app, factory):
    """A facilitator with an API token: `api.headers`, `api.uid`."""
    from facilitator.actions.accounts import do_create_token
    from facilitator.models import User

    class Api:
        pass

    a = Api()
    a.uid = factory.user(email="api@example.org", name="Ada")
    with app.app_context():
        _, token = do_create_token(db.session.get(User, a.uid), "scheduler")
        db.session.commit()
    a.token = token
    a.headers = {"Authorization": f"Bearer {token}"}
    return a


def csrf_token_from(html: str) -> str:
    m = re.search(r'name="csrf[-_]token" (?:content|value)="([^"]+)"', html)
    assert m, "no CSRF token on the page"
    return m.group(1)


def logged_in(client) -> bool:
    with client.session_transaction() as s:
        return "_user_id" in s


@pytest.fixture
def app(tmp_path):
    """The shared `app` fixture, on a copy of a schema built once (see tests/unit/fastdb.py)."""
    yield from app_fixture(tmp_path)


def from_address(app, address: str):
    """A test client whose requests come from `address` (as if that were the client's IP)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.fixture
def clock(app):
    """A fake clock for every rate limit of `app`."""
    from facilitator.limits import DEFAULT_LIMITS, limiter
    from tests.unit.test_reactions import Clock

    c = Clock()
    for name in DEFAULT_LIMITS:
        limiter(name, app).clock = c
    return c

