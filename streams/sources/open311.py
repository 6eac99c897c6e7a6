"""Open311 GeoReport v2 service requests; service_code maps onto our catalog through a config table."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from domain.catalog import CATEGORIES
from domain.intake import Report
from streams.sources.base import Invalid, choice, mapped
from streams.sources.caller import read_caller
from streams.sources.incident import located, report

SOURCE = "open311"
# The default table; an installation sets its own (ONEMAP_OPEN311_CODES, a JSON object code -> category).
SERVICE_CODES: dict[str, str] = {
    "001": "streetlight",
    "002": "garbage",
    "003": "illegal_parking",
    "004": "noise",
    "005": "manhole_cover",
    "006": "fallen_tree",
    "007": "waterlogging",
    "008": "road_obstruction",
    "009": "pollution",
    "010": "stray_animal",
    "011": "illegal_construction",
    "012": "road_occupation",
}
STATUSES = frozenset({"open", "closed"})


def load_codes(path: str) -> dict[str, str]:
    """Read a service-code table from a JSON file; every value must be a catalog category."""
    table = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(table, dict) or not all(isinstance(k, str) and v in CATEGORIES for k, v in table.items()):
        raise ValueError(f"{path}: expected a JSON object of service_code -> catalog category")
    return table


def parse(
    raw: Mapping[str, Any], now: float, codes: Mapping[str, str] = SERVICE_CODES, caller_key: bytes = b""
) -> Report:
    """Validate: service_request_id, service_code, lat, long, [requested_datetime, description, address_string, status,
    phone (the requester's: kept only as its keyed hash)]."""
    if choice(raw, "status", STATUSES, required=False, default="open") == "closed":
        raise Invalid("a closed request asks for nothing: not taken")
    return report(
        raw,
        now,
        source=SOURCE,
        id_key="service_request_id",
        category=mapped(raw, "service_code", codes, "Open311 service_code"),
        where=located(raw, lon_key="long", lat_key="lat"),
        time_key="requested_datetime",
        summary_key="description",
        address_key="address_string",
        caller=read_caller(raw, "phone", caller_key),
    )
