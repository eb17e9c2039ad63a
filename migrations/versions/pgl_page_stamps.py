"""Add page stamps and the shared content generation: a case page turns over only when what it shows changes.

Revision ID: pgl_page_stamps
Revises: c10_working_copy_imports
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "pgl_page_stamps"
down_revision = "c10_working_copy_imports"
branch_labels = None
depends_on = None

SHARED_ROW_ID = 2


def upgrade():
    op.create_table(
        "page_stamps",
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("generation", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", name=op.f("pk_page_stamps")),
    )
    generation = sa.table("content_generation", sa.column("id", sa.Integer), sa.column("value", sa.BigInteger),
                          sa.column("changed_at", sa.DateTime(timezone=True)))
    current = sa.select(sa.func.coalesce(sa.func.max(generation.c.value), 1)).scalar_subquery()
    op.execute(generation.insert().from_select(
        ["id", "value", "changed_at"], sa.select(sa.literal(SHARED_ROW_ID), current, sa.literal(datetime.now(UTC)))))


def downgrade():
    op.execute("DELETE FROM content_generation WHERE id = 2")
    op.drop_table("page_stamps")
