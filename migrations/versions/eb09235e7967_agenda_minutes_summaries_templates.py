"""agenda items, minutes (decisions, actions), "what I heard" summaries, agenda settings, meeting templates

Revision ID: eb09235e7967
Revises: 2e88845ca02d
Create Date: 2026-11-24 04:06:17.414089
"""
from alembic import op
import sqlalchemy as sa


revision = 'eb09235e7967'
down_revision = '2e88845ca02d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('meeting_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('agenda', sa.JSON(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_meeting_templates_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_templates'))
    )
    with op.batch_alter_table('meeting_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_templates_owner_id'), ['owner_id'], unique=False)

    op.create_table('agenda_settings',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('break_after_minutes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_agenda_settings_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_agenda_settings'))
    )
    op.create_table('agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('presenter_id', sa.Integer(), nullable=True),
    sa.Column('presenter_name', sa.String(length=80), nullable=True),
    sa.Column('planned_seconds', sa.Integer(), nullable=False),
    sa.Column('extended_seconds', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('actual_seconds', sa.Double(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_agenda_items_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['presenter_id'], ['participants.id'], name=op.f('fk_agenda_items_presenter_id_participants'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items'))
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_items_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index('uq_agenda_items_running', ['meeting_id'], unique=True, sqlite_where=sa.text('started_at IS NOT NULL'), postgresql_where=sa.text('started_at IS NOT NULL'))

    op.create_table('agenda_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('what', sa.String(length=500), nullable=False),
    sa.Column('owner', sa.String(length=80), nullable=False),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_agenda_actions_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_agenda_actions_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_actions'))
    )
    with op.batch_alter_table('agenda_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_actions_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_actions_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('agenda_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_agenda_decisions_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_agenda_decisions_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_decisions'))
    )
    with op.batch_alter_table('agenda_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_decisions_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_decisions_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('heard_summaries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('posted_by', sa.Integer(), nullable=True),
    sa.Column('cleared_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_heard_summaries_item_id_agenda_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_heard_summaries_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['posted_by'], ['users.id'], name=op.f('fk_heard_summaries_posted_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_heard_summaries'))
    )
    with op.batch_alter_table('heard_summaries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_heard_summaries_meeting_id'), ['meeting_id'], unique=False)



def downgrade():
    with op.batch_alter_table('heard_summaries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_heard_summaries_meeting_id'))

    op.drop_table('heard_summaries')
    with op.batch_alter_table('agenda_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_decisions_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_decisions_item_id'))

    op.drop_table('agenda_decisions')
    with op.batch_alter_table('agenda_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_actions_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_actions_item_id'))

    op.drop_table('agenda_actions')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index('uq_agenda_items_running', sqlite_where=sa.text('started_at IS NOT NULL'), postgresql_where=sa.text('started_at IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_agenda_items_meeting_id'))

    op.drop_table('agenda_items')
    op.drop_table('agenda_settings')
    with op.batch_alter_table('meeting_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_templates_owner_id'))

    op.drop_table('meeting_templates')
