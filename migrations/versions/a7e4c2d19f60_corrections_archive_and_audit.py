"""clients and rounds can be archived; the workshop's audit log

Revision ID: a7e4c2d19f60
Revises: c3a1e07b52d4
Create Date: 2026-12-02 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7e4c2d19f60'
down_revision = 'd4e7a1c9b208'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'audit_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultant_id', sa.Integer(), nullable=True),
        sa.Column('client_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('object_type', sa.String(length=20), nullable=False),
        sa.Column('object_id', sa.Integer(), nullable=False),
        sa.Column('detail', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['consultant_id'], ['consultants.id'], name='fk_audit_entries_consultant_id'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_consultant_id', ['consultant_id'], unique=False)
        batch_op.create_index('ix_audit_entries_client_id', ['client_id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_client_id')
        batch_op.drop_index('ix_audit_entries_consultant_id')
    op.drop_table('audit_entries')
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
