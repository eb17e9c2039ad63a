"""Add submissions (报送) and the messages about them.

Revision ID: i12a_submissions
Revises: i12a_contributor_role
"""

import sqlalchemy as sa
from alembic import op

revision = "i12a_submissions"
down_revision = "i12a_contributor_role"
branch_labels = None
depends_on = None

STATUSES = "status IN ('submitted', 'needs_more', 'accepted', 'declined')"
KINDS = "kind IN ('ask', 'reply', 'accept', 'decline')"


def user_key(column: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"),
                                   ondelete="SET NULL")


def upgrade():
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("place", sa.String(120), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("actions", sa.Text(), nullable=False),
        sa.Column("results", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(200), nullable=False),
        sa.Column("document_md", sa.Text(), nullable=False),
        sa.Column("conversion_notes", sa.JSON(), nullable=False),
        sa.Column("attachment_name", sa.String(255), nullable=False),
        sa.Column("attachment_stored", sa.String(64), nullable=True),
        sa.Column("attachment_size", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        user_key("contributor_id", "submissions"),
        user_key("decided_by_id", "submissions"),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"], name=op.f("fk_submissions_region_id_regions"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=op.f("fk_submissions_area_id_areas"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_submissions_case_id_cases"),
                                ondelete="SET NULL"),
        sa.CheckConstraint(STATUSES, name=op.f("ck_submissions_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
        sa.UniqueConstraint("attachment_stored", name=op.f("uq_submissions_attachment_stored")),
    )
    op.create_index(op.f("ix_submissions_contributor_id"), "submissions", ["contributor_id"])
    op.create_index(op.f("ix_submissions_status"), "submissions", ["status"])
    op.create_table(
        "submission_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"],
                                name=op.f("fk_submission_messages_submission_id_submissions"), ondelete="CASCADE"),
        user_key("author_id", "submission_messages"),
        sa.CheckConstraint(KINDS, name=op.f("ck_submission_messages_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_messages")),
    )
    op.create_index(op.f("ix_submission_messages_submission_id"), "submission_messages", ["submission_id"])


def downgrade():
    op.drop_table("submission_messages")
    op.drop_table("submissions")
