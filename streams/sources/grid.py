"""Grid platform (基层智治) events: found by a grid worker in a grid cell, classified by event type."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.intake import Report
from streams.sources.base import Invalid, text
from streams.sources.incident import category, located, report

SOURCE = "grid"
# Event type codes of the grid platform (a letter for the line of work, then the item), onto our catalog.
EVENT_TYPES: dict[str, str] = {
    "A0101": "road_occupation",
    "A0102": "illegal_parking",
    "A0103": "garbage",
    "A0104": "illegal_construction",
    "A0105": "noise",
    "A0106": "pollution",
    "B0201": "road_obstruction",
    "B0202": "manhole_cover",
    "B0203": "streetlight",
    "B0204": "fallen_tree",
    "B0205": "waterlogging",
    "C0301": "water_outage",
    "C0302": "power_outage",
    "C0303": "gas_leak",
    "D0401": "neighbour_dispute",
    "D0402": "property_dispute",
    "D0403": "wage_dispute",
    "E0501": "elderly_help",
    "E0502": "lost_person",
    "E0503": "stray_animal",
    "F0601": "public_safety",
    "F0602": "flood_risk",
}
GRID_CODE_DIGITS = (8, 20)  # administrative prefix plus cell number


def parse(raw: Mapping[str, Any], now: float) -> Report:
    """Validate: event_no, event_type, lng, lat, [crs, grid_code, reporter, found_at, description, address]."""
    grid_code = text(raw, "grid_code", required=False, limit=40)
    if grid_code and not (grid_code.isdigit() and GRID_CODE_DIGITS[0] <= len(grid_code) <= GRID_CODE_DIGITS[1]):
        raise Invalid("field 'grid_code' must be 8 to 20 digits")
    text(raw, "reporter", required=False, limit=60)
    return report(
        raw,
        now,
        source=SOURCE,
        id_key="event_no",
        category=category(raw, "event_type", EVENT_TYPES, "grid event type"),
        where=located(raw, lon_key="lng", lat_key="lat"),
        time_key="found_at",
        summary_key="description",
    )
