"""a self-assessment's re-assessment baseline (the earlier diagnosis and its day)

Revision ID: c3a1e07b52d4
Revises: 57c66245683b
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a1e07b52d4'
down_revision = '3c1d9e2a7b45'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('self_assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('baseline', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('baseline_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('self_assessments', schema=None) as batch_op:
        batch_op.drop_column('baseline_on')
        batch_op.drop_column('baseline')
