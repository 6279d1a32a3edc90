"""Originals over SQLite's 1 GB value limit, stored in chunks.

SQLite refuses any value (and any row) over 1,000,000,000 bytes, so an original that
large cannot be one ``blob.data`` value. Such an original keeps its ``blob`` row (hash,
size, media type) marked ``chunked``, with ``data`` NULL, and its bytes are the rows
of ``blob_chunk`` in ``seq`` order (see ``db.blobs``). Existing originals are all
single values: the new column's default says so, and no row is rewritten.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


# Plain ALTER TABLE ADD COLUMN, no batch copy: recreating ``blob`` would copy every
# original in the case.
def upgrade() -> None:
    op.add_column(
        "blob",
        sa.Column("chunked", sa.Boolean(), nullable=False, server_default="0"),
    )
    op.create_table(
        "blob_chunk",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["sha256"], ["blob.sha256"], name=op.f("fk_blob_chunk_sha256_blob")
        ),
        sa.PrimaryKeyConstraint("sha256", "seq", name=op.f("pk_blob_chunk")),
    )


def downgrade() -> None:
    op.drop_table("blob_chunk")
    op.drop_column("blob", "chunked")
