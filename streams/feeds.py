"""Records in each source's own schema, as the demo feed and the tests send them."""

from __future__ import annotations

import math
import random
from datetime import datetime
from typing import Any

from streams.sources import grid, hotline12345, open311, police110
from streams.sources.base import CHINA_TZ

CODE_110 = {v: k for k, v in police110.CASE_TYPES.items()}
CODE_12345 = {v: k for k, v in hotline12345.MATTER_CODES.items()}
CODE_GRID = {v: k for k, v in grid.EVENT_TYPES.items()}
OPEN311_CODE = {v: k for k, v in open311.SERVICE_CODES.items()}
SECURITY_KIND = {"road_obstruction": "traffic_accident"}  # the rest are public-safety kinds
SECURITY_TEXT = {
    "crowd_density": "人员密集",
    "public_order": "治安事件",
    "fire": "火情",
    "traffic_accident": "交通事故",
}


def native(
    source: str,
    own_id: str,
    category: str,
    lon: float,
    lat: float,
    when: str,
    text: str,
    address: str,
    rng: random.Random,
) -> dict[str, Any]:
    """Return an incident record in its source's schema (docs/streams.md)."""
    if source == "110":
        return {
            "source": "110",
            "alarm_no": own_id,
            "case_type": CODE_110[category],
            "alarm_at": when,
            "content": text,
            "address": address,
            "lon": lon,
            "lat": lat,
        }
    if source == "12345":
        return {
            "source": "12345",
            "order_no": own_id,
            "matter_code": CODE_12345[category],
            "accepted_at": when,
            "appeal_kind": rng.choice(("complaint", "help", "report")),
            "content": text,
            "address": address,
            "location": {"lng": lon, "lat": lat, "crs": "wgs84"},
        }
    if source == "grid":
        return {
            "source": "grid",
            "event_no": own_id,
            "event_type": CODE_GRID[category],
            "found_at": when,
            "grid_code": f"3301{rng.randint(10**8, 10**9 - 1)}",
            "description": text,
            "address": address,
            "lng": lon,
            "lat": lat,
        }
    if source == "open311":
        return {
            "source": "open311",
            "service_request_id": own_id,
            "service_code": OPEN311_CODE[category],
            "requested_datetime": when,
            "description": text,
            "address_string": address,
            "lat": lat,
            "long": lon,
            "status": "open",
        }
    kind = SECURITY_KIND.get(category) or rng.choice(("crowd_density", "public_order", "fire"))
    out = {
        "source": "security",
        "event_no": own_id,
        "kind": kind,
        "observed_at": when,
        "venue": address,
        "description": f"{address}：{SECURITY_TEXT[kind]}",
        "lon": lon,
        "lat": lat,
    }
    return {**out, "density": round(rng.uniform(1.0, 5.0), 1)} if kind == "crowd_density" else out


BAND_POINTS = 16


def _band(lon: float, lat: float, radius_deg: float) -> list[tuple[float, float]]:
    """Return a closed ring of (lat, lon), as a weather service draws a warning area: lobed, longer east-west."""
    ring = []
    for i in range(BAND_POINTS):
        a = 2 * math.pi * i / BAND_POINTS
        r = radius_deg * (1 + 0.18 * math.sin(3 * a) + 0.08 * math.cos(5 * a))
        ring.append((lat + 0.8 * r * math.sin(a), lon + 1.3 * r * math.cos(a)))
    return [*ring, ring[0]]


def cap_alert(
    identifier: str,
    lon: float,
    lat: float,
    now: float,
    headline: str,
    msg_type: str = "Alert",
    references: str = "",
    expires_in_s: float = 7200.0,
    half_deg: float = 0.03,
) -> dict[str, Any]:
    """Return a CAP 1.2 record: a rain band (a lobed polygon) around a point, expiring after expires_in_s."""
    sent = datetime.fromtimestamp(now, CHINA_TZ).isoformat(timespec="seconds")
    expires = datetime.fromtimestamp(now + expires_in_s, CHINA_TZ).isoformat(timespec="seconds")
    polygon = " ".join(f"{a:.5f},{b:.5f}" for a, b in _band(lon, lat, half_deg))
    refs = f"<references>{references}</references>" if references else ""
    info = (
        ""
        if msg_type == "Cancel"
        else (
            f"<info><language>zh-CN</language><category>Met</category><event>暴雨</event><urgency>Expected</urgency>"
            f"<severity>Moderate</severity><certainty>Likely</certainty><expires>{expires}</expires>"
            f"<headline>{headline}</headline><description>{headline}，请注意防范。</description>"
            f"<area><areaDesc>{headline[:20]}</areaDesc><polygon>{polygon}</polygon></area></info>"
        )
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">'
        f"<identifier>{identifier}</identifier><sender>weather@district.example</sender><sent>{sent}</sent>"
        f"<status>Actual</status><msgType>{msg_type}</msgType><scope>Public</scope>{refs}{info}</alert>"
    )
    return {"source": "cap", "source_id": identifier, "xml": xml}
