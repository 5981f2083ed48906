from __future__ import annotations

import re

import pytest

from facilitator import create_app
from facilitator.extensions import db


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch):
    from facilitator.actions import accounts
    from tests.unit.support import cheap_hasher

    monkeypatch.setattr(accounts, "_hasher", cheap_hasher())


def make_app(tmp_path, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'web.sqlite3'}",
        "SOCKETIO_ASYNC_MODE": "threading",
        "SOCKETIO_MESSAGE_QUEUE": None,
        "WTF_CSRF_ENABLED": False,
        "SIGNUP_ENABLED": True,
        "ALLOWED_ORIGINS": None,
        "SERVER_NAME": "localhost",
        **overrides,
    }
    app = create_app(config)
    with app.app_context():
        db.create_all()
    return app


@pytest.fixture
def csrf_app(tmp_path):
    """An app with CSRF protection on, as in production."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


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
