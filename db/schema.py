"""Schema versions: create, inspect and upgrade a case's schema with Alembic.

The migrations ship inside the package; Alembic runs on a connection we hand it,
inside one transaction, so an upgrade either completes or leaves the file as it was.

Alembic (with Mako and Pygments) takes a tenth of a second to import, so it loads only
when a case is created, upgraded or inspected: opening a case at ``HEAD_REVISION``
compares one string.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).with_name("migrations")

# The newest migration's revision; a test keeps it equal to Alembic's head.
HEAD_REVISION = "0007"


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Autogenerate leaves alone what migrations made by hand (the search index)."""
    return not (type_ == "table" and name is not None and name.startswith("search_"))


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = _scripts().get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {script.revision for script in _scripts().walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, target: str = "head") -> None:
    """Upgrade within the caller's transaction."""
    from alembic import command

    command.upgrade(alembic_config(connection), target)
