"""Add the content generation: one counter bumped by every change public pages show.

Revision ID: i13_content_generation
Revises: i10_login_gates
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "i13_content_generation"
down_revision = "i10_login_gates"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "content_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_generation")),
    )
    op.bulk_insert(table, [{"id": 1, "value": 1, "changed_at": datetime.now(UTC)}])


def downgrade():
    op.drop_table("content_generation")
