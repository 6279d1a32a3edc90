"""History received from other cases is append-only, like the case's own.

Without these, an entry received in a bundle could be deleted or edited with its hash
recomputed, and ``verify`` could not always tell (a bundle carries only the entries
about its records, so the received chain has gaps). Nothing in the desk updates or
deletes received entries.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE TRIGGER foreign_history_no_update BEFORE UPDATE ON foreign_history BEGIN "
        "SELECT RAISE(ABORT, 'received history is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER foreign_history_no_delete BEFORE DELETE ON foreign_history BEGIN "
        "SELECT RAISE(ABORT, 'received history is append-only'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER foreign_history_no_delete")
    op.execute("DROP TRIGGER foreign_history_no_update")
