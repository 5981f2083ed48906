"""safety settings: ask for contact details on joining

Revision ID: 2e88845ca02d
Revises: 29a1d72a9c14
Create Date: 2026-11-24 03:09:12.859566
"""
from alembic import op
import sqlalchemy as sa


revision = '2e88845ca02d'
down_revision = '29a1d72a9c14'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('safety_settings',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('require_contact', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_safety_settings_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_safety_settings'))
    )


def downgrade():
    op.drop_table('safety_settings')

