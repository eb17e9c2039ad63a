"""Collection review events, keyed by the collection's id: renaming a slug no longer loses its history.

Until now the four-eyes check read the audit log, whose entries name a collection by its slug. The
existing entries are carried over for every collection whose current slug they name (entries under
a slug that was renamed since were already lost to the check). The audit log itself stays as it is.

Revision ID: i10_collection_review_events
Revises: i10_working_copies
"""

import sqlalchemy as sa
from alembic import op

revision = "i10_collection_review_events"
down_revision = "i10_working_copies"
branch_labels = None
depends_on = None

CARRIED_OVER = {"collection.update": "change", "collection.publish": "publish", "collection.unpublish": "unpublish",
                "collection.feature": "feature", "collection.unfeature": "unfeature"}


def upgrade():
    op.create_table(
        "collection_review_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["collection_id"], ["collections.id"],
                                name=op.f("fk_collection_review_events_collection_id_collections"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_collection_review_events_actor_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_review_events")),
    )
    op.create_index(op.f("ix_collection_review_events_collection_id"), "collection_review_events", ["collection_id"])
    renamed = " ".join(f"WHEN '{old}' THEN '{new}'" for old, new in CARRIED_OVER.items())
    listed = ", ".join(f"'{old}'" for old in CARRIED_OVER)
    op.execute(
        "INSERT INTO collection_review_events (collection_id, actor_id, action, comment, created_at)"
        f" SELECT collections.id, audit_log.actor_id, CASE audit_log.action {renamed} END, '', audit_log.created_at"
        " FROM audit_log JOIN collections ON collections.slug = audit_log.target"
        f" WHERE audit_log.action IN ({listed}) ORDER BY audit_log.id")


def downgrade():
    op.drop_index(op.f("ix_collection_review_events_collection_id"), table_name="collection_review_events")
    op.drop_table("collection_review_events")
