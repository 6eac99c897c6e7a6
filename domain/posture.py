"""The district's key-period security posture (重点时段安保等级): the latest posture broadcast in force."""

from __future__ import annotations

from domain.model import Broadcast
from domain.state import State

KIND = "security_posture"  # domain.broadcast.KINDS: elevated, high, highest


def current(state: State, now: float, shown_s: float) -> Broadcast | None:
    """Return the newest posture broadcast issued within shown_s before now (the boards' day), or None: normal."""
    live = [b for b in state.broadcasts.values() if b.kind == KIND and 0 <= now - b.issued_at <= shown_s]
    return max(live, key=lambda b: (b.issued_at, b.id), default=None)
