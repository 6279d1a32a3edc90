"""Bounded IN lists: one SQL statement takes a limited number of parameters (999 in
older SQLite builds), so long lists of ids are queried a batch at a time."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

IN_LIST = 500


def batches(items: Sequence[T], size: int = IN_LIST) -> Iterator[list[T]]:
    """``items`` in consecutive lists of at most ``size``."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
