"""The map layers' pure functions (assets/layers.js), run in node against the Python rules they mirror."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from geo.coords import wgs84_to_gcj02
from geo.distance import haversine_m
from tests.support import node_require, run_node

SHIFT_TOLERANCE_M = 0.01


def _node(script: str) -> Any:
    """Run a script in node with assets/layers.js loaded as L; return what it prints as JSON."""
    return run_node(
        node_require("L", "layers.js") + "const out = x => console.log(JSON.stringify(x));",
        script,
        "the map's browser code",
    )


def _sample_points() -> list[tuple[float, float]]:
    """Return cities across China, a grid over its box, points just inside its edges, and some outside."""
    cities = [
        (116.397, 39.909),
        (121.4737, 31.2304),
        (113.2644, 23.1291),
        (104.0665, 30.5723),
        (87.6168, 43.8256),
        (126.6424, 45.7567),
        (91.1409, 29.6456),
        (110.3312, 20.0311),
        (121.15, 31.08),
    ]
    lon, lat = np.meshgrid(np.linspace(73.0, 135.0, 14), np.linspace(3.0, 53.0, 11))
    edges = [(72.0045, 30.0), (137.8346, 40.0), (100.0, 0.8294), (120.0, 55.827)]
    outside = [(-0.1276, 51.5072), (139.6917, 35.6895), (72.0, 30.0), (151.2, -33.9)]
    return cities + list(zip(lon.ravel().tolist(), lat.ravel().tolist())) + edges + outside


def test_the_browser_shifts_wgs84_to_gcj02_like_geo_coords_within_a_centimetre() -> None:
    points = _sample_points()
    got = _node(f"out({json.dumps(points)}.map(p => L.wgs84ToGcj02(p[0], p[1])));")
    worst = 0.0
    for (lon, lat), (js_lon, js_lat) in zip(points, got):
        py_lon, py_lat = wgs84_to_gcj02(lon, lat)
        worst = max(worst, haversine_m(py_lon, py_lat, js_lon, js_lat))
    assert worst <= SHIFT_TOLERANCE_M, f"largest difference {worst:.6f} m"


def test_the_shift_moves_points_in_china_by_hundreds_of_metres_and_leaves_others_alone() -> None:
    got = _node(
        "out([L.toTiles(121.15, 31.08, 'gcj02'), L.toTiles(121.15, 31.08, 'wgs84'), L.wgs84ToGcj02(-0.1276, 51.5072)]);"
    )
    assert 100 < haversine_m(121.15, 31.08, *got[0]) < 1000
    assert got[1] == [121.15, 31.08]
    assert got[2] == [-0.1276, 51.5072]


def test_open_incident_shading_gives_zero_its_own_class_and_the_maximum_the_top_class() -> None:
    got = _node("""const s = L.shade("open", {T01: 0, T02: 1, T03: 8, T04: 13, T05: 4});
        out([s.fills, s.labels, s.legend.map(c => c.label), [0, 1, 2, 3, 4].map(i => L.countClass(i, 4))]);""")
    fills, labels, legend, small = got
    assert len(set(fills.values())) == 5 and fills["T01"] != fills["T02"]
    assert fills["T04"] == _node("out(L.shade('open', {a: 99}).fills.a)")  # the maximum is always the top class
    assert labels == {"T01": "0", "T02": "1", "T03": "8", "T04": "13", "T05": "4"}
    assert legend == ["0", "1–3", "4–6", "7–9", "10–13"]
    assert small == [0, 1, 2, 3, 4]  # few incidents: one class per count


def test_on_time_shading_uses_fixed_breaks_against_the_99_percent_promise() -> None:
    got = _node("""const s = L.shade("on_time", {a: 0.995, b: 0.99, c: 0.985, d: 0.96, e: 0.92, f: 0.5, g: null},
                                 r => (r * 100).toFixed(1) + "%");
        out([s.fills, s.labels, s.legend.map(c => c.label), L.NO_DATA_FILL]);""")
    fills, labels, legend, no_data = got
    assert fills["a"] == fills["b"] and len({fills[k] for k in "bcdef"}) == 5
    assert fills["g"] == no_data and labels["g"] == "—" and labels["c"] == "98.5%"
    assert legend == ["≥99%", "98–99%", "95–98%", "90–95%", "<90%", None]


@pytest.mark.parametrize(
    "level,state",
    [
        (3.0, "normal"),
        (3.90, "normal"),
        (3.92, "near"),
        (4.08, "warning"),
        (4.5, "warning"),
        (4.76, "guarantee"),
        (6.0, "guarantee"),
    ],
)
def test_a_station_is_coloured_by_its_level_against_its_own_thresholds(level: float, state: str) -> None:
    # Xikou station: warning 4.08 m, guarantee 4.76 m; "near" starts a quarter of the gap below warning (3.91 m).
    got = _node(f"out([L.stationLevel({level}, 4.08, 4.76), L.STATION_COLOR]);")
    assert got[0]["state"] == state and got[0]["color"] == got[1][state]


def test_the_station_states_agree_with_the_servers_rule() -> None:
    # web/views.py: guarantee when level >= guarantee, warning when level >= warning, else normal ("near" is ours).
    got = _node(
        "out([[4.76, 4.08, 4.76], [4.08, 4.08, 4.76], [4.0799, 4.08, 4.76], [2, 2, 2]].map(a => L.stationLevel(...a).state));"
    )
    assert got[0] == "guarantee" and got[1] == "warning" and got[2] in ("near", "normal") and got[3] == "guarantee"


def test_a_halls_symbol_grows_with_its_queue_by_area_and_is_capped() -> None:
    got = _node(
        "out([[0, 1, 4, 9, 16, 25, 1000].map(L.hallSize), [[0, 3], [5, 0], [4, 2], [6, 2], [10, 8], [12, 12]].map(a => L.hallLoad(...a))]);"
    )
    sizes, loads = got
    assert sizes[0] == 14 and sizes[-1] == 42
    assert sizes == sorted(sizes) and len(set(sizes[:-1])) == 6
    assert sizes[2] - sizes[0] == pytest.approx(2 * (sizes[1] - sizes[0]))  # side - min grows with the square root
    assert loads == ["idle", "closed", "normal", "busy", "busy", "busy"]


def test_alerts_disappear_once_expired_by_the_corrected_clock() -> None:
    alerts = [
        {
            "kind": "alert",
            "id": "A",
            "event": "暴雨",
            "severity": "Severe",
            "headline": "h",
            "areas": [{"polygon": [[31.0, 121.0], [31.0, 121.1], [31.1, 121.1]]}],
            "expires": 1000,
        },
        {
            "kind": "alert",
            "id": "B",
            "event": "台风",
            "severity": "Extreme",
            "headline": "h",
            "areas": [{"circle": {"lat": 31.05, "lon": 121.2, "radius_km": 2.5}}, {"polygon": [[31.0, 121.0]]}],
            "expires": 2000,
        },
        {
            "kind": "alert",
            "id": "C",
            "event": "大风",
            "severity": "Bogus",
            "headline": "h",
            "areas": [],
            "expires": None,
        },
    ]
    got = _node(f"""const a = {json.dumps(alerts)};
        out([L.alertActive(a[0], 999.9), L.alertActive(a[0], 1000), L.alertActive(a[2], 1e12),
             L.alertFeatures(a, 999), L.alertFeatures(a, 1500).features.map(f => f.properties.alert)]);""")
    before, at_expiry, no_expiry, drawn, later = got
    assert (before, at_expiry, no_expiry) == (True, False, True)
    kinds = [(f["properties"]["alert"], f["geometry"]["type"]) for f in drawn["features"]]
    assert kinds == [("A", "Polygon"), ("B", "Point")]  # most severe last; a 1-point polygon is dropped
    ring = drawn["features"][0]["geometry"]["coordinates"][0]
    assert ring[0] == [121.0, 31.0] and ring[-1] == ring[0] and len(ring) == 4  # [lon, lat], closed
    assert drawn["features"][1]["properties"]["radius_m"] == 2500
    assert later == ["B"]


def test_an_unknown_severity_is_drawn_as_unknown() -> None:
    got = _node("""out([L.alertFeatures([{id: "x", severity: "Bogus", areas: [{circle: {lat: 1, lon: 2, radius_km: 1}}]}], 0)
        .features[0].properties.severity, L.severityColor("Extreme"), L.severityColor("Bogus") === L.severityColor("Unknown")]);""")
    assert got[0] == "Unknown" and got[1] == "#ef4444" and got[2] is True
