"""Full-text search index kept in step by triggers; history made append-only.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (table, kind, title expression, body expression) for every searchable record
INDEXED = (
    ("source", "source", "{row}.title", "coalesce({row}.text, '')"),
    ("incident", "incident", "{row}.title", "coalesce({row}.summary, '')"),
    ("note", "note", "''", "coalesce({row}.body, '')"),
)


def _triggers(table: str, kind: str, title: str, body: str) -> list[str]:
    doc = "(SELECT rowid FROM search_doc WHERE ref = {row}.id)"
    return [
        f"""CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN
            INSERT INTO search_doc (kind, ref) VALUES ('{kind}', new.id);
            INSERT INTO search_fts (rowid, title, body)
            VALUES ({doc.format(row="new")}, {title.format(row="new")}, {body.format(row="new")});
        END""",
        f"""CREATE TRIGGER {table}_search_update AFTER UPDATE ON {table}
        WHEN {title.format(row="old")} IS NOT {title.format(row="new")}
          OR {body.format(row="old")} IS NOT {body.format(row="new")} BEGIN
            UPDATE search_fts SET title = {title.format(row="new")}, body = {body.format(row="new")}
            WHERE rowid = {doc.format(row="new")};
        END""",
        f"""CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN
            DELETE FROM search_fts WHERE rowid = {doc.format(row="old")};
            DELETE FROM search_doc WHERE ref = old.id;
        END""",
    ]


def upgrade() -> None:
    op.execute(
        "CREATE TABLE search_doc (rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
        " ref CHAR(32) NOT NULL UNIQUE)"
    )
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        "title, body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    for table, kind, title, body in INDEXED:
        op.execute(f"INSERT INTO search_doc (kind, ref) SELECT '{kind}', id FROM {table}")
        op.execute(
            f"INSERT INTO search_fts (rowid, title, body) SELECT d.rowid, "
            f"{title.format(row='t')}, {body.format(row='t')} "
            f"FROM {table} t JOIN search_doc d ON d.ref = t.id"
        )
        for trigger in _triggers(table, kind, title, body):
            op.execute(trigger)
    op.execute(
        "CREATE TRIGGER history_no_update BEFORE UPDATE ON history BEGIN "
        "SELECT RAISE(ABORT, 'history is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER history_no_delete BEFORE DELETE ON history BEGIN "
        "SELECT RAISE(ABORT, 'history is append-only'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER history_no_delete")
    op.execute("DROP TRIGGER history_no_update")
    for table, *_ in INDEXED:
        for suffix in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER {table}_search_{suffix}")
    op.execute("DROP TABLE search_fts")
    op.execute("DROP TABLE search_doc")
