"""What the incident sources share: build a Report from a source's own fields, with envelope fallbacks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.catalog import CATEGORIES
from domain.intake import Report
from streams.sources.base import Invalid, choice, ident, mapped, obj, point, text, timestamp

MAX_ADDRESS = 300


def category(raw: Mapping[str, Any], key: str, table: Mapping[str, str], what: str) -> str:
    """Map the source's own code to a catalog category; a record may instead carry our "category" code."""
    code = raw.get(key)
    if type(code) is str and code in table:  # most records: a known code as it is (mapped would strip it)
        return table[code]
    if code in (None, "") and raw.get("category") not in (None, ""):
        return choice(raw, "category", CATEGORIES)
    return mapped(raw, key, table, what)


def located(
    raw: Mapping[str, Any], nested: str = "", lon_key: str = "lon", lat_key: str = "lat"
) -> tuple[float, float]:
    """Read the point from a nested object, the source's own keys, or the envelope's lon/lat."""
    if nested and raw.get(nested) is not None:
        return point(obj(raw, nested), lon_key, lat_key)
    if raw.get(lon_key) is None and raw.get("lon") is not None:
        return point(raw)
    return point(raw, lon_key, lat_key)


def report(
    raw: Mapping[str, Any],
    now: float,
    *,
    source: str,
    id_key: str,
    category: str,
    where: tuple[float, float],
    time_key: str,
    summary_key: str,
    address_key: str = "address",
    prio: int | None = None,
    caller: str = "",
) -> Report:
    """Build the Report; the envelope's source_id, reported_at, summary stand in for absent own fields. caller: the
    caller's pseudonym (streams/sources/caller.py), never the caller's id itself."""
    lon, lat = where
    at_key = time_key if raw.get(time_key) not in (None, "") else "reported_at"
    summary = text(raw, summary_key, required=False) or text(raw, "summary", required=False)
    return Report(
        source=source,
        source_id=ident(raw, id_key, "source_id"),
        category=category,
        lon=lon,
        lat=lat,
        reported_at=timestamp(raw, at_key, now, required=False),
        summary=summary,
        address=text(raw, address_key, required=False, limit=MAX_ADDRESS),
        priority=prio,
        caller=caller,
    )


def check_source(raw: Mapping[str, Any], expected: str) -> None:
    """Refuse a record routed to the wrong adapter (a bug upstream, not the record's fault)."""
    if raw.get("source") != expected:
        raise Invalid(f"record of source {str(raw.get('source'))[:40]!r} given to the {expected} adapter")
