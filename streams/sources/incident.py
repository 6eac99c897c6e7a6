"""Incident reports from 110 diversion, 12345 and the grid platform (common schema v1)."""
from __future__ import annotations

from typing import Any, Mapping

from domain.catalog import CATEGORIES
from domain.intake import Report
from streams.sources.base import Invalid, choice, ident, number, text, timestamp

CRS = frozenset({"wgs84", "gcj02", "bd09"})


def to_wgs84(lon: float, lat: float, crs: str) -> tuple[float, float]:
    """Convert a source's coordinates to WGS-84."""
    if crs == "wgs84":
        return lon, lat
    from geo.coords import to_wgs84 as convert  # pure math, imported only when needed

    return convert(lon, lat, crs)


def parse(raw: Mapping[str, Any], now: float) -> Report:
    """Validate an incident record: source_id, category, lon, lat, reported_at, [crs, summary, address, priority]."""
    category = choice(raw, "category", CATEGORIES)
    lon = number(raw, "lon", -180, 180)
    lat = number(raw, "lat", -90, 90)
    crs = choice(raw, "crs", CRS, required=False, default="wgs84")
    lon, lat = to_wgs84(lon, lat, crs)
    priority = raw.get("priority")
    if priority is not None and priority not in (1, 2, 3):
        raise Invalid("field 'priority' must be 1, 2 or 3")
    return Report(
        source=str(raw["source"]), source_id=ident(raw, "source_id"), category=category,
        lon=round(lon, 7), lat=round(lat, 7), reported_at=timestamp(raw, "reported_at", now, required=False),
        summary=text(raw, "summary", required=False), address=text(raw, "address", required=False, limit=300),
        priority=priority,
    )
