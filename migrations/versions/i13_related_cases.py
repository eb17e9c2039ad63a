"""Store each case's related cases, computed when cases change instead of on every page view.

Revision ID: i13_related_cases
Revises: i13_content_generation
"""

import sqlalchemy as sa
from alembic import op

revision = "i13_related_cases"
down_revision = "i13_content_generation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "related_cases",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("related_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_related_cases_case_id_cases"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["related_id"], ["cases.id"], name=op.f("fk_related_cases_related_id_cases"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "rank", name=op.f("pk_related_cases")),
    )
    op.create_index(op.f("ix_related_cases_related_id"), "related_cases", ["related_id"])


def downgrade():
    op.drop_table("related_cases")
