"""PostgreSQL connections are pinged on checkout only after sitting unused for
`DB_PING_IDLE_SECONDS`, and a dead one is replaced rather than handed to an action. Real
PostgreSQL, a real killed backend; the app's own engine options (no `pool_pre_ping`)."""
from __future__ import annotations

import time

import sqlalchemy as sa

from facilitator import create_app
from facilitator.config import engine_options
from facilitator.extensions import db
from tests.helpers import PG_ADMIN_URL, scratch_pg_database

IDLE = 0.3


def last_query(admin, pid: int) -> str:
    with admin.connect() as conn:
        return conn.execute(sa.text("SELECT query FROM pg_stat_activity WHERE pid = :p"), {"p": pid}).scalar_one()


def backend(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()


def test_only_idle_connections_are_pinged_and_a_dead_one_is_replaced():
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with scratch_pg_database("fac_ping") as url:
        options = engine_options(url, {})
        assert options["pool_pre_ping"] is False
        app = create_app({"TESTING": True, "SECRET_KEY": "t", "SOCKETIO_ASYNC_MODE": "threading",
                          "SOCKETIO_MESSAGE_QUEUE": None, "SQLALCHEMY_DATABASE_URI": url,
                          "SQLALCHEMY_ENGINE_OPTIONS": options, "DB_PING_IDLE_SECONDS": IDLE})
        try:
            with app.app_context():
                engine = db.engine
                pid = backend(engine)
                # Back in the pool a moment ago: the next checkout uses it without a ping.
                with engine.connect():
                    # (its last statement is the rollback it got on its way back to the pool)
                    assert last_query(admin, pid) == "ROLLBACK"
                time.sleep(IDLE + 0.2)
                with engine.connect():
                    assert last_query(admin, pid) == "SELECT 1"
                # The backend dies while the connection sits in the pool: the ping finds out, and
                # the action gets a new connection instead of an error.
                with admin.connect() as conn:
                    assert conn.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar_one()
                time.sleep(IDLE + 0.2)
                replaced = backend(engine)
                assert replaced != pid
                assert backend(engine) == replaced
                engine.dispose()
        finally:
            admin.dispose()
