"""What the browsers see: entities built from the projection by their kinds' declarations (web/kinds/)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.projection import Projection
from web.kinds import BY_KEY, KINDS, DayFigures, Entity, day_window
from web.kinds.base import DAY_S
from web.kinds.broadcast import BROADCAST_SHOWN_S
from web.kinds.incident import incident_entity, is_live

__all__ = [
    "BROADCAST_SHOWN_S",
    "DAY_S",
    "DayFigures",
    "Entity",
    "all_keys",
    "day_window",
    "entities",
    "entity",
    "figured",
    "incident_entity",
    "is_live",
    "snapshot",
    "timed_keys",
    "view_kinds",
    "visible",
]

# What changes with the clock alone (the day's window, the charts' hours and slots, the halls' day): re-sent every
# 10 minutes, so also at the district's midnight (a slot's end for any whole-hour offset).
TIMED_EVERY_S = 600


def entity(state: Projection, key: str, now: float, utc_offset_h: float) -> Entity | None:
    """Return the entity for a key ("incident:ID", "team:ID", ...), or None when it left the live set."""
    return entities(state, [key], now, utc_offset_h)[key]


def entities(state: Projection, keys: Iterable[str], now: float, utc_offset_h: float) -> dict[str, Entity | None]:
    """Return the entity of each key; the day's figures are counted once for all that show them (kpi, charts)."""
    day = DayFigures(state, now, utc_offset_h)
    out: dict[str, Entity | None] = {}
    for key in keys:
        kind, _, ident = key.partition(":")
        declared = BY_KEY.get(kind)
        out[key] = declared.build(state, ident, day) if declared else None
    return out


def timed_keys(state: Projection) -> frozenset[str]:
    """Return the keys re-sent each TIMED_EVERY_S: those of the kinds that change with the clock alone."""
    return frozenset(k.ref(i) for k in KINDS if k.clock for i in k.ids(state))


def figured(key: str) -> bool:
    """Tell whether a key's entity counts the whole day (the figures, the charts): the costly ones to build."""
    declared = BY_KEY.get(key.partition(":")[0])
    return declared is not None and declared.figured


def all_keys(state: Projection, kinds: frozenset[str] | None = None) -> list[str]:
    """Return the keys of everything on the live screens (of these kinds only, when given)."""
    return [k.ref(i) for k in KINDS if kinds is None or k.key in kinds for i in k.ids(state)]


def view_kinds(raw: str | None) -> frozenset[str] | None:
    """Return the kinds a screen asks its snapshot to hold (`kinds=chart,kpi`), None for all; unknown ones are ignored.

    A view, not a right: the deltas after it carry every kind its scope sees, as they do to every screen of the room.
    """
    kinds = frozenset(k for k in (raw or "").split(",")[: len(BY_KEY)] if k in BY_KEY)
    return kinds or None


def snapshot(
    state: Projection, now: float, utc_offset_h: float, scope: str, kinds: frozenset[str] | None = None
) -> dict[str, Any]:
    """Return what a scope sees of a state at a moment (of these kinds only, when given): the live snapshot, and a
    replay's, are this."""
    ents = entities(state, all_keys(state, kinds), now, utc_offset_h).values()
    return {
        "seq": state.seq,
        "server_time": now,
        "last_event_at": state.last_event_at,
        "scope": scope,
        "entities": [e for e in ents if e is not None and visible(e, scope)],
    }


def visible(entity: Entity, scope: str) -> bool:
    """Tell whether a scope ("all" or a township id) may see an entity: its kind's scope rule says."""
    return scope == "all" or BY_KEY[entity["kind"]].scope(entity, scope)
