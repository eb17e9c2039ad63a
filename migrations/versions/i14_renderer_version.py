"""Record which Markdown renderer made each cached HTML (cases.body_html, collections.intro_html).

Rows already stored were made by the renderer of this release, version 1. A later renderer bumps
portal.markdown.RENDERER_VERSION; older rows then re-render when read and with `portal content rerender`.

Revision ID: i14_renderer_version
Revises: i15_tag_order
"""

import sqlalchemy as sa
from alembic import op

revision = "i14_renderer_version"
down_revision = "i15_tag_order"
branch_labels = None
depends_on = None

TABLES = ("cases", "collections")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("rendered_with", sa.Integer(), nullable=False, server_default="1"))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("rendered_with")
