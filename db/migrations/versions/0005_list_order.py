"""The incident list in index order: (column, id) indexes and a kept count of sources.

The list sorts by a column and then by id, and pages with OFFSET. An index on the
column alone makes SQLite sort each run of equal values again (a temporary B-tree
over every row before the page) and read the table for every skipped row; an index
on (column, id) gives the page straight from the index. Each (column, id) index
replaces the index on the column alone, which it covers. Sorting by place walks the
places by name and each place's incidents by id: (name, id) is unique because id is,
and saying so lets SQLite use that order without a sort.

Sorting by the number of sources counted them for every incident on every page;
``incident.source_count`` now keeps that number, maintained by triggers on
``incident_source`` (so every write path, bundles included, keeps it right) and
indexed like the other orders.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# (old index on the column alone, new index, column) on the incident table
REPLACED = (
    ("ix_incident_start_date", "ix_incident_start_date_id", "start_date"),
    ("ix_incident_place_id", "ix_incident_place_id_id", "place_id"),
    ("ix_incident_event_type", "ix_incident_event_type_id", "event_type"),
    ("ix_incident_status", "ix_incident_status_id", "status"),
    ("ix_incident_open_conflicts", "ix_incident_open_conflicts_id", "open_conflicts"),
)

COUNT_TRIGGERS = (
    """CREATE TRIGGER incident_source_count_insert AFTER INSERT ON incident_source BEGIN
        UPDATE incident SET source_count = source_count + 1 WHERE id = new.incident_id;
    END""",
    """CREATE TRIGGER incident_source_count_delete AFTER DELETE ON incident_source BEGIN
        UPDATE incident SET source_count = source_count - 1 WHERE id = old.incident_id;
    END""",
    """CREATE TRIGGER incident_source_count_update AFTER UPDATE OF incident_id
    ON incident_source WHEN old.incident_id IS NOT new.incident_id BEGIN
        UPDATE incident SET source_count = source_count - 1 WHERE id = old.incident_id;
        UPDATE incident SET source_count = source_count + 1 WHERE id = new.incident_id;
    END""",
)


# Plain ALTER TABLE ADD COLUMN and CREATE/DROP INDEX, no batch copy: recreating a
# table would drop the search triggers of migration 0002.
def upgrade() -> None:
    for old, new, column in REPLACED:
        op.create_index(new, "incident", [column, "id"])
        op.drop_index(old, "incident")
    op.create_index("ix_incident_title_id", "incident", ["title", "id"])
    op.create_index("ix_place_name_id", "place", ["name", "id"], unique=True)

    op.add_column(
        "incident",
        sa.Column("source_count", sa.Integer(), nullable=False, server_default="0"),
    )
    op.execute(
        "UPDATE incident SET source_count ="
        " (SELECT count(*) FROM incident_source s WHERE s.incident_id = incident.id)"
    )
    for trigger in COUNT_TRIGGERS:
        op.execute(trigger)
    op.create_index("ix_incident_source_count_id", "incident", ["source_count", "id"])


def downgrade() -> None:
    op.drop_index("ix_incident_source_count_id", "incident")
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER incident_source_count_{name}")
    op.drop_column("incident", "source_count")
    op.drop_index("ix_place_name_id", "place")
    op.drop_index("ix_incident_title_id", "incident")
    for old, new, column in reversed(REPLACED):
        op.create_index(old, "incident", [column])
        op.drop_index(new, "incident")
