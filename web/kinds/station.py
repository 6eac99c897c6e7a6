"""The station kind: a hydrology station's level, rainfall and flood state."""

from __future__ import annotations

from typing import TypedDict

from domain import events as ev
from domain import flood
from domain.projection import Projection
from web.kinds.base import DayFigures, EntityKind


class StationShape(TypedDict):
    """A station with its last reading and its levels."""

    kind: str
    id: str
    name_zh: str
    name_en: str
    township: str | None  # a station may stand outside every township
    lon: float
    lat: float
    warning_level: float
    guarantee_level: float
    level: float
    rainfall: float
    at: float | None
    state: str
    trend: str
    recent: list[float]


def _build(state: Projection, ident: str, _day: DayFigures) -> StationShape | None:
    s = state.district.stations.get(ident)
    if s is None:
        return None
    r = state.stations.get(ident)
    level = r.level if r else s.normal_level
    return {
        "kind": "station",
        "id": s.id,
        "name_zh": s.name_zh,
        "name_en": s.name_en,
        "township": s.township,
        "lon": s.lon,
        "lat": s.lat,
        "warning_level": s.warning_level,
        "guarantee_level": s.guarantee_level,
        "level": level,
        "rainfall": r.rainfall if r else 0.0,
        "at": r.at if r else None,
        "state": flood.level_state(s, level),
        "trend": flood.trend(r.recent if r else ()),
        "recent": list(r.recent) if r else [],
    }


KIND = EntityKind(
    "station", StationShape, _build, lambda s: s.district.stations, (ev.StationReadingRecorded, ev.FloodStageChanged)
)
