"""Locator: vectorised point -> township id, deterministic on borders, None outside."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import shapely
from geopandas import GeoDataFrame
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from geo.boundaries import boundaries_from_frame, demo_boundaries
from geo.locate import Locator


def _reference(boundaries, lons, lats) -> list[str | None]:
    """Brute force: every polygon against every point, smallest matching id wins."""
    points = shapely.points(np.asarray(lons, float), np.asarray(lats, float))
    out: list[str | None] = [None] * len(points)
    for tid, geom in sorted(zip(boundaries.ids, boundaries.geometries), reverse=True):
        for i in np.flatnonzero(shapely.intersects(geom, points)):
            out[i] = tid
    return out


@pytest.fixture(scope="module")
def quad():
    """Four 0.1-degree squares meeting at (121.1, 31.1); ids deliberately not in spatial order."""
    frame = GeoDataFrame(
        {"id": ["D", "B", "C", "A"], "name": ["d", "b", "c", "a"]},
        geometry=[
            box(121.0, 31.0, 121.1, 31.1),
            box(121.1, 31.0, 121.2, 31.1),
            box(121.0, 31.1, 121.1, 31.2),
            box(121.1, 31.1, 121.2, 31.2),
        ],
        crs="EPSG:4326",
    )
    return boundaries_from_frame(frame)


@pytest.fixture(scope="module")
def quad_locator(quad):
    return Locator(quad)


@functools.lru_cache(maxsize=1)
def _demo_locator() -> Locator:
    return Locator(demo_boundaries())


@functools.lru_cache(maxsize=1)
def _demo_vertices() -> np.ndarray:
    return shapely.get_coordinates(demo_boundaries().geometries)


@pytest.fixture(scope="module")
def demo():
    return demo_boundaries()


@pytest.fixture(scope="module")
def demo_locator():
    return _demo_locator()


def test_point_inside_a_square_gets_that_square(quad_locator):
    assert quad_locator.assign([121.05, 121.15], [31.05, 31.15]) == ["D", "A"]


def test_point_on_shared_border_gets_one_deterministic_township(quad_locator):
    # On the D|B edge and on the D/C edge: the smaller id wins every time.
    assert quad_locator.assign([121.1, 121.05], [31.05, 31.1]) == ["B", "C"]


def test_point_where_four_townships_meet_gets_the_smallest_id(quad_locator):
    assert quad_locator.assign_one(121.1, 31.1) == "A"


def test_point_on_the_outer_boundary_belongs_to_the_township(quad_locator):
    assert quad_locator.assign([121.0, 121.2], [31.05, 31.2]) == ["D", "A"]


def test_points_outside_every_township_get_none(quad_locator):
    assert quad_locator.assign([120.9, 121.05, 0.0], [31.05, 31.25, 0.0]) == [None, None, None]


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(float("nan"), 31.1), (121.1, float("nan")), (float("inf"), 31.1), (500.0, 31.1), (121.1, -95.0), (None, 31.1)],
)
def test_nan_and_out_of_range_coordinates_get_none_without_raising(quad_locator, lon, lat):
    assert quad_locator.assign_one(lon, lat) is None
    assert quad_locator.assign([lon, 121.05], [lat, 31.05]) == [None, "D"]


def test_assign_one_tolerates_non_numeric_input(quad_locator):
    assert quad_locator.assign_one("east", 31.1) is None


def test_empty_input_gives_empty_output(quad_locator):
    assert quad_locator.assign([], []) == []


def test_mismatched_lengths_are_rejected(quad_locator):
    with pytest.raises(ValueError, match="differ in length"):
        quad_locator.assign([121.0, 121.1], [31.0])


def test_assign_indices_points_into_ids_with_minus_one_outside(quad_locator):
    idx = quad_locator.assign_indices(np.array([121.15, 0.0]), np.array([31.15, 0.0]))
    assert quad_locator.ids[idx[0]] == "A" and idx[1] == -1


def test_demo_hall_positions_resolve_to_their_townships(demo_locator):
    import json

    from geo.demo import DISTRICT_FILE

    halls = [h for h in json.loads(DISTRICT_FILE.read_text("utf-8"))["halls"] if h["township"]]
    assert demo_locator.assign([h["lon"] for h in halls], [h["lat"] for h in halls]) == [h["township"] for h in halls]


def test_many_random_demo_points_match_brute_force(demo, demo_locator):
    rng = np.random.default_rng(7)
    minx, miny, maxx, maxy = demo.bounds
    lons, lats = rng.uniform(minx - 0.01, maxx + 0.01, 50_000), rng.uniform(miny - 0.01, maxy + 0.01, 50_000)
    assert demo_locator.assign(lons, lats) == _reference(demo, lons, lats)


def test_every_demo_border_vertex_goes_to_its_smallest_id(demo, demo_locator):
    xy = np.unique(shapely.get_coordinates(demo.geometries), axis=0)
    assert demo_locator.assign(xy[:, 0], xy[:, 1]) == _reference(demo, xy[:, 0], xy[:, 1])


@st.composite
def demo_points(draw):
    """Mostly points on or next to borders, where getting it wrong is easiest."""
    rings = _demo_vertices()
    i = draw(st.integers(0, len(rings) - 2))
    t = draw(st.sampled_from([0.0, 0.5, 1.0]) | st.floats(0, 1))
    a, b = rings[i], rings[i + 1]
    nudge = draw(st.sampled_from([0.0, 1e-12, -1e-12, 1e-7, -1e-7]))
    return float(a[0] + t * (b[0] - a[0]) + nudge), float(a[1] + t * (b[1] - a[1]) - nudge)


@settings(max_examples=300, deadline=None)
@given(st.lists(demo_points(), min_size=1, max_size=20))
def test_points_on_and_near_demo_borders_match_brute_force(points):
    demo = demo_boundaries()
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    assert _demo_locator().assign(lons, lats) == _reference(demo, lons, lats)


@pytest.mark.parametrize("cells", [1, 16, 1_000, 250_000])
def test_grid_resolution_never_changes_the_answer(demo, cells):
    rng = np.random.default_rng(cells)
    minx, miny, maxx, maxy = demo.bounds
    lons, lats = rng.uniform(minx, maxx, 5_000), rng.uniform(miny, maxy, 5_000)
    assert Locator(demo, cells=cells).assign(lons, lats) == _reference(demo, lons, lats)
