"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL.

If this fails after a model change, write the missing revision:
    .venv/bin/flask --app facilitator db migrate -m "what changed"   (then read and tidy it)
"""
from __future__ import annotations

import uuid
from datetime import timezone

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from facilitator import create_app
from facilitator.extensions import db

from ..helpers import needs_service

pytestmark = pytest.mark.system

PG_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"


def make_app(monkeypatch, tmp_path, uri, engine_options=None):
    monkeypatch.setenv("FACILITATOR_INSTANCE", str(tmp_path / "instance"))
    config = {
        "TESTING": True,
        "SECRET_KEY": "migration-test",
        "SQLALCHEMY_DATABASE_URI": uri,
        "SOCKETIO_ASYNC_MODE": "threading",
        "SOCKETIO_MESSAGE_QUEUE": None,
    }
    if engine_options:
        config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options
    return create_app(config)


def alembic_config(app):
    """Flask-Migrate's Alembic config for this app, leaving pytest's logging alone."""
    cfg = app.extensions["migrate"].migrate.get_config()
    cfg.attributes["configure_logger"] = False
    return cfg


def schema_diff() -> list:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, db.metadata)


def table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def check_round_trip(app) -> None:
    """Upgrade to head gives the models' schema; downgrade to base takes every table away."""
    with app.app_context():
        cfg = alembic_config(app)
        # Against an empty database the comparison must see every table missing;
        # otherwise an empty diff below would prove nothing.
        missing = {d[1].name for d in schema_diff() if d[0] == "add_table"}
        assert missing == set(db.metadata.tables)

        command.upgrade(cfg, "head")
        assert schema_diff() == []
        assert table_names() == set(db.metadata.tables) | {"alembic_version"}
        with db.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        assert current == ScriptDirectory.from_config(cfg).get_current_head()

        check_models_work_on_migrated_schema()

        command.downgrade(cfg, "base")
        assert table_names() == {"alembic_version"}
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar() == 0
        db.session.remove()
        db.engine.dispose()


def check_models_work_on_migrated_schema() -> None:
    """A row written through the real action reads back with its aware UTC timestamp."""
    from facilitator.actions.accounts import do_create_user
    from facilitator.models import User

    user = do_create_user({"email": "mig@example.org", "display_name": "Mig",
                           "password": "correct horse battery"})
    db.session.commit()
    uid = user.id
    db.session.expire_all()
    again = db.session.get(User, uid)
    assert again.email == "mig@example.org"
    assert again.created_at.tzinfo is not None
    assert again.created_at.utcoffset() == timezone.utc.utcoffset(None)
    db.session.delete(again)
    db.session.commit()
    db.session.remove()


def test_migrations_match_models_on_sqlite(monkeypatch, tmp_path):
    app = make_app(monkeypatch, tmp_path, f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
    check_round_trip(app)


@pytest.fixture
def pg_schema():
    """A fresh, uniquely named schema in database `test`, dropped afterwards."""
    needs_service("postgresql")
    name = f"mig_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    try:
        yield name
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        admin.dispose()


def test_migrations_match_models_on_postgresql(monkeypatch, tmp_path, pg_schema):
    options = {"pool_pre_ping": True, "connect_args": {"options": f"-csearch_path={pg_schema}"}}
    app = make_app(monkeypatch, tmp_path, PG_URL, engine_options=options)
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT current_schema()")).scalar() == pg_schema
    check_round_trip(app)
