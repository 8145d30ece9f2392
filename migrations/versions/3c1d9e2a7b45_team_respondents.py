"""team respondents: a respondent belongs to a workshop round or to a self-assessment; the time of their last save

Revision ID: 3c1d9e2a7b45
Revises: 57c66245683b
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c1d9e2a7b45'
down_revision = '57c66245683b'
branch_labels = None
depends_on = None

ONE_OWNER = (
    "(engagement_id IS NOT NULL AND self_assessment_id IS NULL) OR "
    "(engagement_id IS NULL AND self_assessment_id IS NOT NULL)"
)


def upgrade():
    # Batch mode: SQLite alters a column or adds a constraint by copying the table (the rows are kept).
    with op.batch_alter_table('respondents', schema=None) as batch_op:
        batch_op.alter_column('engagement_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('self_assessment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            'fk_respondents_self_assessment_id', 'self_assessments', ['self_assessment_id'], ['id']
        )
        batch_op.create_index(batch_op.f('ix_respondents_self_assessment_id'), ['self_assessment_id'], unique=False)
        batch_op.create_check_constraint('ck_respondents_one_owner', ONE_OWNER)


def downgrade():
    # A team's respondents have no round to go back to: they are removed with the column.
    op.execute("DELETE FROM respondents WHERE engagement_id IS NULL")
    with op.batch_alter_table('respondents', schema=None) as batch_op:
        batch_op.drop_constraint('ck_respondents_one_owner', type_='check')
        batch_op.drop_index(batch_op.f('ix_respondents_self_assessment_id'))
        batch_op.drop_constraint('fk_respondents_self_assessment_id', type_='foreignkey')
        batch_op.drop_column('self_assessment_id')
        batch_op.drop_column('answered_at')
        batch_op.alter_column('engagement_id', existing_type=sa.Integer(), nullable=False)
