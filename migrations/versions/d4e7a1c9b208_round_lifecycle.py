"""a round's lifecycle: closed rounds, their snapshot and history

Revision ID: d4e7a1c9b208
Revises: c3a1e07b52d4
Create Date: 2026-11-30 10:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e7a1c9b208'
down_revision = 'c3a1e07b52d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('snapshot', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('lifecycle', sa.JSON(), nullable=True))
    with op.batch_alter_table('self_assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('self_assessments', schema=None) as batch_op:
        batch_op.drop_column('closed')
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.drop_column('lifecycle')
        batch_op.drop_column('snapshot')
        batch_op.drop_column('closed_at')
