"""The inbox: notices per user, followed cases, and e-mail preferences.

Revision ID: i12c_inbox
Revises: i14_renderer_version
"""

import sqlalchemy as sa
from alembic import op

revision = "i12c_inbox"
down_revision = "i14_renderer_version"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inbox_notices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("link", sa.String(300), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="SET NULL"), nullable=True),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mail_state", sa.String(8), nullable=False),
        sa.Column("mail_attempts", sa.Integer(), nullable=False),
    )
    op.create_index("ix_inbox_notices_unread", "inbox_notices", ["user_id", "read_at"])
    op.create_index("ix_inbox_notices_mail", "inbox_notices", ["mail_state"])
    op.create_table(
        "case_follows",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_case_follows_case_id", "case_follows", ["case_id"])
    op.create_table(
        "inbox_mail_preferences",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("address", sa.String(254), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    op.drop_table("inbox_mail_preferences")
    op.drop_index("ix_case_follows_case_id", table_name="case_follows")
    op.drop_table("case_follows")
    op.drop_index("ix_inbox_notices_mail", table_name="inbox_notices")
    op.drop_index("ix_inbox_notices_unread", table_name="inbox_notices")
    op.drop_table("inbox_notices")
