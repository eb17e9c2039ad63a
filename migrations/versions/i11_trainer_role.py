"""Allow the trainer role on accounts.

Revision ID: i11_trainer_role
Revises: i9b_synonyms
"""

from alembic import op

revision = "i11_trainer_role"
down_revision = "i9b_synonyms"
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('editor', 'reviewer', 'admin')"
NEW_ROLES = "role IN ('trainer', 'editor', 'reviewer', 'admin')"


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_role"), type_="check")
        batch.create_check_constraint(op.f("ck_users_role"), NEW_ROLES)


def downgrade():
    op.execute("UPDATE users SET role = 'editor' WHERE role = 'trainer'")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_role"), type_="check")
        batch.create_check_constraint(op.f("ck_users_role"), OLD_ROLES)
