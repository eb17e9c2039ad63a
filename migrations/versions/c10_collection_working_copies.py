"""Collection working copies: changes to a published collection wait for a second reviewer.

Readers keep seeing the collection's rows; the changed collection is stored as snapshot values until
someone who did not change it publishes it. Nothing to carry over: until now such edits went live.

Revision ID: c10_collection_working_copies
Revises: i10_collection_review_events
"""

import sqlalchemy as sa
from alembic import op

revision = "c10_collection_working_copies"
down_revision = "i10_collection_review_events"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "collection_working_copies",
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("started_after", sa.Integer(), nullable=False),
        sa.Column("live_before_import", sa.JSON(), nullable=True),
        sa.Column("imported_from", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["collection_id"], ["collections.id"],
                                name=op.f("fk_collection_working_copies_collection_id_collections"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("collection_id", name=op.f("pk_collection_working_copies")),
    )


def downgrade():
    op.drop_table("collection_working_copies")
