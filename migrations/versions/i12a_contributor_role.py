"""Allow the contributor role (county and township staff who submit practices).

Revision ID: i12a_contributor_role
Revises: i12c_case_comments
"""

from alembic import op

revision = "i12a_contributor_role"
down_revision = "i12c_case_comments"
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('trainer', 'editor', 'reviewer', 'admin')"
NEW_ROLES = "role IN ('contributor', 'trainer', 'editor', 'reviewer', 'admin')"


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_role"), type_="check")
        batch.create_check_constraint(op.f("ck_users_role"), NEW_ROLES)


def downgrade():
    # A contributor cannot silently become staff: their accounts are disabled trainers afterwards.
    op.execute("UPDATE users SET role = 'trainer', active = false WHERE role = 'contributor'")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_role"), type_="check")
        batch.create_check_constraint(op.f("ck_users_role"), OLD_ROLES)
