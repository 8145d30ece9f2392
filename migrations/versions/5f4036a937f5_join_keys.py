"""join keys

Revision ID: 5f4036a937f5
Revises: 9ba3a10b01f6
Create Date: 2026-11-29 12:34:04.351769

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5f4036a937f5'
down_revision = '9ba3a10b01f6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('respondents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('join_key', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_respondents_join_key'), ['join_key'], unique=True)


def downgrade():
    with op.batch_alter_table('respondents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_respondents_join_key'))
        batch_op.drop_column('join_key')
