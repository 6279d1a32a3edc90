"""Bundles: what was last exchanged, which bundles came in, their history, changes to review.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


# New tables only, created directly: no existing table is copied, so the search
# triggers of migration 0002 stay in place.
def upgrade() -> None:
    op.create_table(
        "sync_base",
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("bundle_sha256", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("record_type", "record_id", name=op.f("pk_sync_base")),
    )
    op.create_table(
        "bundle_import",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("bundle_sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=1000), nullable=False),
        sa.Column("signature", sa.String(length=10), nullable=False),
        sa.Column("signer_key_id", sa.String(length=16), nullable=True),
        sa.Column("signer_trusted", sa.Boolean(), nullable=False),
        sa.Column("source_case_id", sa.Uuid(), nullable=False),
        sa.Column("source_case_title", sa.String(length=500), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("history_head", sa.String(length=64), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bundle_import")),
    )
    op.create_index(
        op.f("ix_bundle_import_bundle_sha256"), "bundle_import", ["bundle_sha256"], unique=False
    )
    op.create_table(
        "bundle_record",
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("incoming_id", sa.Uuid(), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["bundle_import.id"],
            name=op.f("fk_bundle_record_import_id_bundle_import"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "import_id", "record_type", "record_id", name=op.f("pk_bundle_record")
        ),
    )
    op.create_index(
        op.f("ix_bundle_record_record_id"), "bundle_record", ["record_id"], unique=False
    )
    op.create_table(
        "foreign_history",
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("record_id", sa.Uuid(), nullable=True),
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["bundle_import.id"],
            name=op.f("fk_foreign_history_import_id_bundle_import"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entry_hash", name=op.f("pk_foreign_history")),
    )
    op.create_index(
        op.f("ix_foreign_history_import_id"), "foreign_history", ["import_id"], unique=False
    )
    op.create_index(
        op.f("ix_foreign_history_record_id"), "foreign_history", ["record_id"], unique=False
    )
    op.create_table(
        "merge_review",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("local_value", sa.JSON(), nullable=True),
        sa.Column("incoming_value", sa.JSON(), nullable=True),
        sa.Column("base_value", sa.JSON(), nullable=True),
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("bundle_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'kept-local', 'took-incoming')",
            name=op.f("ck_merge_review_status"),
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["bundle_import.id"],
            name=op.f("fk_merge_review_import_id_bundle_import"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merge_review")),
    )
    op.create_index(op.f("ix_merge_review_import_id"), "merge_review", ["import_id"], unique=False)
    op.create_index(op.f("ix_merge_review_record_id"), "merge_review", ["record_id"], unique=False)
    op.create_index(op.f("ix_merge_review_status"), "merge_review", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_merge_review_status"), "merge_review")
    op.drop_index(op.f("ix_merge_review_record_id"), "merge_review")
    op.drop_index(op.f("ix_merge_review_import_id"), "merge_review")
    op.drop_table("merge_review")
    op.drop_index(op.f("ix_foreign_history_record_id"), "foreign_history")
    op.drop_index(op.f("ix_foreign_history_import_id"), "foreign_history")
    op.drop_table("foreign_history")
    op.drop_index(op.f("ix_bundle_record_record_id"), "bundle_record")
    op.drop_table("bundle_record")
    op.drop_index(op.f("ix_bundle_import_bundle_sha256"), "bundle_import")
    op.drop_table("bundle_import")
    op.drop_table("sync_base")
