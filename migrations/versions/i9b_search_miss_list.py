"""The search-miss list editors use: normalized query, match kind, throttling key, and answers.

Existing rows get their query as the normalized form (lower-cased, spaces collapsed; the portal's
full normalization also folds width and Traditional characters, which new rows receive).

Revision ID: i9b_search_miss_list
Revises: i11_trainer_role
"""

import sqlalchemy as sa
from alembic import op

revision = "i9b_search_miss_list"
down_revision = "i11_trainer_role"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("search_misses") as batch:
        batch.add_column(sa.Column("normalized", sa.String(length=200), nullable=False, server_default=""))
        batch.add_column(sa.Column("match", sa.String(length=16), nullable=False, server_default="none"))
        batch.add_column(sa.Column("client", sa.String(length=32), nullable=False, server_default=""))
        batch.create_index(batch.f("ix_search_misses_normalized"), ["normalized"])
        batch.create_index(batch.f("ix_search_misses_client"), ["client"])
    op.execute("UPDATE search_misses SET normalized = lower(substr(trim(query), 1, 200))")

    op.create_table(
        "search_miss_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("normalized", sa.String(length=200), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("synonym_term", sa.String(length=64), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_search_miss_answers_case_id_cases"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["answered_by_id"], ["users.id"],
                                name=op.f("fk_search_miss_answers_answered_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_miss_answers")),
        sa.UniqueConstraint("normalized", name=op.f("uq_search_miss_answers_normalized")),
    )


def downgrade():
    op.drop_table("search_miss_answers")
    with op.batch_alter_table("search_misses") as batch:
        batch.drop_index(batch.f("ix_search_misses_client"))
        batch.drop_index(batch.f("ix_search_misses_normalized"))
        batch.drop_column("client")
        batch.drop_column("match")
        batch.drop_column("normalized")
