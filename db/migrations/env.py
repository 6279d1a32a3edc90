"""Alembic environment: migrations always run on a connection handed in by db.schema."""

from __future__ import annotations

from alembic import context

from db.base import Base
from db.models import __all__ as _models  # noqa: F401  (registers every table)
from db.schema import include_object

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Evidence Desk migrations run through db.schema.upgrade(), not alone")


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=include_object,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
