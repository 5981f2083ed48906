"""ids are never reused: AUTOINCREMENT on every integer surrogate key (SQLite)

Revision ID: 892dbf853531
Revises: 5e1f0a7c2b19
Create Date: 2026-11-24 12:00:00

Without AUTOINCREMENT, SQLite gives a new row max(id) + 1, so deleting the newest meeting (or
participant, or message...) gives its id to the next one, and ids name socket rooms
(`meeting:<id>`, `participant:<id>`, `breakout:<id>`). With it, the highest id ever given is
kept in `sqlite_sequence` and never given again.

SQLite cannot add AUTOINCREMENT to an existing table, so batch mode rebuilds each table listed
below: it creates the new table, copies every row with its id, drops the old one and renames
the new one, then recreates its indexes. Columns, defaults, unique constraints, foreign keys
(with their ON DELETE) and indexes are reflected from the table itself and kept. The rebuild
must run with foreign keys off (migrations/env.py turns them off and runs `foreign_key_check`
at the end): with them on, dropping the old `meetings` would cascade-delete every row that
points at it. `sqlite_sequence` starts at each table's largest id; an id above it that was
deleted before this revision cannot be known and may be given once more, which no socket can
notice after the restart that comes with an upgrade (rooms live in the server processes).

Tables whose integer key is also a foreign key (a meeting's settings rows, a participant's
chat mute) keep the id of what they belong to and are left alone; so are the tables with
composite or text keys.

PostgreSQL: nothing to do. The initial schema made these columns SERIAL, whose sequences
only go forward (a DELETE, a rollback or a purge never moves them back).
"""
from alembic import op
import sqlalchemy as sa


revision = '892dbf853531'
down_revision = '5e1f0a7c2b19'
branch_labels = None
depends_on = None

# Every table with a single-column INTEGER primary key that is not a foreign key, as of the
# previous revision (tests/system/test_migrations.py checks this list against the models).
TABLES = (
    'users', 'api_tokens', 'meeting_templates', 'meetings', 'rule_sets', 'ground_rules',
    'rule_acks', 'participants', 'hands', 'turns', 'gorounds', 'polls', 'poll_options',
    'signals', 'support_requests', 'breakout_rounds', 'breakout_rooms', 'contact_plans',
    'drop_alerts', 'chat_messages', 'agenda_items', 'agenda_decisions', 'agenda_actions',
    'heard_summaries', 'audit_entries', 'attendance',
)


def _rebuild(autoincrement: bool) -> None:
    if op.get_context().dialect.name != 'sqlite':
        return
    if op.get_context().as_sql:
        raise RuntimeError('on SQLite this revision rebuilds tables from what it reads in the database: '
                           'run it against the database (flask db upgrade), not with --sql')
    bind = op.get_bind()
    if bind.exec_driver_sql('PRAGMA foreign_keys').scalar():
        raise RuntimeError('foreign keys are on: rebuilding a table would cascade-delete the rows '
                           'that point at it (run through migrations/env.py, which turns them off)')
    for name in TABLES:
        # The key of an AUTOINCREMENT table is written inline, without its constraint name; the
        # naming convention gives `pk_<table>` back to the table rebuilt without it (downgrade).
        with op.batch_alter_table(name, recreate='always', naming_convention={'pk': 'pk_%(table_name)s'},
                                  table_kwargs={'sqlite_autoincrement': autoincrement}):
            pass


def upgrade():
    _rebuild(True)


def downgrade():
    _rebuild(False)
