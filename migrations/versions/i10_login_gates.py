"""Add a gate row per account name, locked while one login for it is checked (atomic throttling).

Revision ID: i10_login_gates
Revises: i10_staff_sessions
"""

import sqlalchemy as sa
from alembic import op

revision = "i10_login_gates"
down_revision = "i10_staff_sessions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_gates",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("touched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_gates")),
    )


def downgrade():
    op.drop_table("login_gates")
