"""Service-hall ticket events: a ticket issued, called or served; a window opened or closed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.intake import Ticket
from streams.sources.base import choice, ident, text

ACTIONS = frozenset({"issued", "called", "served", "window_opened", "window_closed"})


def parse(raw: Mapping[str, Any], now: float) -> Ticket:
    """Validate a ticket event: source_id, hall_id, action, [ticket, window]."""
    action = choice(raw, "action", ACTIONS)
    return Ticket(
        source_id=ident(raw, "source_id"),
        hall_id=ident(raw, "hall_id"),
        action=action,
        ticket=text(raw, "ticket", required=action in ("issued", "called", "served"), limit=40),
        window=text(raw, "window", required=False, limit=40),
    )
