"""Shared fixtures: an app on a fresh database per test, clients, and small factories."""
from __future__ import annotations

import os

import pytest

from facilitator import create_app
from facilitator.access import Actor
from facilitator.extensions import db as _db
from facilitator.extensions import socketio

from .helpers import needs_service  # noqa: F401  (re-exported for tests)


@pytest.fixture
def app(tmp_path):
    """An app on its own SQLite file (a file, so the socket and HTTP threads share it)."""
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "SOCKETIO_ASYNC_MODE": "threading",
        "SOCKETIO_MESSAGE_QUEUE": None,
        "WTF_CSRF_ENABLED": False,
        "SIGNUP_ENABLED": True,
        "ALLOWED_ORIGINS": None,
        "SERVER_NAME": "localhost",
    })
    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Factory:
    """Make accounts, meetings and participants through the real actions."""

    def __init__(self, app):
        self.app = app
        self.n = 0

    def user(self, email=None, name="Fran", password="correct horse battery"):
        from facilitator.actions.accounts import do_create_user

        self.n += 1
        with self.app.app_context():
            u = do_create_user({"email": email or f"fac{self.n}@example.org", "display_name": name,
                                "password": password})
            _db.session.commit()
            return u.id

    def meeting(self, owner_id, state="open", rules=None, **fields):
        from facilitator.actions.meetings import do_create_meeting, do_set_state
        from facilitator.models import User
        from facilitator.rule_templates import default_rules

        with self.app.app_context():
            owner = _db.session.get(User, owner_id)
            m = do_create_meeting(owner, {"title": fields.pop("title", "Tuesday group"), **fields},
                                  default_rules() if rules is None else rules)
            _db.session.commit()
            if state != "draft":
                do_set_state(Actor("facilitator", m.id, owner_id), m, state)
                _db.session.commit()
            _db.session.info.clear()
            return m.id, m.join_code

    def join(self, meeting_id, name="Sam", role="participant", group_tag=None, ack=True):
        """A participant (token, id); acknowledges the current rules unless `ack=False`."""
        from facilitator.actions.participants import do_join
        from facilitator.actions.rules import do_ack
        from facilitator.models import Meeting

        with self.app.app_context():
            m = _db.session.get(Meeting, meeting_id)
            p, token = do_join(m, {"display_name": name, "group_tag": group_tag}, role)
            if ack:
                do_ack(p, m)
            _db.session.commit()
            return token, p.id


@pytest.fixture
def factory(app):
    return Factory(app)


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, email="fac1@example.org", password="correct horse battery"):
        return self.client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def sockets(app):
    """Open Socket.IO test clients; all are disconnected at the end."""
    opened = []

    def connect(auth=None, flask_client=None, headers=None):
        c = socketio.test_client(app, auth=auth, flask_test_client=flask_client, headers=headers)
        opened.append(c)
        return c

    yield connect
    for c in opened:
        if c.is_connected():
            c.disconnect()


def events(client) -> list[dict]:
    """The `event` envelopes a test client received since the last call."""
    return [m["args"][0] for m in client.get_received() if m["name"] == "event"]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"
