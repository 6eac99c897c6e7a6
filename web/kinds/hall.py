"""The hall kind: a service hall's queue today, and whether it is open."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TypedDict

from domain import events as ev
from domain import halls
from domain.projection import Projection
from web.kinds.base import DayFigures, EntityKind


class HallShape(TypedDict):
    """A hall with today's queue; open_changes says when it opens or closes next."""

    kind: str
    id: str
    township: str | None  # a hall of the district center belongs to no township
    name_zh: str
    name_en: str
    lon: float
    lat: float
    windows: int
    open_windows: int
    waiting: int
    oldest_waiting_since: float | None
    served: int
    open: bool
    open_changes: list[float]


def _build(state: Projection, ident: str, day: DayFigures) -> HallShape | None:
    h = state.district.halls.get(ident)
    if h is None:
        return None
    q = state.halls.get(ident)
    waiting = halls.waiting(q, day.start)  # today's tickets only: one left from yesterday is not waiting
    local = datetime.fromtimestamp(day.now, timezone(timedelta(hours=day.utc_offset_h)))
    # open: at now; open_changes: when it flips next, so a screen turns a hall closed at 17:00 with no event
    return {
        "kind": "hall",
        "id": h.id,
        "township": h.township,
        "name_zh": h.name_zh,
        "name_en": h.name_en,
        "lon": h.lon,
        "lat": h.lat,
        "windows": h.windows,
        "open_windows": q.open_windows if q else 0,
        "waiting": waiting.count,
        "oldest_waiting_since": waiting.oldest_since,
        "served": halls.served_since(q, day.start) if q else 0,
        "open": halls.hall_open(h, local),
        "open_changes": halls.open_changes(h, day.now, day.utc_offset_h),
    }


# clock: its waiting and served are today's, so at the district's midnight it changes with no event.
KIND = EntityKind("hall", HallShape, _build, lambda s: s.district.halls, (ev.HallTicketRecorded,), clock=True)
