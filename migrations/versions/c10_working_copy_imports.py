"""Working copies remember an import that changed the published case under them.

`portal content import` onto a case with a working copy stores what readers saw before and the
file that changed it; publishing waits until someone has compared the two. Existing copies: none.

Revision ID: c10_working_copy_imports
Revises: c10_collection_working_copies
"""

import sqlalchemy as sa
from alembic import op

revision = "c10_working_copy_imports"
down_revision = "c10_collection_working_copies"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("working_copies") as batch:
        batch.add_column(sa.Column("live_before_import", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("imported_from", sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table("working_copies") as batch:
        batch.drop_column("imported_from")
        batch.drop_column("live_before_import")
