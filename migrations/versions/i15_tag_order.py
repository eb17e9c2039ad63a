"""Keep a case's tags in the order the editor gave them (a position on each case-tag link).

Existing links get positions in name order, which is the order they were shown in until now.

Revision ID: i15_tag_order
Revises: i13_related_cases
"""

import sqlalchemy as sa
from alembic import op

revision = "i15_tag_order"
down_revision = "i13_related_cases"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("case_tags") as batch:
        batch.add_column(sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
    op.execute(
        "UPDATE case_tags SET position = (SELECT COUNT(*) FROM case_tags AS other"
        " JOIN tags AS other_tag ON other_tag.id = other.tag_id"
        " JOIN tags AS this_tag ON this_tag.id = case_tags.tag_id"
        " WHERE other.case_id = case_tags.case_id AND other_tag.name < this_tag.name)")


def downgrade():
    with op.batch_alter_table("case_tags") as batch:
        batch.drop_column("position")
