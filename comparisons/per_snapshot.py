"""Values derived from one model snapshot alone, kept for as long as that snapshot lives.

comparisons.snapshot keeps one ModelSnapshot per model while the catalog stands and shares
it between every pair the model is in, so what a page derives from one model only (its
rows of the every-provider table, as data and as HTML) is computed once per snapshot, not
once per page. Keyed by the snapshot's identity (hashing a frozen snapshot would hash every
field); an entry goes when its snapshot is freed (weakref.finalize), so an id is never
reused for another snapshot.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

_values: dict[tuple[int, Hashable], object] = {}


def remembered_for(snapshot: object, variant: Hashable, build: Callable[[], T]) -> T:
    """`build()`, computed the first time `snapshot` asks for `variant` (a name, and
    whatever else the value depends on). Values are shared: treat them as read-only."""
    key = (id(snapshot), variant)
    try:
        return _values[key]  # type: ignore[return-value]
    except KeyError:
        pass
    value = _values[key] = build()
    weakref.finalize(snapshot, _values.pop, key, None)
    return value
