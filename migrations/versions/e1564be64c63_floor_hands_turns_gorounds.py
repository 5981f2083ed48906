"""floor: raised hands, speaking turns, go-rounds, and the meeting's queue mode

At most one open turn per meeting is enforced by a partial unique index (SQLite and PostgreSQL
both support `WHERE ended_at IS NULL`).

Revision ID: e1564be64c63
Revises: ec5d2dd6256e
Create Date: 2026-11-24 01:44:42.964672
"""
from alembic import op
import sqlalchemy as sa


revision = 'e1564be64c63'
down_revision = 'ec5d2dd6256e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('gorounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('order', sa.JSON(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.Column('index', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_gorounds_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gorounds'))
    )
    with op.batch_alter_table('gorounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gorounds_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('hands',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('order_key', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_hands_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_hands_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hands')),
    sa.UniqueConstraint('participant_id', name=op.f('uq_hands_participant_id'))
    )
    with op.batch_alter_table('hands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hands_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('turns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('hand_kind', sa.String(length=16), nullable=True),
    sa.Column('goround_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['goround_id'], ['gorounds.id'], name=op.f('fk_turns_goround_id_gorounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_turns_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_turns_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_turns'))
    )
    with op.batch_alter_table('turns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_turns_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_turns_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index('uq_turns_open_per_meeting', ['meeting_id'], unique=True, sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queue_mode', sa.String(length=8), server_default='time', nullable=False))



def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('queue_mode')

    with op.batch_alter_table('turns', schema=None) as batch_op:
        batch_op.drop_index('uq_turns_open_per_meeting', sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_turns_participant_id'))
        batch_op.drop_index(batch_op.f('ix_turns_meeting_id'))

    op.drop_table('turns')
    with op.batch_alter_table('hands', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hands_meeting_id'))

    op.drop_table('hands')
    with op.batch_alter_table('gorounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gorounds_meeting_id'))

    op.drop_table('gorounds')
