"""Ids are never given twice (issue 17, finding 2).

Socket rooms are named by ids (`meeting:<id>`, `participant:<id>`, `breakout:<id>`): an id that
comes back after a delete would send a new meeting's events to whatever was left in the old
one's rooms. SQLite without AUTOINCREMENT gives max(id) + 1, so deleting the newest meeting gave
its ids to the next one. Checked on the schema the migrations build (`flask db upgrade` on a
fresh database) and on the one `db.create_all()` builds (the tests' own), on SQLite and on
PostgreSQL: the newest meeting, with people, rules, chat, a hand, a signal, a support request
and a contact plan, is deleted with the owner's delete-now, then another is made; every new
row's id is above every id its table ever held. Then the same with the retention job's purge
(a DELETE, never a TRUNCATE: PostgreSQL's sequences do not go back).
"""
from __future__ import annotations

import pytest
from alembic import command

from facilitator import create_app
from facilitator.extensions import db
from facilitator.models import Meeting

from ..helpers import scratch_pg_database
from .content import all_ids, delete_now, fill_meeting, make_owner, purge

pytestmark = pytest.mark.system

# Tables the meeting below writes to: the check must see new rows there, or it proves nothing.
FILLED = ("meetings", "participants", "ground_rules", "rule_acks", "chat_messages", "hands",
          "signals", "support_requests", "contact_plans")


def build(monkeypatch, tmp_path, uri: str, how: str):
    monkeypatch.setenv("FACILITATOR_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "ids", "SQLALCHEMY_DATABASE_URI": uri,
                      "SOCKETIO_ASYNC_MODE": "threading", "SOCKETIO_MESSAGE_QUEUE": None,
                      "SERVER_NAME": "localhost"})
    with app.app_context():
        if how == "migrated":
            cfg = app.extensions["migrate"].migrate.get_config()
            cfg.attributes["configure_logger"] = False
            command.upgrade(cfg, "head")
        else:
            db.create_all()
        db.session.remove()
    return app


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ids.sqlite3'}"
    else:
        with scratch_pg_database("fac_ids") as url:
            yield url


@pytest.mark.parametrize("how", ["migrated", "create_all"])
def test_ids_of_a_deleted_meeting_are_never_given_again(monkeypatch, tmp_path, database, how):
    app = build(monkeypatch, tmp_path, database, how)
    try:
        with app.app_context():
            owner = make_owner()
            fill_meeting(owner, "KEPT")
            gone = fill_meeting(owner, "GONE-1")
            for step, remove in enumerate((delete_now, purge), start=1):
                ever = all_ids()
                # The meeting to delete holds the newest row of each table: a reuse would show.
                assert max(ever["meetings"]) == gone

                remove(owner, gone)
                left = all_ids()
                assert db.session.get(Meeting, gone) is None
                for name in FILLED:
                    assert left[name] < ever[name], (remove.__name__, name)  # its rows went with it

                again = fill_meeting(owner, f"GONE-{step + 1}")
                now = all_ids()
                assert again > gone, remove.__name__
                for name, ids in now.items():
                    new = ids - left[name]
                    if name in FILLED:
                        assert new, (remove.__name__, name)
                    if ever[name] and new:
                        assert min(new) > max(ever[name]), (remove.__name__, name, sorted(new), max(ever[name]))
                gone = again
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize("how", ["migrated", "create_all"])
def test_postgresql_keys_come_from_sequences_that_never_go_back(monkeypatch, tmp_path, how):
    """On PostgreSQL every surrogate key is SERIAL: its default takes the next value of a sequence
    of its own, which a DELETE or a rollback never moves back and which does not CYCLE (at its
    end it refuses, it does not start again at 1)."""
    import sqlalchemy as sa

    from .content import surrogate_tables

    with scratch_pg_database("fac_seq") as url:
        app = build(monkeypatch, tmp_path, url, how)
        try:
            with app.app_context():
                for table in surrogate_tables():
                    key = list(table.primary_key.columns)[0].name
                    seq = db.session.execute(sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                                             {"t": table.name, "c": key}).scalar()
                    assert seq is not None, table.name
                    cycles = db.session.execute(
                        sa.text("SELECT seqcycle FROM pg_sequence WHERE seqrelid = CAST(:s AS regclass)"),
                        {"s": seq}).scalar()
                    assert cycles is False, table.name
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
