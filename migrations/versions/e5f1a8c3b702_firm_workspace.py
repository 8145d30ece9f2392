"""the firm workspace: firms and roles, shared clients, portfolio fields, narrative snippets, password resets,
mailed invitations

Every consultant already on the server joins one firm (named after nothing yet: the admin names it); the
earliest account becomes its admin, so someone can manage the accounts from the UI.

Revision ID: e5f1a8c3b702
Revises: b2d9f4e6a831
Create Date: 2026-11-30 14:00:00.000000

"""

from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e5f1a8c3b702"
down_revision = "b2d9f4e6a831"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "firms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("accent_color", sa.String(length=7), server_default="", nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_type", sa.String(length=20), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    connection = op.get_bind()
    has_accounts = connection.execute(sa.text("SELECT COUNT(*) FROM consultants")).scalar()
    if has_accounts:
        connection.execute(
            sa.text("INSERT INTO firms (id, name, accent_color, logo_type, created_at) VALUES (1, '', '', '', :at)"),
            {"at": datetime.now(timezone.utc)},
        )
    with op.batch_alter_table("consultants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("firm_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("role", sa.String(length=20), server_default="consultant", nullable=False))
        batch_op.add_column(sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=True))
    if has_accounts:
        connection.execute(sa.text("UPDATE consultants SET firm_id = 1"))
        connection.execute(
            sa.text("UPDATE consultants SET role = 'admin' WHERE id = (SELECT MIN(id) FROM consultants)")
        )
    with op.batch_alter_table("consultants", schema=None) as batch_op:
        batch_op.alter_column("firm_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index("ix_consultants_firm_id", ["firm_id"], unique=False)
        batch_op.create_foreign_key("fk_consultants_firm_id", "firms", ["firm_id"], ["id"])

    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("industry", sa.String(length=100), server_default="", nullable=False))
        batch_op.add_column(sa.Column("employees", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("next_round_on", sa.Date(), nullable=True))
    with op.batch_alter_table("respondents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), server_default="", nullable=False))
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("survey_email", sa.String(length=254), server_default="", nullable=False))

    op.create_table(
        "client_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("consultant_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_client_shares_client_id"),
        sa.ForeignKeyConstraint(["consultant_id"], ["consultants.id"], name="fk_client_shares_consultant_id"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("client_id", "consultant_id", name="uq_client_shares_client_consultant"),
    )
    with op.batch_alter_table("client_shares", schema=None) as batch_op:
        batch_op.create_index("ix_client_shares_client_id", ["client_id"], unique=False)
        batch_op.create_index("ix_client_shares_consultant_id", ["consultant_id"], unique=False)

    op.create_table(
        "snippets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["firms.id"], name="fk_snippets_firm_id"),
        sa.ForeignKeyConstraint(["created_by"], ["consultants.id"], name="fk_snippets_created_by"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("snippets", schema=None) as batch_op:
        batch_op.create_index("ix_snippets_firm_id", ["firm_id"], unique=False)

    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultant_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["consultant_id"], ["consultants.id"], name="fk_password_resets_consultant_id"),
        sa.ForeignKeyConstraint(["issued_by"], ["consultants.id"], name="fk_password_resets_issued_by"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.create_index("ix_password_resets_consultant_id", ["consultant_id"], unique=False)
        batch_op.create_index("ix_password_resets_token_hash", ["token_hash"], unique=True)

    op.create_table(
        "mail_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("error", sa.String(length=200), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["engagement_id"], ["engagements.id"], name="fk_mail_sent_engagement_id"),
        sa.ForeignKeyConstraint(["respondent_id"], ["respondents.id"], name="fk_mail_sent_respondent_id"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("mail_sent", schema=None) as batch_op:
        batch_op.create_index("ix_mail_sent_engagement_id", ["engagement_id"], unique=False)
        batch_op.create_index("ix_mail_sent_respondent_id", ["respondent_id"], unique=False)


def downgrade():
    for table, indexes in (
        ("mail_sent", ("ix_mail_sent_respondent_id", "ix_mail_sent_engagement_id")),
        ("password_resets", ("ix_password_resets_token_hash", "ix_password_resets_consultant_id")),
        ("snippets", ("ix_snippets_firm_id",)),
        ("client_shares", ("ix_client_shares_consultant_id", "ix_client_shares_client_id")),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(index)
        op.drop_table(table)
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.drop_column("survey_email")
    with op.batch_alter_table("respondents", schema=None) as batch_op:
        batch_op.drop_column("email")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("next_round_on")
        batch_op.drop_column("employees")
        batch_op.drop_column("industry")
    with op.batch_alter_table("consultants", schema=None) as batch_op:
        batch_op.drop_constraint("fk_consultants_firm_id", type_="foreignkey")
        batch_op.drop_index("ix_consultants_firm_id")
        batch_op.drop_column("deactivated_at")
        batch_op.drop_column("role")
        batch_op.drop_column("firm_id")
    op.drop_table("firms")
