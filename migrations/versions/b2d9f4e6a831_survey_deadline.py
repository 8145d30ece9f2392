"""a round's survey deadline; a proposal's trend across the client's rounds

Revision ID: b2d9f4e6a831
Revises: a7e4c2d19f60
Create Date: 2026-11-30 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2d9f4e6a831'
down_revision = 'a7e4c2d19f60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('survey_deadline', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trend', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_column('trend')
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.drop_column('survey_deadline')
