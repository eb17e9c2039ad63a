"""The staff discussion of a case: comments under its history, never part of the published text.

Revision ID: i12c_case_comments
Revises: i12c_inbox
"""

import sqlalchemy as sa
from alembic import op

revision = "i12c_case_comments"
down_revision = "i12c_inbox"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_comments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("body_md", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_case_comments_case_id", "case_comments", ["case_id"])


def downgrade():
    op.drop_index("ix_case_comments_case_id", table_name="case_comments")
    op.drop_table("case_comments")
