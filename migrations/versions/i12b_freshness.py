"""Freshness: the date a case was last checked (最近核实) and an optional date to check it again by.

Both start empty: until someone checks a case, its publishing date stands for the last check.

Revision ID: i12b_freshness
Revises: i12b_adoption
"""

import sqlalchemy as sa
from alembic import op

revision = "i12b_freshness"
down_revision = "i12b_adoption"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("checked_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("review_by", sa.Date(), nullable=True))
        batch.create_index(op.f("ix_cases_review_by"), ["review_by"])


def downgrade():
    with op.batch_alter_table("cases") as batch:
        batch.drop_index(op.f("ix_cases_review_by"))
        batch.drop_column("review_by")
        batch.drop_column("checked_on")
