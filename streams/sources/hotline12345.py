"""12345 citizen hotline work orders (工单): a work-order number, a matter code, the caller's appeal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.intake import Report
from streams.sources.base import choice, priority
from streams.sources.caller import read_caller
from streams.sources.incident import category, located, report

SOURCE = "12345"
# Matter classification codes (事项分类编码) of the hotline, onto our catalog.
MATTER_CODES: dict[str, str] = {
    "0101": "noise",
    "0102": "pollution",
    "0103": "garbage",
    "0201": "illegal_parking",
    "0202": "road_occupation",
    "0203": "road_obstruction",
    "0204": "manhole_cover",
    "0205": "streetlight",
    "0301": "water_outage",
    "0302": "power_outage",
    "0303": "gas_leak",
    "0401": "neighbour_dispute",
    "0402": "property_dispute",
    "0403": "wage_dispute",
    "0501": "waterlogging",
    "0502": "flood_risk",
    "0503": "fallen_tree",
    "0601": "illegal_construction",
    "0701": "stray_animal",
    "0801": "elderly_help",
    "0802": "lost_person",
    "0901": "public_safety",
}
APPEAL_KINDS = frozenset({"complaint", "help", "report", "consult", "suggest", "投诉", "求助", "举报", "咨询", "建议"})
URGENCY = {"特急": 1, "紧急": 2, "一般": 3, "urgent": 1, "high": 2, "normal": 3}


def parse(raw: Mapping[str, Any], now: float, caller_key: bytes = b"") -> Report:
    """Validate: order_no, matter_code, location{lng, lat, crs}, [appeal_kind, accepted_at, content, address, urgency,
    caller (the caller's phone: kept only as its keyed hash)]."""
    choice(raw, "appeal_kind", APPEAL_KINDS, required=False, default="complaint")
    return report(
        raw,
        now,
        source=SOURCE,
        id_key="order_no",
        category=category(raw, "matter_code", MATTER_CODES, "12345 matter code"),
        where=located(raw, "location", "lng", "lat"),
        time_key="accepted_at",
        summary_key="content",
        prio=priority(raw, "urgency", URGENCY),
        caller=read_caller(raw, "caller", caller_key),
    )
