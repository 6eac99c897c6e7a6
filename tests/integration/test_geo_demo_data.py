"""The committed demo district files: reproducible, topologically sound, points in their townships."""

from __future__ import annotations

import itertools
import json
import random
from collections import Counter

import pytest
import shapely
from shapely.geometry import Point, shape

from geo import demo
from geo.distance import haversine_m


@pytest.fixture(scope="module")
def townships() -> dict:
    return json.loads(demo.TOWNSHIPS_FILE.read_text("utf-8"))


@pytest.fixture(scope="module")
def district() -> dict:
    return json.loads(demo.DISTRICT_FILE.read_text("utf-8"))


@pytest.fixture(scope="module")
def polygons(townships) -> dict:
    return {f["properties"]["id"]: shape(f["geometry"]) for f in townships["features"]}


def test_regenerating_reproduces_the_committed_files_byte_for_byte():
    townships_text, district_text = demo.generate()
    assert townships_text == demo.TOWNSHIPS_FILE.read_text("utf-8"), "run `python -m geo.demo` and commit"
    assert district_text == demo.DISTRICT_FILE.read_text("utf-8"), "run `python -m geo.demo` and commit"


def test_check_mode_reports_committed_files_up_to_date():
    assert demo.main(["--check"]) == 0


def test_district_has_seven_streets_and_four_towns_with_ids_t01_to_t11(townships):
    props = [f["properties"] for f in townships["features"]]
    assert [p["id"] for p in props] == [f"T{i:02d}" for i in range(1, 12)]
    assert Counter(p["kind"] for p in props) == {"street": 7, "town": 4}
    assert all(p["name_zh"].endswith("街道") == (p["kind"] == "street") for p in props)
    assert all(p["name_en"] for p in props)


def test_townships_are_valid_polygons_in_the_yangtze_delta_box(polygons):
    for tid, poly in polygons.items():
        assert poly.geom_type == "Polygon" and poly.is_valid, tid
        minx, miny, maxx, maxy = poly.bounds
        assert 121.00 <= minx and maxx <= 121.30 and 30.95 <= miny and maxy <= 31.20, tid


def test_townships_do_not_overlap_and_leave_no_gaps(polygons):
    for (a, pa), (b, pb) in itertools.combinations(polygons.items(), 2):
        assert pa.intersection(pb).area == 0.0, (a, b)
    union = shapely.union_all(list(polygons.values()))
    assert union.geom_type == "Polygon" and len(union.interiors) == 0
    assert union.area == pytest.approx(sum(p.area for p in polygons.values()), rel=1e-12)


def test_streets_are_smaller_than_towns(polygons, townships):
    kinds = {f["properties"]["id"]: f["properties"]["kind"] for f in townships["features"]}
    largest_street = max(p.area for t, p in polygons.items() if kinds[t] == "street")
    smallest_town = min(p.area for t, p in polygons.items() if kinds[t] == "town")
    assert largest_street < smallest_town


def test_every_hall_team_and_station_lies_inside_its_township(district, polygons):
    for group in ("halls", "teams", "stations"):
        for item in district[group]:
            if item["township"] is None:
                continue
            assert polygons[item["township"]].contains(Point(item["lon"], item["lat"])), (group, item["id"])


def test_each_township_has_one_hall_and_the_district_centre_has_its_own(district, polygons):
    halls = district["halls"]
    assert sorted(h["township"] for h in halls if h["township"]) == sorted(polygons)
    centre_halls = [h for h in halls if h["township"] is None]
    assert len(centre_halls) == 1
    assert [centre_halls[0]["lon"], centre_halls[0]["lat"]] == district["district"]["center"]
    assert shapely.union_all(list(polygons.values())).contains(Point(district["district"]["center"]))
    assert all(isinstance(h["windows"], int) and h["windows"] > 0 for h in halls)


def test_every_township_has_two_or_three_teams_including_one_comprehensive_plus_its_crews(district, polygons):
    by_township: dict[str, list[str]] = {}
    for team in district["teams"]:
        assert team["id"].startswith(team["township"] + "-")
        assert isinstance(team["members"], int) and team["members"] > 0
        if "-Z" not in team["id"]:  # the comprehensive crews (分队) placed for reach are counted below
            by_township.setdefault(team["township"], []).append(team["kind"])
    assert set(by_township) == set(polygons)
    for tid, kinds in by_township.items():
        assert 2 <= len(kinds) <= 3 and kinds.count("comprehensive") == 1, tid
        assert len(set(kinds)) == len(kinds), tid
    assert all(t["kind"] == "comprehensive" for t in district["teams"] if "-Z" in t["id"])


def test_every_part_of_every_township_has_a_comprehensive_team_within_reach_of_the_on_site_promise(district, polygons):
    # 3 km at the default 25 km/h is about 7 minutes: in time for the 10-minute on-site target.
    rng = random.Random(5)
    posts = [(t["lon"], t["lat"]) for t in district["teams"] if t["kind"] == "comprehensive"]
    for tid, poly in polygons.items():
        minx, miny, maxx, maxy = poly.bounds
        points = [Point(minx + rng.random() * (maxx - minx), miny + rng.random() * (maxy - miny)) for _ in range(300)]
        for p in (p for p in points if poly.contains(p)):
            nearest = min(haversine_m(p.x, p.y, x, y) for x, y in posts)
            assert nearest <= 3600, (tid, p.x, p.y, nearest)


def test_each_specialised_team_kind_serves_several_townships(district):
    townships_by_kind: dict[str, set[str]] = {}
    for team in district["teams"]:
        townships_by_kind.setdefault(team["kind"], set()).add(team["township"])
    expected = {"municipal", "mediation", "traffic", "water", "greening", "sanitation", "utility", "emergency"}
    assert set(townships_by_kind) == expected | {"comprehensive"}
    assert all(len(townships_by_kind[k]) >= 2 for k in expected)


def test_stations_follow_the_river_and_guarantee_level_exceeds_warning_level(district):
    river = shapely.LineString(district["rivers"][0]["coordinates"])
    stations = district["stations"]
    assert 10 <= len(stations) <= 14
    assert [s["id"] for s in stations] == [f"S{i:02d}" for i in range(1, len(stations) + 1)]
    for s in stations:
        assert river.distance(Point(s["lon"], s["lat"])) < 1e-5, s["id"]
        assert s["river_zh"] == "青溪江" and s["river_en"] == "Qingxi River"
        assert s["normal_level"] < s["warning_level"] < s["guarantee_level"], s["id"]
