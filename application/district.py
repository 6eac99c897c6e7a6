"""Load a district's fixtures (townships, teams, stations, halls) into the domain's District."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from config import Settings
from domain.halls import parse_hours
from domain.model import District, Hall, Station, Team, Township

DEMO_FIXTURES = Path(__file__).resolve().parents[1] / "geo" / "data" / "demo_district.json"


def build_district(
    townships: list[dict[str, Any]],
    neighbours: dict[str, set[str]],
    fixtures: dict[str, Any],
    utc_offset_h: float = Settings.utc_offset_h,
) -> District:
    """Combine township summaries (geo.boundaries) with a fixtures document (demo_district.json) in a time zone."""
    meta = fixtures.get("district", {})
    towns = {
        t["id"]: Township(
            t["id"],
            t["name_zh"],
            t.get("name_en") or t["name_zh"],
            t.get("kind") or "street",
            float(t["centroid_lon"]),
            float(t["centroid_lat"]),
        )
        for t in townships
    }
    teams = {
        t["id"]: Team(
            t["id"], t["township"], t["kind"], t["name_zh"], t["name_en"], t["lon"], t["lat"], int(t.get("members", 6))
        )
        for t in fixtures.get("teams", [])
    }
    stations = {
        s["id"]: Station(
            s["id"],
            s["name_zh"],
            s["name_en"],
            s.get("township"),
            s["lon"],
            s["lat"],
            s["warning_level"],
            s["guarantee_level"],
            s["normal_level"],
        )
        for s in fixtures.get("stations", [])
    }
    halls = {
        h["id"]: Hall(
            h["id"],
            h.get("township"),
            h["name_zh"],
            h["name_en"],
            h["lon"],
            h["lat"],
            int(h.get("windows", 4)),
            parse_hours(h.get("hours")),
        )
        for h in fixtures.get("halls", [])
    }
    center = tuple(
        meta.get("center")
        or (sum(t.lon for t in towns.values()) / len(towns), sum(t.lat for t in towns.values()) / len(towns))
    )
    return District(
        meta.get("name_zh", ""),
        meta.get("name_en", ""),
        center,
        towns,
        teams,
        stations,
        halls,
        utc_offset_h,
        {k: frozenset(v) for k, v in neighbours.items()},
    )


def load_fixtures(path: Path = DEMO_FIXTURES) -> dict[str, Any]:
    """Read a fixtures document."""
    fixtures: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return fixtures
