"""Generate the committed demo district files: `python -m geo.demo [--check]`."""

from __future__ import annotations

import argparse
import json
import random
import sys
from typing import Any

import shapely
from shapely.geometry import LineString, Point, Polygon, mapping

from geo import DATA_DIR, DEMO_DISTRICT_PATH, DEMO_TOWNSHIPS_PATH
from geo import _demo_geometry as dg
from geo.distance import haversine_m

SEED = 20240611
CREW_REACH_M = 3000.0  # 7 minutes at 25 km/h: in time for the 10-minute on-site promise, with the steps before
CREW_CANDIDATES = 400
TOWNSHIPS_FILE = DEMO_TOWNSHIPS_PATH
DISTRICT_FILE = DEMO_DISTRICT_PATH

# (id, name_zh, name_en, kind); order matches the seed layout in _demo_geometry.
TOWNSHIPS = (
    ("T01", "云湖街道", "Yunhu Subdistrict", "street"),
    ("T02", "城东街道", "Chengdong Subdistrict", "street"),
    ("T03", "城北街道", "Chengbei Subdistrict", "street"),
    ("T04", "湖滨街道", "Hubin Subdistrict", "street"),
    ("T05", "城西街道", "Chengxi Subdistrict", "street"),
    ("T06", "城南街道", "Chengnan Subdistrict", "street"),
    ("T07", "滨江街道", "Binjiang Subdistrict", "street"),
    ("T08", "青溪镇", "Qingxi Town", "town"),
    ("T09", "白鹭镇", "Bailu Town", "town"),
    ("T10", "桃源镇", "Taoyuan Town", "town"),
    ("T11", "金湾镇", "Jinwan Town", "town"),
)
TEAM_KINDS = {  # kind -> (zh, en); "comprehensive" first: every township has one
    "comprehensive": ("综合", "Comprehensive"),
    "municipal": ("市政", "Municipal"),
    "mediation": ("调解", "Mediation"),
    "traffic": ("交通", "Traffic"),
    "water": ("水务", "Water"),
    "greening": ("绿化", "Greening"),
    "sanitation": ("环卫", "Sanitation"),
    "utility": ("公用事业", "Utility"),
    "emergency": ("应急", "Emergency"),
}
# Upstream (west) to downstream (east).
STATION_PLACES = (
    ("西口", "Xikou"),
    ("柳堤", "Liudi"),
    ("石桥", "Shiqiao"),
    ("渡口", "Dukou"),
    ("长亭", "Changting"),
    ("云湖桥", "Yunhuqiao"),
    ("中洲", "Zhongzhou"),
    ("湖心闸", "Huxinzha"),
    ("东渡", "Dongdu"),
    ("白沙", "Baisha"),
    ("鹭洲", "Luzhou"),
    ("入江口", "Rujiangkou"),
)
RIVER = ("青溪江", "Qingxi River")
# Office hours (ISO weekdays: "HH:MM-HH:MM"): the townships' halls on weekdays, the district centre on Saturday morning too.
TOWNSHIP_HALL_HOURS = {"1-5": "09:00-17:00"}
CENTRE_HALL_HOURS = {"1-5": "09:00-17:00", "6": "09:00-12:00"}
MARGIN_DEG = 0.0015  # keep generated points ~150 m inside their township


def _r6(x: float) -> float:
    return round(float(x), 6)


def _sample_inside(rng: random.Random, region: Polygon) -> tuple[float, float]:
    """Uniform rejection sample inside `region`, rounded to 6 decimals (still inside)."""
    minx, miny, maxx, maxy = region.bounds
    while True:
        p = Point(_r6(minx + rng.random() * (maxx - minx)), _r6(miny + rng.random() * (maxy - miny)))
        if region.contains(p):
            return p.x, p.y


def _halls(rng: random.Random, polys: dict[str, Polygon], centre: tuple[float, float]) -> list[dict[str, Any]]:
    halls = []
    for i, (tid, zh, en, kind) in enumerate(TOWNSHIPS, start=1):
        core = polys[tid].buffer(-MARGIN_DEG)
        near = core.intersection(polys[tid].centroid.buffer(0.01))  # halls sit near the township centre
        lon, lat = _sample_inside(rng, near if not near.is_empty else core)
        windows = 8 + int(rng.random() * 9) if kind == "street" else 6 + int(rng.random() * 7)
        halls.append(
            {
                "id": f"H{i:02d}",
                "township": tid,
                "name_zh": f"{zh}便民服务中心",
                "name_en": f"{en} Service Center",
                "lon": lon,
                "lat": lat,
                "windows": windows,
                "hours": TOWNSHIP_HALL_HOURS,
            }
        )
    halls.append(
        {
            "id": f"H{len(TOWNSHIPS) + 1:02d}",
            "township": None,
            "name_zh": "云湖区行政服务中心",
            "name_en": "Yunhu District Administrative Service Center",
            "lon": centre[0],
            "lat": centre[1],
            "windows": 40,
            "hours": CENTRE_HALL_HOURS,
        }
    )
    return halls


def _stations(rng: random.Random, polys: dict[str, Polygon], river: LineString) -> list[dict[str, Any]]:
    borders = shapely.union_all([p.boundary for p in polys.values()])
    stations = []
    for i, (zh, en) in enumerate(STATION_PLACES):
        frac = (i + 0.5) / len(STATION_PLACES)
        while True:  # slide downstream until the gauge is clear of every township border
            p = river.interpolate(frac, normalized=True)
            p = Point(_r6(p.x), _r6(p.y))
            if p.distance(borders) > 0.0008:
                break
            frac += 0.004
        tid = next(t for t, poly in polys.items() if poly.contains(p))
        normal = 2.6 + 0.5 * (1 - i / (len(STATION_PLACES) - 1)) + (rng.random() - 0.5) * 0.2
        warning = normal + 0.9 + rng.random() * 0.3
        guarantee = warning + 0.5 + rng.random() * 0.3
        stations.append(
            {
                "id": f"S{i + 1:02d}",
                "name_zh": f"{zh}水文站",
                "name_en": f"{en} Hydrological Station",
                "river_zh": RIVER[0],
                "river_en": RIVER[1],
                "township": tid,
                "lon": p.x,
                "lat": p.y,
                "warning_level": round(warning, 2),
                "guarantee_level": round(guarantee, 2),
                "normal_level": round(normal, 2),
            }
        )
    return stations


def _teams(rng: random.Random, polys: dict[str, Polygon]) -> list[dict[str, Any]]:
    extra_kinds = list(TEAM_KINDS)[1:]
    teams, cursor = [], 0
    for n, (tid, zh, en, kind) in enumerate(TOWNSHIPS):
        # Towns and every other street get three teams; a rotating cursor spreads the kinds.
        count = 3 if kind == "town" or n % 2 == 0 else 2
        kinds = ["comprehensive"] + [extra_kinds[(cursor + k) % len(extra_kinds)] for k in range(count - 1)]
        cursor += count - 1
        core = polys[tid].buffer(-MARGIN_DEG)
        for letter, team_kind in zip("ABC", kinds):
            lon, lat = _sample_inside(rng, core)
            kzh, ken = TEAM_KINDS[team_kind]
            members = 20 + int(rng.random() * 21) if team_kind == "comprehensive" else 8 + int(rng.random() * 18)
            teams.append(
                {
                    "id": f"{tid}-{letter}",
                    "township": tid,
                    "kind": team_kind,
                    "name_zh": f"{zh}{kzh}专职服务队",
                    "name_en": f"{en} {ken} Service Team",
                    "lon": lon,
                    "lat": lat,
                    "members": members,
                }
            )
    return teams


def _crews(rng: random.Random, polys: dict[str, Polygon], teams: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add comprehensive crews (分队) until every part of each township is within CREW_REACH_M of one.

    A real district stations its full-time teams so that the 10-minute on-site promise can be kept;
    the greedy farthest-point placement does that for the demo, deterministically.
    """
    crews: list[dict[str, Any]] = []
    for tid, zh, en, _kind in TOWNSHIPS:
        core = polys[tid].buffer(-MARGIN_DEG)
        spots = [_sample_inside(rng, core) for _ in range(CREW_CANDIDATES)]
        posts = [(t["lon"], t["lat"]) for t in teams if t["township"] == tid and t["kind"] == "comprehensive"]
        while True:
            gap, far = max((min(haversine_m(x, y, px, py) for px, py in posts), (x, y)) for x, y in spots)
            if gap <= CREW_REACH_M:
                break
            posts.append(far)
            n = len(posts)
            crews.append(
                {
                    "id": f"{tid}-Z{n}",
                    "township": tid,
                    "kind": "comprehensive",
                    "name_zh": f"{zh}综合专职服务队第{n}分队",
                    "name_en": f"{en} Comprehensive Service Team, Unit {n}",
                    "lon": far[0],
                    "lat": far[1],
                    "members": 8 + int(rng.random() * 8),
                }
            )
    return crews


def generate(seed: int = SEED) -> tuple[str, str]:
    """Return (townships GeoJSON text, district JSON text), fully determined by `seed`."""
    geom = dg.build(seed)
    rng = random.Random(seed + 1)
    features = [
        {
            "type": "Feature",
            "properties": {"id": tid, "name_zh": zh, "name_en": en, "kind": kind},
            "geometry": mapping(geom.townships[tid]),
        }
        for tid, zh, en, kind in TOWNSHIPS
    ]
    centre_pt = geom.townships["T01"].buffer(-MARGIN_DEG).intersection(geom.district.centroid.buffer(0.003))
    centre_pt = centre_pt.point_on_surface() if not centre_pt.is_empty else geom.townships["T01"].point_on_surface()
    centre = (_r6(centre_pt.x), _r6(centre_pt.y))
    district = {
        "district": {"name_zh": "云湖区", "name_en": "Yunhu District", "center": list(centre)},
        "halls": _halls(rng, geom.townships, centre),
        "stations": _stations(rng, geom.townships, geom.river),
        "teams": (teams := _teams(rng, geom.townships)) + _crews(random.Random(seed + 2), geom.townships, teams),
        # Extra layer for the map: the river the stations gauge.
        "rivers": [
            {
                "id": "R01",
                "name_zh": RIVER[0],
                "name_en": RIVER[1],
                "coordinates": [[_r6(x), _r6(y)] for x, y in geom.river.coords],
            }
        ],
    }
    # One feature per line keeps diffs readable without exploding the file vertically.
    lines = ",\n".join(json.dumps(_rounded(f), ensure_ascii=False) for f in features)
    townships_text = '{"type": "FeatureCollection", "features": [\n' + lines + "\n]}\n"
    return townships_text, json.dumps(district, ensure_ascii=False, indent=1) + "\n"


def _rounded(obj: object) -> object:
    if isinstance(obj, float):
        return _r6(obj)
    if isinstance(obj, (list, tuple)):
        return [_rounded(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items()}
    return obj


def main(argv: list[str] | None = None) -> int:
    """Write the demo files, or with --check verify the committed ones are up to date."""
    parser = argparse.ArgumentParser(prog="python -m geo.demo", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed files differ")
    args = parser.parse_args(argv)
    outputs = dict(zip((TOWNSHIPS_FILE, DISTRICT_FILE), generate()))
    if args.check:
        stale = [p.name for p, text in outputs.items() if not p.exists() or p.read_text("utf-8") != text]
        print("stale: " + ", ".join(stale) if stale else "demo files up to date")
        return 1 if stale else 0
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
