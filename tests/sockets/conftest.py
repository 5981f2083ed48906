"""Socket-layer helpers: log facilitators in, connect several clients, read what each received."""
from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from facilitator.extensions import db
from facilitator.models import CoFacilitator
from tests.conftest import events
from tests.unit.fastdb import app_fixture

TRACE_MARKERS = ("Traceback", 'File "', ".py", "sqlalchemy", "werkzeug", "marshmallow", " object at 0x")


def assert_clean_ack(ack) -> dict:
    """Every ack is a dict with ok true/false; an error has code, message, fields and no trace."""
    assert isinstance(ack, dict), ack
    assert ack.get("ok") in (True, False), ack
    if ack["ok"] is False:
        err = ack["error"]
        assert set(err) == {"code", "message", "fields"}, err
        assert isinstance(err["code"], str) and isinstance(err["message"], str) and isinstance(err["fields"], dict)
    text = json.dumps(ack.get("error")) if ack["ok"] is False else json.dumps(ack)
    for marker in TRACE_MARKERS[: None if ack["ok"] is False else 2]:
        assert marker not in text, f"{marker!r} in ack {text[:300]}"
    return ack


class Live:
    """A meeting with its facilitator signed in, and a way to connect clients to it."""

    def __init__(self, app, factory, sockets):
        self.app, self.factory, self.sockets = app, factory, sockets
        self.uid = factory.user(email="owner@example.org", name="Fran")
        self.mid, self.code = factory.meeting(self.uid)

    def login(self, email="owner@example.org", password="correct horse battery"):
        client = self.app.test_client()
        r = client.post("/login", data={"email": email, "password": password})
        assert r.status_code == 302, r.status_code
        return client

    def facilitator(self, meeting_id=None, email="owner@example.org"):
        c = self.sockets(auth={"meeting_id": meeting_id or self.mid}, flask_client=self.login(email))
        assert c.is_connected()
        return c

    def cofacilitator(self, email="co@example.org"):
        uid = self.factory.user(email=email, name="Cody")
        with self.app.app_context():
            db.session.add(CoFacilitator(meeting_id=self.mid, user_id=uid))
            db.session.commit()
        return self.facilitator(email=email)

    def participant(self, name="Sam", ack=True, role="participant", group_tag=None, meeting_id=None):
        token, pid = self.factory.join(meeting_id or self.mid, name=name, ack=ack, role=role, group_tag=group_tag)
        c = self.sockets(auth={"token": token})
        assert c.is_connected()
        c.token, c.pid = token, pid
        return c

    @staticmethod
    def call(client, name, *args):
        return assert_clean_ack(client.emit(name, *args, callback=True))


@pytest.fixture
def live(app, factory, sockets):
    return Live(app, factory, sockets)


def drain(*clients):
    for c in clients:
        received(c)


def received(client) -> list[dict]:
    """The `event` envelopes a client got since the last call (also after it was disconnected)."""
    if client.is_connected():
        return events(client)
    got = [m["args"][0] for m in client.queue if m["name"] == "event"]
    client.queue[:] = []
    return got


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch):
    from facilitator.actions import accounts
    from tests.unit.support import cheap_hasher

    monkeypatch.setattr(accounts, "_hasher", cheap_hasher())


@pytest.fixture
def app(tmp_path):
    """The shared `app` fixture, on a copy of a schema built once (see tests/unit/fastdb.py)."""
    yield from app_fixture(tmp_path)


@contextmanager
def sql_statements(app):
    """The SQL statements `app`'s engine runs inside the block (for "refused before any database work")."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def listener(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)

