"""Working copies: a reviewer's changes to a published case wait for a second reviewer.

Readers keep seeing the case row; the changed text is a revision the working copy points at, until
someone who did not change it publishes it. Nothing to carry over: until now such edits went live.

Revision ID: i10_working_copies
Revises: i12b_freshness
"""

import sqlalchemy as sa
from alembic import op

revision = "i10_working_copies"
down_revision = "i12b_freshness"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "working_copies",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("started_after", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_working_copies_case_id_cases"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["revision_id"], ["revisions.id"], name=op.f("fk_working_copies_revision_id_revisions"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_working_copies")),
    )


def downgrade():
    op.drop_table("working_copies")
