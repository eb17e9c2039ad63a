"""Add the five areas, the region tree, tags and the cases filed under them.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_areas")),
        sa.UniqueConstraint("name", name=op.f("uq_areas_name")),
        sa.UniqueConstraint("slug", name=op.f("uq_areas_slug"))
    )

    op.create_table(
        "regions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('city', 'county', 'township', 'village')", name=op.f("ck_regions_kind")),
        sa.ForeignKeyConstraint(["parent_id"], ["regions.id"], name=op.f("fk_regions_parent_id_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regions")),
        sa.UniqueConstraint("code", name=op.f("uq_regions_code"))
    )
    op.create_index(op.f("ix_regions_name"), "regions", ["name"])
    op.create_index(op.f("ix_regions_parent_id"), "regions", ["parent_id"])

    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("name", name=op.f("uq_tags_name"))
    )

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body_md", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("toc_html", sa.Text(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=True),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("level IN ('市级', '县级', '乡镇级', '村级')", name=op.f("ck_cases_level")),
        sa.CheckConstraint("status IN ('draft', 'in_review', 'published', 'archived')", name=op.f("ck_cases_status")),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=op.f("fk_cases_area_id_areas")),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_cases_author_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"], name=op.f("fk_cases_region_id_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("slug", name=op.f("uq_cases_slug"))
    )
    op.create_index(op.f("ix_cases_area_id"), "cases", ["area_id"])
    op.create_index(op.f("ix_cases_published_at"), "cases", ["published_at"])
    op.create_index(op.f("ix_cases_region_id"), "cases", ["region_id"])
    op.create_index(op.f("ix_cases_status"), "cases", ["status"])

    op.create_table(
        "case_tags",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_tags_case_id_cases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"], name=op.f("fk_case_tags_tag_id_tags"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "tag_id", name=op.f("pk_case_tags"))
    )

    op.create_table(
        "case_secondary_areas",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=op.f("fk_case_secondary_areas_area_id_areas"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_secondary_areas_case_id_cases"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "area_id", name=op.f("pk_case_secondary_areas"))
    )


def downgrade():
    op.drop_table("case_secondary_areas")
    op.drop_table("case_tags")
    op.drop_table("cases")
    op.drop_table("tags")
    op.drop_table("regions")
    op.drop_table("areas")
