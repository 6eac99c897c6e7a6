"""The district's flood-and-security situation: one entity for the wall, refreshed by the folds that change it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain import events as ev
from domain import flood, posture
from domain.state import State

KEY = "situation:district"
Fold = Callable[[Any, Any], set[str]]


def touching(fold: Fold) -> Fold:
    """Return the fold that also marks the situation changed whenever the given fold changed anything."""

    def wrapped(state: Any, e: ev.Event) -> set[str]:
        changed = fold(state, e)
        return changed | {KEY} if changed else changed

    wrapped.__name__ = getattr(fold, "__name__", "fold")
    return wrapped


def situation(state: State, now: float, shown_s: float) -> dict[str, Any]:
    """Return the flood response level (and what gives it) and the security posture in force."""
    b = posture.current(state, now, shown_s)
    return {
        "flood": flood.response_level(state, now),
        "posture": {"level": b.level, "broadcast_id": b.id, "issued_at": b.issued_at} if b else None,
    }
