"""Saving a form that someone else may have saved meanwhile: change only what this person changed.

Each field of a shared form (the consensus, the proposal's narrative) is sent with the value it showed when
the page was opened (``was``). A field the person left alone keeps whatever is stored now; a field they
changed is written when the stored value is still the one they saw; when both changed it to different values,
the stored value stays and the person is shown the conflict instead of silently overwriting it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

V = TypeVar("V")


@dataclass(frozen=True)
class Merged(Generic[V]):
    """The value to store, and whether this person's change lost to someone else's."""

    value: V
    conflict: bool = False


def three_way(stored: V, was: V | None, mine: V) -> Merged[V]:
    """Merge one field: ``was`` is what the page showed (None: unknown, so this person's value is written)."""
    if was is None or stored in (was, mine):
        return Merged(mine)
    if mine == was:
        return Merged(stored)  # left alone here, changed by someone else: keep theirs
    return Merged(stored, conflict=True)
