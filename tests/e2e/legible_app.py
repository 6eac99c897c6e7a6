"""A running app whose map carries two CAP alerts (a lobed polygon and a circle), shared by the legibility tests."""

from __future__ import annotations

import contextlib
import json
import os
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from streams import feeds

from .conftest import _seed_users, running_app

TOKEN = "sys-legible"
POLYGON_ALERT, CIRCLE_ALERT = "E2E-CAP-POLY", "E2E-CAP-CIRCLE"
CIRCLE = (31.12, 121.19, 2.5)  # lat, lon, radius in km: over Bailu, as a weather service sends it
SIM_RATE = 120  # records per minute: enough markers and incidents to crowd the labels


def _post(url: str, record: dict[str, Any]) -> dict[str, Any]:
    req = urllib.request.Request(
        f"{url}/api/v1/records",
        data=json.dumps(record).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.load(resp)["results"][0]


def cap_records(now: float) -> list[dict[str, Any]]:
    """Return a rainstorm warning drawn as a polygon and a gale warning drawn as a circle (CAP 1.2 XML)."""
    polygon = feeds.cap_alert(POLYGON_ALERT, 121.11, 31.06, now, "城西街道暴雨黄色预警")
    circle = feeds.cap_alert(CIRCLE_ALERT, 121.19, 31.12, now, "白鹭镇大风橙色预警")
    lat, lon, km = CIRCLE
    start, end = circle["xml"].index("<polygon>"), circle["xml"].index("</polygon>") + len("</polygon>")
    circle["xml"] = (circle["xml"][:start] + f"<circle>{lat},{lon} {km}</circle>" + circle["xml"][end:]).replace(
        "<event>暴雨</event>", "<event>大风</event>"
    )
    return [polygon, circle]


@contextlib.contextmanager
def running_cap_app(tmp: Path) -> Iterator[str]:
    """Run the app in tmp with its simulator and an API token; post the two CAP alerts; yield its URL."""
    env = {
        **os.environ,
        "ONEMAP_DATA_DIR": str(tmp / "data"),
        "PYTHONUNBUFFERED": "1",
        "ONEMAP_API_TOKENS": f"{TOKEN}=system",
    }
    _seed_users(env)
    with running_app(env, SIM_RATE) as url:
        for record in cap_records(time.time()):
            result = _post(url, record)
            assert result["status"] == "accepted", result
        yield url
