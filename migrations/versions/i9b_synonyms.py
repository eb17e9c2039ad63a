"""Add synonym groups (one canonical term and its variants) that search applies at query time.

Revision ID: i9b_synonyms
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "i9b_synonyms"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "synonym_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("variants", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_synonym_groups")),
        sa.UniqueConstraint("term", name=op.f("uq_synonym_groups_term")),
    )


def downgrade():
    op.drop_table("synonym_groups")
