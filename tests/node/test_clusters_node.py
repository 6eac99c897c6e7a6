"""The map's clustering (assets/clusters.js), run in node: one level at the map's zoom, in arrival order, so a new
incident changes one group only."""

from __future__ import annotations

import json
import random
from typing import Any

from tests.support import node_require, run_node

ZOOM, RADIUS_PX = 12.1, 40


def _groups(points: list[dict[str, Any]], zoom: float = ZOOM, radius: float = RADIUS_PX) -> list[dict[str, Any]]:
    """Group points [{id, lon, lat, rank, status}] with assets/clusters.js; return its groups."""
    return run_node(
        node_require("C", "clusters.js"),
        "const pts = JSON.parse(require('fs').readFileSync(0, 'utf8')).map(p => Object.assign(p, {x: C.mercX(p.lon),"
        " y: C.mercY(p.lat)}));"
        f"console.log(JSON.stringify(C.group(pts, {zoom}, {radius})));",
        "the map's clustering",
        stdin=json.dumps(points),
    )


def _pt(ident: str, lon: float, lat: float, rank: int = 1, status: str = "waiting") -> dict[str, Any]:
    return {"id": ident, "lon": lon, "lat": lat, "rank": rank, "status": status}


def _px(deg: float) -> float:
    """Return screen pixels per degree of longitude at ZOOM."""
    return 256 * 2**ZOOM / 360 * deg


def test_points_within_the_radius_of_the_first_gather_with_its_worst_state_and_farther_ones_stand_alone() -> None:
    step = 30 / _px(1)  # 30 px apart: within 40 of the first
    got = _groups(
        [
            _pt("a", 121.1, 31.1),
            _pt("b", 121.1 + step, 31.1, rank=5, status="breached"),
            _pt("c", 121.1, 31.1 + step * 0.5, rank=3, status="warning"),
            _pt("far", 121.1 + 5 * step, 31.1),
        ]
    )
    assert [(g["key"], g["ids"], g["worst"]) for g in got] == [
        ("c:a", ["a", "b", "c"], "breached"),
        ("p:far", ["far"], "waiting"),
    ]
    assert abs(got[0]["x"] - (3 * 0.5 + (121.1 * 3 + step) / 360) / 3) < 1e-12  # the members' mean, on the square


def test_a_new_point_changes_one_group_only_the_one_it_joins_or_its_own() -> None:
    rng = random.Random(7)
    old = [_pt(f"i{k}", 121.05 + rng.random() * 0.2, 31.0 + rng.random() * 0.15) for k in range(2000)]
    before = {g["key"]: g for g in _groups(old)}
    for k in range(20):  # anywhere in the district, one at a time
        new = _pt(f"new{k}", 121.05 + rng.random() * 0.2, 31.0 + rng.random() * 0.15)
        after = {g["key"]: g for g in _groups([*old, new])}
        changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
        assert len(changed) == 1, changed
        (key,) = changed
        assert key == "p:" + new["id"] or set(after[key]["ids"]) == {*before[key]["ids"], new["id"]}, key


def test_counts_are_abbreviated_as_before_and_mercator_y_turns_back_into_its_latitude() -> None:
    got = run_node(
        node_require("C", "clusters.js"),
        "console.log(JSON.stringify([[999, 1234, 12345].map(C.abbreviate), [0, 31.1, -45, 80].map(l => C.latOf(C.mercY(l)))]));",
        "the map's clustering",
    )
    assert got[0] == ["999", "1.2k", "12k"]
    assert all(abs(a - b) < 1e-9 for a, b in zip(got[1], [0, 31.1, -45, 80]))
