"""110 non-police diversion (非警务警情分流): the police line hands over what is not police work."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.intake import Report
from streams.sources.base import priority
from streams.sources.caller import read_caller
from streams.sources.incident import category, located, report

SOURCE = "110"
# The diversion codes (分流警情类别) of the 110 platform, each onto our catalog.
CASE_TYPES: dict[str, str] = {
    "FJ01": "noise",
    "FJ02": "neighbour_dispute",
    "FJ03": "property_dispute",
    "FJ04": "wage_dispute",
    "FJ05": "illegal_parking",
    "FJ06": "road_obstruction",
    "FJ07": "waterlogging",
    "FJ08": "water_outage",
    "FJ09": "power_outage",
    "FJ10": "gas_leak",
    "FJ11": "manhole_cover",
    "FJ12": "fallen_tree",
    "FJ13": "stray_animal",
    "FJ14": "elderly_help",
    "FJ15": "lost_person",
    "FJ16": "public_safety",
    "FJ17": "garbage",
    "FJ18": "pollution",
    "FJ19": "road_occupation",
    "FJ20": "streetlight",
    "FJ21": "illegal_construction",
    "FJ22": "flood_risk",
}


def parse(raw: Mapping[str, Any], now: float, caller_key: bytes = b"") -> Report:
    """Validate: alarm_no, case_type, lon, lat, [crs, alarm_at, content, address, level, caller (the caller's phone:
    kept only as its keyed hash)]."""
    return report(
        raw,
        now,
        source=SOURCE,
        id_key="alarm_no",
        category=category(raw, "case_type", CASE_TYPES, "110 case type"),
        where=located(raw),
        time_key="alarm_at",
        summary_key="content",
        prio=priority(raw, "level"),
        caller=read_caller(raw, "caller", caller_key),
    )
