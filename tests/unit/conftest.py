from __future__ import annotations

from dataclasses import dataclass

import pytest

from facilitator.extensions import db
from tests.unit.fastdb import app_fixture

from .support import facilitator, participant


@dataclass
class World:
    """One facilitator's open meeting with one participant inside (rules acknowledged)."""

    uid: int
    mid: int
    code: str
    pid: int
    token: str

    @property
    def fac(self):
        return facilitator(self.mid, self.uid)

    @property
    def part(self):
        return participant(self.mid, self.pid)


@pytest.fixture
def world(factory) -> World:
    uid = factory.user()
    mid, code = factory.meeting(uid)
    token, pid = factory.join(mid, name="Alex")
    return World(uid, mid, code, pid, token)


@pytest.fixture
def ctx(app):
    """An app context with a clean session, for calling actions directly."""
    with app.app_context():
        db.session.remove()
        yield db.session
        db.session.rollback()
        db.session.remove()


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch):
    from facilitator.actions import accounts
    from tests.unit.support import cheap_hasher

    monkeypatch.setattr(accounts, "_hasher", cheap_hasher())


@pytest.fixture
def app(tmp_path):
    """The shared `app` fixture, on a copy of a schema built once (see tests/unit/fastdb.py)."""
    yield from app_fixture(tmp_path)


@pytest.fixture
def pg_app(request):
    """An app on a fresh PostgreSQL database of its own (skipped locally without PostgreSQL,
    a failure under CI=true), dropped afterwards."""
    from facilitator import create_app
    from tests.helpers import scratch_pg_database

    with scratch_pg_database(f"fac_{request.module.__name__.rsplit('.', 1)[-1][5:]}") as url:
        pg = create_app({"TESTING": True, "SECRET_KEY": "t", "SOCKETIO_ASYNC_MODE": "threading",
                         "SOCKETIO_MESSAGE_QUEUE": None, "SERVER_NAME": "localhost",
                         "SQLALCHEMY_DATABASE_URI": url})
        try:
            with pg.app_context():
                db.create_all()
            yield pg
        finally:
            with pg.app_context():
                db.session.remove()
                db.engine.dispose()
