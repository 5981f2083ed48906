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


# ---- ids never reused: AUTOINCREMENT on SQLite (revision 892dbf853531, issue 17 finding 2) ----

BEFORE_AUTOINCREMENT = "5e1f0a7c2b19"


def sqlite_schema(engine) -> dict:
    """Each table as SQLite has it: columns, keys, foreign keys (ON DELETE included), unique
    constraints and indexes with their names, and whether its key is AUTOINCREMENT. Column
    order is left out (a column added by a later revision comes last)."""
    insp = sa.inspect(engine)
    out = {}
    with engine.connect() as conn:
        for name in insp.get_table_names():
            if name == "alembic_version":
                continue
            sql = conn.execute(sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :n"),
                               {"n": name}).scalar()
            out[name] = {
                "columns": sorted((c["name"], str(c["type"]), c["nullable"], c["default"])
                                  for c in insp.get_columns(name)),
                "key": insp.get_pk_constraint(name)["constrained_columns"],
                "foreign_keys": sorted((fk["name"], tuple(fk["constrained_columns"]), fk["referred_table"],
                                        tuple(fk["referred_columns"]), tuple(sorted(fk["options"].items())))
                                       for fk in insp.get_foreign_keys(name)),
                "unique": sorted((u["name"], tuple(u["column_names"])) for u in insp.get_unique_constraints(name)),
                "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                                  for i in insp.get_indexes(name)),
                "checks": sorted((c["name"], c["sqltext"]) for c in insp.get_check_constraints(name)),
                "autoincrement": "AUTOINCREMENT" in sql.upper(),
            }
    return out


def surrogate_table_names() -> set[str]:
    from .content import surrogate_tables

    return {t.name for t in surrogate_tables()}


def test_migrated_sqlite_schema_is_the_create_all_schema(monkeypatch, tmp_path):
    """`compare_metadata` does not look at AUTOINCREMENT (nor at ON DELETE): compare what SQLite
    itself holds after `upgrade head` with what `create_all` (the tests' schema) makes."""
    built = make_app(monkeypatch, tmp_path, f"sqlite:///{tmp_path / 'built.sqlite3'}")
    with built.app_context():
        db.create_all()
        expected = sqlite_schema(db.engine)
        db.session.remove()
        db.engine.dispose()
    migrated = make_app(monkeypatch, tmp_path, f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
    with migrated.app_context():
        command.upgrade(alembic_config(migrated), "head")
        got = sqlite_schema(db.engine)
        db.session.remove()
        db.engine.dispose()
    assert got == expected
    with_autoincrement = {name for name, table in got.items() if table["autoincrement"]}
    assert with_autoincrement == surrogate_table_names() and len(with_autoincrement) >= 20


def table_rows(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {t.name: [tuple(r) for r in conn.execute(sa.select(t).order_by(*t.primary_key.columns))]
                for t in db.metadata.sorted_tables}


def test_autoincrement_revision_keeps_every_row_and_constraint(monkeypatch, tmp_path):
    """The revision rebuilds 26 tables on SQLite: every row survives with its id, foreign keys
    still point at their rows and still cascade, `sqlite_sequence` starts at each table's
    largest id, and the downgrade gives back the previous schema with the same rows."""
    from facilitator.models import ChatMessage, Meeting, Participant

    from .content import delete_now, fill_meeting, make_owner

    app = make_app(monkeypatch, tmp_path, f"sqlite:///{tmp_path / 'upgrade.sqlite3'}")
    with app.app_context():
        cfg = alembic_config(app)
        command.upgrade(cfg, BEFORE_AUTOINCREMENT)
        schema_before = sqlite_schema(db.engine)
        assert not any(t["autoincrement"] for t in schema_before.values())
        owner = make_owner()
        first = fill_meeting(owner, "FIRST")
        second = fill_meeting(owner, "SECOND")
        rows = table_rows(db.engine)
        assert rows["chat_messages"] and rows["contact_plans"] and rows["rule_acks"]

        command.upgrade(cfg, "head")
        assert table_rows(db.engine) == rows
        schema_after = sqlite_schema(db.engine)
        for name, table in schema_after.items():
            assert table["autoincrement"] == (name in surrogate_table_names()), name
            assert {**table, "autoincrement": None} == {**schema_before[name], "autoincrement": None}, name
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # back on after migrating
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            sequence = dict(conn.exec_driver_sql("SELECT name, seq FROM sqlite_sequence").all())
        for name in surrogate_table_names():
            if rows[name]:
                assert sequence[name] == max(r[0] for r in rows[name]), name

        # The cascades still work on the rebuilt tables, and the next ids are new.
        delete_now(owner, second)
        assert db.session.execute(sa.select(sa.func.count()).select_from(Participant)
                                  .where(Participant.meeting_id == second)).scalar() == 0
        assert db.session.execute(sa.select(sa.func.count()).select_from(ChatMessage)
                                  .where(ChatMessage.meeting_id == second)).scalar() == 0
        third = fill_meeting(owner, "THIRD")
        assert third > second
        kept = table_rows(db.engine)
        db.session.remove()

        command.downgrade(cfg, BEFORE_AUTOINCREMENT)
        assert table_rows(db.engine) == kept
        assert sqlite_schema(db.engine) == schema_before
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert db.session.get(Meeting, first) is not None
        db.session.remove()
        db.engine.dispose()
