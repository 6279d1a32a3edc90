"""Keep Python's cyclic garbage collector off what lives as long as the open case.

A full collection walks every tracked object: with the desk's modules, SQLAlchemy's
mappers and caches and the window's wrappers that is ~100,000 objects and 40-50 ms,
a visible stall whenever one lands in a scroll or a keystroke. Objects alive once a
case is shown live until it closes, so they are frozen (``gc.freeze``: the collector
ignores them) and thawed when the case closes, so what was frozen can be collected.
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    """Collect what is garbage now, then hide every surviving object from the collector."""
    gc.collect()
    gc.freeze()


def thaw() -> None:
    """Give frozen objects back to the collector (a case closed: they may be garbage now)."""
    gc.unfreeze()
