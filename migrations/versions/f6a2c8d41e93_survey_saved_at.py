"""the survey's own "last saved" time, apart from the row's (which consensus saves and closing moved)

A survey already filled in keeps its row's last save as its own time; a survey nobody filled in stays empty.

Revision ID: f6a2c8d41e93
Revises: e5f1a8c3b702
Create Date: 2026-11-30 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f6a2c8d41e93'
down_revision = 'e5f1a8c3b702'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('self_assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('survey_saved_at', sa.DateTime(timezone=True), nullable=True))
    # The JSON document compared as text: CAST works on SQLite and PostgreSQL alike (PostgreSQL has no LIKE on json).
    document = "CAST(document AS TEXT)"
    op.execute(
        "UPDATE self_assessments SET survey_saved_at = updated_at "
        f"WHERE {document} LIKE '%\"survey\"%' OR {document} LIKE '%\"employees\"%' "
        f"OR {document} LIKE '%\"industry\"%'"
    )


def downgrade():
    with op.batch_alter_table('self_assessments', schema=None) as batch_op:
        batch_op.drop_column('survey_saved_at')
