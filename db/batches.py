"""Bounded IN lists: one SQL statement takes a limited number of parameters (999 in
older SQLite builds), so long lists of ids are queried a batch at a time."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Table, insert, inspect
from sqlalchemy.orm import Session

T = TypeVar("T")

IN_LIST = 500


def batches(items: Sequence[T], size: int = IN_LIST) -> Iterator[list[T]]:
    """``items`` in consecutive lists of at most ``size``."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def table_of(model: type[Any]) -> Table:
    """The model's table, for Core INSERTs of plain rows."""
    table = inspect(model).local_table
    assert isinstance(table, Table)
    return table


def insert_rows(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """INSERT rows that all give the same columns, in one executemany.

    A Core INSERT, not the ORM's bulk one: that costs more per row than SQLite does,
    and it leaves out None values, so rows with other NULL columns would go in
    separate statements.
    """
    if rows:
        session.execute(insert(table_of(model)), rows)
