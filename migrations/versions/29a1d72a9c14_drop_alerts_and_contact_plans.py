"""drop alerts (unexpected connection losses) and contact plans, facilitator-only and deleted with the meeting

Revision ID: 29a1d72a9c14
Revises: 433d4028de25
Create Date: 2026-11-24 02:58:22.690985
"""
from alembic import op
import sqlalchemy as sa


revision = '29a1d72a9c14'
down_revision = '433d4028de25'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contact_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('given', sa.String(length=300), nullable=True),
    sa.Column('given_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('plan', sa.String(length=600), nullable=True),
    sa.Column('plan_updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('plan_updated_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_contact_plans_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_contact_plans_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_updated_by'], ['users.id'], name=op.f('fk_contact_plans_plan_updated_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_plans')),
    sa.UniqueConstraint('participant_id', name=op.f('uq_contact_plans_participant_id'))
    )
    with op.batch_alter_table('contact_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_plans_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('drop_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('dropped_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by'], ['users.id'], name=op.f('fk_drop_alerts_acknowledged_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_drop_alerts_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_drop_alerts_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drop_alerts'))
    )
    with op.batch_alter_table('drop_alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drop_alerts_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_drop_alerts_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index('uq_drop_alerts_unresolved', ['participant_id'], unique=True, sqlite_where=sa.text('resolved_at IS NULL'), postgresql_where=sa.text('resolved_at IS NULL'))



def downgrade():
    with op.batch_alter_table('drop_alerts', schema=None) as batch_op:
        batch_op.drop_index('uq_drop_alerts_unresolved', sqlite_where=sa.text('resolved_at IS NULL'), postgresql_where=sa.text('resolved_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_drop_alerts_participant_id'))
        batch_op.drop_index(batch_op.f('ix_drop_alerts_meeting_id'))

    op.drop_table('drop_alerts')
    with op.batch_alter_table('contact_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_plans_meeting_id'))

    op.drop_table('contact_plans')
