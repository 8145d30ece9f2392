"""rendered_pdfs: finished PDFs in the database, for app nodes and PDF workers on several machines

Revision ID: a7c3e9d2b614
Revises: f6a2c8d41e93
Create Date: 2026-11-30 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e9d2b614'
down_revision = 'f6a2c8d41e93'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'rendered_pdfs',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )
    with op.batch_alter_table('rendered_pdfs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rendered_pdfs_used_at'), ['used_at'], unique=False)


def downgrade():
    with op.batch_alter_table('rendered_pdfs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rendered_pdfs_used_at'))
    op.drop_table('rendered_pdfs')
