"""The case schema: every table of the domain model.

Revision ID: 0001
Revises: (first revision)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "actor",
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor")),
    )
    op.create_table(
        "blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_blob_sha256_len")),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blob")),
    )
    op.create_table(
        "case_info",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("app_version", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_info")),
    )
    op.create_table(
        "history",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_history")),
        sa.UniqueConstraint("entry_hash", name=op.f("uq_history_entry_hash")),
    )
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_history_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "outlet",
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("reliability", sa.String(length=1), nullable=True),
        sa.Column("reliability_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "reliability IS NULL OR reliability IN ('A', 'B', 'C', 'D', 'E', 'F')",
            name=op.f("ck_outlet_reliability"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outlet")),
        sa.UniqueConstraint("name", name=op.f("uq_outlet_name")),
    )
    op.create_table(
        "place",
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("admin1", sa.String(length=300), nullable=True),
        sa.Column("admin2", sa.String(length=300), nullable=True),
        sa.Column("country", sa.String(length=100), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place")),
    )
    op.create_table(
        "tag",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag")),
        sa.UniqueConstraint("name", name=op.f("uq_tag_name")),
    )
    op.create_table(
        "actor_alias",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("alias", sa.String(length=300), nullable=False),
        sa.Column("norm", sa.String(length=300), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actor.id"],
            name=op.f("fk_actor_alias_actor_id_actor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor_alias")),
        sa.UniqueConstraint("actor_id", "norm", name=op.f("uq_actor_alias_actor_id")),
    )
    with op.batch_alter_table("actor_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actor_alias_norm"), ["norm"], unique=False)

    op.create_table(
        "incident",
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("start_precision", sa.String(length=10), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_precision", sa.String(length=10), nullable=True),
        sa.Column("place_id", sa.Uuid(), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("coord_precision", sa.String(length=20), nullable=True),
        sa.Column("event_type", sa.String(length=100), nullable=True),
        sa.Column("sub_event_type", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "end_precision IS NULL OR end_precision IN ('day', 'week', 'month', 'year')",
            name=op.f("ck_incident_end_precision"),
        ),
        sa.CheckConstraint(
            "start_precision IN ('day', 'week', 'month', 'year')",
            name=op.f("ck_incident_start_precision"),
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'under review', 'confirmed', 'disputed', 'discarded')",
            name=op.f("ck_incident_status"),
        ),
        sa.CheckConstraint(
            "latitude IS NULL OR latitude BETWEEN -90 AND 90", name=op.f("ck_incident_latitude")
        ),
        sa.CheckConstraint(
            "longitude IS NULL OR longitude BETWEEN -180 AND 180",
            name=op.f("ck_incident_longitude"),
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["place.id"], name=op.f("fk_incident_place_id_place"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
    )
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_event_type"), ["event_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_incident_place_id"), ["place_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_incident_start_date"), ["start_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_incident_status"), ["status"], unique=False)

    op.create_table(
        "place_alias",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("place_id", sa.Uuid(), nullable=False),
        sa.Column("alias", sa.String(length=300), nullable=False),
        sa.Column("norm", sa.String(length=300), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["place.id"],
            name=op.f("fk_place_alias_place_id_place"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place_alias")),
        sa.UniqueConstraint("place_id", "norm", name=op.f("uq_place_alias_place_id")),
    )
    with op.batch_alter_table("place_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_place_alias_norm"), ["norm"], unique=False)

    op.create_table(
        "source",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=500), nullable=True),
        sa.Column("outlet_id", sa.Uuid(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("published_precision", sa.String(length=10), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("blob_sha256", sa.String(length=64), nullable=True),
        sa.Column("original_filename", sa.String(length=1000), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("text_chars", sa.Integer(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column("extraction_warning", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("image_width", sa.Integer(), nullable=True),
        sa.Column("image_height", sa.Integer(), nullable=True),
        sa.Column("image_orientation", sa.Integer(), nullable=True),
        sa.Column("taken_at", sa.DateTime(), nullable=True),
        sa.Column("gps_lat", sa.Double(), nullable=True),
        sa.Column("gps_lon", sa.Double(), nullable=True),
        sa.Column("graphic", sa.Boolean(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('article', 'image', 'document', 'note')", name=op.f("ck_source_kind")
        ),
        sa.CheckConstraint(
            "published_precision IS NULL OR published_precision IN ('datetime', 'day', 'month', 'year')",
            name=op.f("ck_source_published_precision"),
        ),
        sa.ForeignKeyConstraint(
            ["blob_sha256"],
            ["blob.sha256"],
            name=op.f("fk_source_blob_sha256_blob"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["outlet_id"],
            ["outlet.id"],
            name=op.f("fk_source_outlet_id_outlet"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
        sa.UniqueConstraint("blob_sha256", name=op.f("uq_source_blob_sha256")),
    )
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_outlet_id"), ["outlet_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_source_published_at"), ["published_at"], unique=False)

    op.create_table(
        "acquisition",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("acquired_at", sa.DateTime(), nullable=False),
        sa.Column("acquired_by", sa.String(length=200), nullable=False),
        sa.Column("original_filename", sa.String(length=1000), nullable=False),
        sa.Column("original_path", sa.Text(), nullable=True),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_acquisition_source_id_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acquisition")),
    )
    with op.batch_alter_table("acquisition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_acquisition_source_id"), ["source_id"], unique=False)

    op.create_table(
        "claim",
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("value_text", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("quote_start", sa.Integer(), nullable=True),
        sa.Column("quote_end", sa.Integer(), nullable=True),
        sa.Column("credibility", sa.Integer(), nullable=True),
        sa.Column("repeats_source_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "credibility IS NULL OR credibility BETWEEN 1 AND 6", name=op.f("ck_claim_credibility")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_claim_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["repeats_source_id"],
            ["source.id"],
            name=op.f("fk_claim_repeats_source_id_source"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_claim_source_id_source"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_source_id"), ["source_id"], unique=False)

    op.create_table(
        "conflict_resolution",
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("accepted_value", sa.JSON(), nullable=True),
        sa.Column("best", sa.Integer(), nullable=True),
        sa.Column("low", sa.Integer(), nullable=True),
        sa.Column("high", sa.Integer(), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("confidence", sa.String(length=10), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "confidence IN ('low', 'moderate', 'high')",
            name=op.f("ck_conflict_resolution_confidence"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_conflict_resolution_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_resolution")),
    )
    with op.batch_alter_table("conflict_resolution", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conflict_resolution_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "incident_actor",
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "role IN ('actor1', 'actor2', 'assoc_actor1', 'assoc_actor2', 'target', 'victim', 'other')",
            name=op.f("ck_incident_actor_role"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actor.id"],
            name=op.f("fk_incident_actor_actor_id_actor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_incident_actor_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("incident_id", "actor_id", "role", name=op.f("pk_incident_actor")),
    )
    with op.batch_alter_table("incident_actor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_actor_actor_id"), ["actor_id"], unique=False)

    op.create_table(
        "incident_link",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("from_id", sa.Uuid(), nullable=False),
        sa.Column("to_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('related', 'duplicate of', 'part of')", name=op.f("ck_incident_link_kind")
        ),
        sa.CheckConstraint("from_id <> to_id", name=op.f("ck_incident_link_not_self")),
        sa.ForeignKeyConstraint(
            ["from_id"],
            ["incident.id"],
            name=op.f("fk_incident_link_from_id_incident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_id"],
            ["incident.id"],
            name=op.f("fk_incident_link_to_id_incident"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_link")),
        sa.UniqueConstraint("from_id", "to_id", "kind", name=op.f("uq_incident_link_from_id")),
    )
    with op.batch_alter_table("incident_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_link_to_id"), ["to_id"], unique=False)

    op.create_table(
        "incident_source",
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("attached_at", sa.DateTime(), nullable=False),
        sa.Column("attached_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_incident_source_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_incident_source_source_id_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("incident_id", "source_id", name=op.f("pk_incident_source")),
    )
    with op.batch_alter_table("incident_source", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_source_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "incident_tag",
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("tag_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_incident_tag_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tag.id"], name=op.f("fk_incident_tag_tag_id_tag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("incident_id", "tag_id", name=op.f("pk_incident_tag")),
    )
    with op.batch_alter_table("incident_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_tag_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "note",
        sa.Column("target", sa.String(length=10), nullable=False),
        sa.Column("incident_id", sa.Uuid(), nullable=True),
        sa.Column("source_id", sa.Uuid(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(target = 'case' AND incident_id IS NULL AND source_id IS NULL) OR (target = 'incident' AND incident_id IS NOT NULL AND source_id IS NULL) OR (target = 'source' AND source_id IS NOT NULL AND incident_id IS NULL)",
            name=op.f("ck_note_target"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_note_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_note_source_id_source"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note")),
    )
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_note_source_id"), ["source_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_source_id"))
        batch_op.drop_index(batch_op.f("ix_note_incident_id"))

    op.drop_table("note")
    with op.batch_alter_table("incident_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_tag_tag_id"))

    op.drop_table("incident_tag")
    with op.batch_alter_table("incident_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_source_source_id"))

    op.drop_table("incident_source")
    with op.batch_alter_table("incident_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_link_to_id"))

    op.drop_table("incident_link")
    with op.batch_alter_table("incident_actor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_actor_actor_id"))

    op.drop_table("incident_actor")
    with op.batch_alter_table("conflict_resolution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflict_resolution_incident_id"))

    op.drop_table("conflict_resolution")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_source_id"))
        batch_op.drop_index(batch_op.f("ix_claim_incident_id"))

    op.drop_table("claim")
    with op.batch_alter_table("acquisition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_acquisition_source_id"))

    op.drop_table("acquisition")
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_published_at"))
        batch_op.drop_index(batch_op.f("ix_source_outlet_id"))

    op.drop_table("source")
    with op.batch_alter_table("place_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_place_alias_norm"))

    op.drop_table("place_alias")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_status"))
        batch_op.drop_index(batch_op.f("ix_incident_start_date"))
        batch_op.drop_index(batch_op.f("ix_incident_place_id"))
        batch_op.drop_index(batch_op.f("ix_incident_event_type"))

    op.drop_table("incident")
    with op.batch_alter_table("actor_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actor_alias_norm"))

    op.drop_table("actor_alias")
    op.drop_table("tag")
    op.drop_table("place")
    op.drop_table("outlet")
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_history_entity_id"))

    op.drop_table("history")
    op.drop_table("case_info")
    op.drop_table("blob")
    op.drop_table("actor")
