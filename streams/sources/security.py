"""Key-period security events (重点时段安保): crowd density, public order, fire, traffic accident."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.intake import Report
from streams.sources.base import Invalid, mapped, number, priority, text
from streams.sources.incident import located, report

SOURCE = "security"
KINDS: dict[str, str] = {
    "crowd_density": "public_safety",
    "public_order": "public_safety",
    "fire": "public_safety",
    "traffic_accident": "road_obstruction",
    "人员密集": "public_safety",
    "治安事件": "public_safety",
    "火情": "public_safety",
    "交通事故": "road_obstruction",
}
CROWD_KINDS = frozenset({"crowd_density", "人员密集"})
MAX_DENSITY = 12.0  # persons per square metre: above this a camera count is wrong, not a crowd
CROWD_URGENT = 4.0  # persons per square metre at which a crowd is an urgent matter


def parse(raw: Mapping[str, Any], now: float) -> Report:
    """Validate: event_no, kind, lon, lat, [crs, venue, observed_at, density (crowd), level, description]."""
    kind = text(raw, "kind", limit=40)
    cat = mapped(raw, "kind", KINDS, "security event kind")
    prio = priority(raw, "level")
    if kind in CROWD_KINDS:
        density = number(raw, "density", 0, MAX_DENSITY)
        prio = prio or (1 if density >= CROWD_URGENT else 2)
    elif raw.get("density") is not None:
        raise Invalid("field 'density' belongs to crowd_density events only")
    venue = text(raw, "venue", required=False, limit=200)
    return report(
        {**raw, "address": venue or raw.get("address")},
        now,
        source=SOURCE,
        id_key="event_no",
        category=cat,
        where=located(raw),
        time_key="observed_at",
        summary_key="description",
        prio=prio,
    )
