"""Adoption tracking: what a case learned from (another case, or a place and a year) and where it spread.

Two child tables of `cases`, one row per front-matter entry of `learned_from` and `adopted_in`, in
the order written (`position`).

Revision ID: i12b_adoption
Revises: i12a_submissions
"""

import sqlalchemy as sa
from alembic import op

revision = "i12b_adoption"
down_revision = "i12a_submissions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_learned_from",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source_slug", sa.String(120), nullable=True),
        sa.Column("place", sa.String(120), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.CheckConstraint("source_slug IS NOT NULL OR place IS NOT NULL",
                           name=op.f("ck_case_learned_from_case_or_place")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_learned_from_case_id_cases"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_learned_from")),
    )
    op.create_index(op.f("ix_case_learned_from_case_id"), "case_learned_from", ["case_id"])
    op.create_index(op.f("ix_case_learned_from_source_slug"), "case_learned_from", ["source_slug"])
    op.create_table(
        "case_adoptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(120), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("source", sa.String(300), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_adoptions_case_id_cases"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"], name=op.f("fk_case_adoptions_region_id_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_adoptions")),
    )
    op.create_index(op.f("ix_case_adoptions_case_id"), "case_adoptions", ["case_id"])
    op.create_index(op.f("ix_case_adoptions_region_id"), "case_adoptions", ["region_id"])


def downgrade():
    op.drop_table("case_adoptions")
    op.drop_table("case_learned_from")
