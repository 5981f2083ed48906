"""Alembic environment for Facilitator, run by Flask-Migrate inside an app context.

The database and the metadata both come from the app, so `flask db upgrade` migrates
whatever DATABASE_URL (or the default SQLite file) points at.
"""
from __future__ import annotations

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy.types import TypeDecorator

config = context.config
log = logging.getLogger("alembic.env")

# Tests run migrations inside their own process and set this to False so that the
# logging set-up in alembic.ini does not replace theirs.
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

migrate_ext = current_app.extensions["migrate"]
db = migrate_ext.db
target_metadata = db.metadata


def render_item(type_, obj, autogen_context):
    """Write our column types (e.g. UTCDateTime) as the plain SQLAlchemy type beneath them.

    A revision must not import application code: the app changes, old revisions must not.
    """
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def skip_empty_revision(context_, revision, directives):
    """`flask db migrate` with no model change writes no file."""
    if getattr(config.cmd_opts, "autogenerate", False):
        script = directives[0]
        if script.upgrade_ops.is_empty():
            directives[:] = []
            log.info("No changes in the models; no revision written.")


def configure_args() -> dict:
    args = dict(migrate_ext.configure_args)
    args.setdefault("compare_type", True)
    args.setdefault("render_item", render_item)
    args.setdefault("process_revision_directives", skip_empty_revision)
    return args


def run_migrations_offline() -> None:
    """Emit SQL to stdout (`flask db upgrade --sql`) instead of touching a database."""
    url = db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True, **configure_args())
    with context.begin_transaction():
        context.run_migrations()


def _run(connection) -> None:
    """Run the migrations on one connection.

    SQLite: batch mode rebuilds a table by copying it and dropping the old one, and with
    foreign keys on, that DROP would cascade-delete the rows that point at it. So foreign
    keys are off while migrating (the pragma only works outside a transaction) and checked
    once at the end instead.
    """
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    try:
        context.configure(connection=connection, target_metadata=target_metadata, **configure_args())
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left rows with dangling foreign keys: {broken[:5]}")
    finally:
        if sqlite:
            connection.commit()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # a caller that already holds a connection
        _run(connection)
        return
    with db.engine.connect() as connection:
        _run(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
