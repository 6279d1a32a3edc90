"""Claims: an actor's role, the claims a resolution weighed, open conflicts per incident.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


# Plain ALTER TABLE ADD COLUMN, no batch copy: recreating a table would drop the
# search triggers of migration 0002.
def upgrade() -> None:
    op.add_column("claim", sa.Column("role", sa.String(length=20), nullable=True))
    op.add_column(
        "conflict_resolution",
        sa.Column("claim_ids", sa.JSON(), nullable=False, server_default="[]"),
    )
    op.create_index(
        "uq_conflict_resolution_key",
        "conflict_resolution",
        ["incident_id", "field", "question"],
        unique=True,
    )
    op.add_column(
        "incident",
        sa.Column("open_conflicts", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index("ix_incident_open_conflicts", "incident", ["open_conflicts"])
    op.create_index("ix_claim_incident_field", "claim", ["incident_id", "field"])


def downgrade() -> None:
    op.drop_index("ix_claim_incident_field", "claim")
    op.drop_index("ix_incident_open_conflicts", "incident")
    op.drop_column("incident", "open_conflicts")
    op.drop_index("uq_conflict_resolution_key", "conflict_resolution")
    op.drop_column("conflict_resolution", "claim_ids")
    op.drop_column("claim", "role")
