"""Boundaries validation and accessors on in-memory frames and the demo district (no file writing)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from geopandas import GeoDataFrame
from shapely.geometry import LineString, Point, Polygon, box

from geo.boundaries import BoundaryError, boundaries_from_frame, demo_boundaries


def _frame(geoms, ids=None, crs="EPSG:4326", **columns) -> GeoDataFrame:
    ids = ids or [f"X{i}" for i in range(len(geoms))]
    data = {"id": ids, "name_zh": columns.pop("name_zh", [f"{i}镇" for i in ids]), **columns}
    return GeoDataFrame(data, geometry=list(geoms), crs=crs)


SQUARES = [box(121.0, 31.0, 121.1, 31.1), box(121.1, 31.0, 121.2, 31.1), box(121.2, 31.1, 121.3, 31.2)]


def test_boundary_error_is_a_value_error():
    assert issubclass(BoundaryError, ValueError)


def test_demo_district_has_eleven_townships_with_names_kinds_and_centroids():
    townships = demo_boundaries().townships
    assert [t["id"] for t in townships] == [f"T{i:02d}" for i in range(1, 12)]
    for t in townships:
        assert set(t) == {"id", "name_zh", "name_en", "kind", "centroid_lon", "centroid_lat", "area_km2"}
        assert 121.0 < t["centroid_lon"] < 121.3 and 30.95 < t["centroid_lat"] < 31.2
        assert t["kind"] in {"street", "town"} and t["area_km2"] > 1


def test_demo_district_area_is_a_few_hundred_square_km():
    assert 300 < sum(t["area_km2"] for t in demo_boundaries().townships) < 600


def test_townships_list_is_a_copy_callers_cannot_corrupt():
    demo_boundaries().townships[0]["name_zh"] = "changed"
    assert demo_boundaries().townships[0]["name_zh"] == "云湖街道"


def test_neighbours_are_symmetric_and_the_central_street_borders_the_six_other_streets():
    neighbours = demo_boundaries().neighbours()
    assert all(a in neighbours[b] for a, ns in neighbours.items() for b in ns)
    assert neighbours["T01"] == {"T02", "T03", "T04", "T05", "T06", "T07"}
    assert all(tid not in ns for tid, ns in neighbours.items())


def test_townships_touching_only_at_a_corner_are_not_neighbours():
    neighbours = boundaries_from_frame(_frame(SQUARES)).neighbours()
    assert neighbours == {"X0": {"X1"}, "X1": {"X0"}, "X2": set()}


def test_geojson_is_a_feature_collection_rounded_to_six_decimals():
    fc = boundaries_from_frame(_frame([Polygon([(121.1234567891, 31.0), (121.2, 31.0), (121.2, 31.1)])])).geojson()
    assert fc["type"] == "FeatureCollection"
    feature = fc["features"][0]
    assert feature["properties"] == {"id": "X0", "name_zh": "X0镇", "name_en": "X0镇", "kind": "town"}
    assert feature["geometry"]["coordinates"][0][0] == [121.123457, 31.0]
    json.dumps(fc)  # serialisable as-is


def test_geojson_returns_a_fresh_dict_each_call():
    b = demo_boundaries()
    b.geojson()["features"].clear()
    assert len(b.geojson()["features"]) == 11


def test_bounds_cover_every_township():
    minx, miny, maxx, maxy = boundaries_from_frame(_frame(SQUARES)).bounds
    assert (minx, miny, maxx, maxy) == pytest.approx((121.0, 31.0, 121.3, 31.2))


def test_plain_name_field_is_accepted_and_english_name_defaults_to_it():
    frame = GeoDataFrame({"id": ["A"], "name": ["城北街道"]}, geometry=[SQUARES[0]], crs="EPSG:4326")
    (t,) = boundaries_from_frame(frame).townships
    assert (t["name_zh"], t["name_en"], t["kind"]) == ("城北街道", "城北街道", "street")


def test_townships_are_sorted_by_id_and_numeric_ids_become_text():
    b = boundaries_from_frame(_frame(SQUARES[:2], ids=[2, 1]))
    assert b.ids == ("1", "2")


def test_projected_frames_are_reprojected_to_wgs84():
    projected = _frame(SQUARES).to_crs("EPSG:3857")
    assert boundaries_from_frame(projected).bounds == pytest.approx((121.0, 31.0, 121.3, 31.2), abs=1e-9)


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (_frame(SQUARES[:2], ids=["A", "A"]), "duplicate ids: A"),
        (_frame([SQUARES[0], box(121.05, 31.05, 121.15, 31.15)]), "overlapping townships: X0/X1"),
        (_frame([Polygon([(121.0, 31.0), (121.1, 31.1), (121.1, 31.0), (121.0, 31.1)])]), "Self-intersection"),
        (_frame([SQUARES[0], Point(121.5, 31.5)]), "non-polygon geometry (Point) for id X1"),
        (_frame([SQUARES[0], LineString([(121.5, 31.5), (121.6, 31.6)])]), "non-polygon geometry (LineString)"),
        (_frame([SQUARES[0], None]), "empty or missing geometry for id X1"),
        (_frame([box(0, 0, 1000, 1000)]), "not longitude/latitude"),
        (_frame([SQUARES[0]], crs=None), "no CRS"),
        (_frame(SQUARES[:1]).drop(columns="id"), "missing 'id' field"),
        (_frame(SQUARES[:1]).drop(columns="name_zh"), "missing 'name_zh' (or 'name') field"),
        (_frame(SQUARES[:2], ids=["A", " "]), "empty 'id'"),
        (_frame([])[["id", "geometry"]], "no features"),
    ],
    ids=[
        "duplicate-id",
        "overlap",
        "bowtie",
        "point",
        "line",
        "missing-geometry",
        "metres-as-degrees",
        "no-crs",
        "no-id-field",
        "no-name-field",
        "blank-id",
        "empty",
    ],
)
def test_broken_frames_raise_boundary_error_describing_the_problem(frame, message):
    with pytest.raises(BoundaryError) as info:
        boundaries_from_frame(frame, source="test frame")
    assert message in str(info.value) and str(info.value).startswith("test frame: ")


def test_sliver_overlap_from_floating_point_noise_is_tolerated():
    nudged = box(121.1 - 1e-12, 31.0, 121.2, 31.1)
    assert boundaries_from_frame(_frame([SQUARES[0], nudged])).neighbours()["X0"] == {"X1"}


def test_importing_geo_and_its_pure_modules_does_not_import_geopandas():
    code = "import sys, geo, geo.coords, geo.distance, geo.locate; print('geopandas' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.strip() == "False"
