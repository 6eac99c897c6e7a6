"""load_boundaries on real files: formats, CRSs and every kind of broken input."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box, mapping

from geo.boundaries import DEMO_TOWNSHIPS_PATH, BoundaryError, demo_boundaries, load_boundaries

SQUARES = [box(121.0, 31.0, 121.1, 31.1), box(121.1, 31.0, 121.2, 31.1), box(121.0, 31.1, 121.1, 31.2)]
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[121.0, 31.0], [121.1, 31.1], [121.1, 31.0], [121.0, 31.1], [121.0, 31.0]]],
}


def _write_geojson(path: Path, geometries, props=None, **extra) -> Path:
    props = props or [{"id": f"T{i}", "name_zh": f"第{i}街道"} for i in range(len(geometries))]
    features = [
        {"type": "Feature", "properties": p, "geometry": g if isinstance(g, dict) else mapping(g)}
        for p, g in zip(props, geometries)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features, **extra}), encoding="utf-8")
    return path


def _squares_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["A", "B", "C"], "name_zh": ["甲镇", "乙镇", "丙街道"], "name_en": ["Jia", "Yi", "Bing"]},
        geometry=SQUARES,
        crs="EPSG:4326",
    )


def _error(path) -> str:
    with pytest.raises(BoundaryError) as info:
        load_boundaries(path)
    assert str(path) in str(info.value), "the message must name the file"
    return str(info.value)


def test_demo_file_loads_with_its_eleven_townships():
    b = load_boundaries(DEMO_TOWNSHIPS_PATH)
    assert len(b.townships) == 11 and b.gdf.crs.to_epsg() == 4326


def test_demo_boundaries_is_loaded_once_and_reused():
    assert demo_boundaries() is demo_boundaries()


def test_geojson_without_crs_member_is_read_as_wgs84(tmp_path):
    b = load_boundaries(_write_geojson(tmp_path / "plain.geojson", SQUARES))
    assert b.bounds == pytest.approx((121.0, 31.0, 121.2, 31.2))


def test_shapefile_in_web_mercator_is_reprojected_to_wgs84(tmp_path):
    path = tmp_path / "townships.shp"
    _squares_frame().to_crs("EPSG:3857").to_file(path)
    b = load_boundaries(path)
    assert b.gdf.crs.to_epsg() == 4326
    assert b.bounds == pytest.approx((121.0, 31.0, 121.2, 31.2), abs=1e-9)
    assert b.neighbours() == {"A": {"B", "C"}, "B": {"A"}, "C": {"A"}}
    assert [t["name_en"] for t in b.townships] == ["Jia", "Yi", "Bing"]


def test_geopackage_in_cgcs2000_gauss_kruger_is_reprojected_to_wgs84(tmp_path):
    path = tmp_path / "townships.gpkg"
    projected = _squares_frame().to_crs("EPSG:4549")  # CGCS2000 / 3-degree Gauss-Kruger CM 120E
    assert projected.total_bounds[0] > 100_000  # really in metres on disk
    projected.to_file(path, driver="GPKG")
    b = load_boundaries(path)
    assert b.bounds == pytest.approx((121.0, 31.0, 121.2, 31.2), abs=1e-7)
    assert b.gdf.geometry.iloc[0].symmetric_difference(SQUARES[0]).area < 1e-12


def test_missing_file_is_reported(tmp_path):
    assert "file not found" in _error(tmp_path / "nowhere.geojson")


def test_unreadable_file_is_reported(tmp_path):
    path = tmp_path / "junk.geojson"
    path.write_text("this is not geojson", encoding="utf-8")
    assert "cannot read" in _error(path)


def test_empty_collection_is_reported(tmp_path):
    assert "no features" in _error(_write_geojson(tmp_path / "empty.geojson", []))


def test_self_intersecting_bowtie_is_reported_with_the_reason(tmp_path):
    path = _write_geojson(tmp_path / "bowtie.geojson", [SQUARES[0], BOWTIE])
    message = _error(path)
    assert "invalid polygon for id T1" in message and "Self-intersection" in message


def test_overlapping_townships_are_reported(tmp_path):
    path = _write_geojson(tmp_path / "overlap.geojson", [SQUARES[0], box(121.05, 31.05, 121.15, 31.15)])
    assert "overlapping townships: T0/T1" in _error(path)


def test_missing_id_field_is_reported(tmp_path):
    path = _write_geojson(tmp_path / "noid.geojson", SQUARES[:1], props=[{"name_zh": "甲镇"}])
    assert "missing 'id' field" in _error(path)


def test_duplicate_ids_are_reported(tmp_path):
    props = [{"id": "A", "name": "甲"}, {"id": "A", "name": "乙"}]
    assert "duplicate ids: A" in _error(_write_geojson(tmp_path / "dupes.geojson", SQUARES[:2], props=props))


def test_non_polygon_features_are_reported(tmp_path):
    path = _write_geojson(tmp_path / "points.geojson", [SQUARES[0], {"type": "Point", "coordinates": [121.5, 31.5]}])
    assert "non-polygon geometry (Point) for id T1" in _error(path)


def test_geojson_with_an_unknown_crs_is_reported(tmp_path):
    crs = {"type": "name", "properties": {"name": "EPSG:999999"}}
    assert "unknown CRS 'EPSG:999999'" in _error(_write_geojson(tmp_path / "odd.geojson", SQUARES, crs=crs))


def test_geojson_with_a_named_projected_crs_is_reprojected(tmp_path):
    mercator = _squares_frame().to_crs("EPSG:3857")
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    path = _write_geojson(tmp_path / "mercator.geojson", list(mercator.geometry), crs=crs)
    assert load_boundaries(path).bounds == pytest.approx((121.0, 31.0, 121.2, 31.2), abs=1e-9)


def test_shapefile_without_prj_is_reported_as_having_no_crs(tmp_path):
    path = tmp_path / "noprj.shp"
    _squares_frame().to_file(path)
    path.with_suffix(".prj").unlink()
    assert "no CRS" in _error(path)


def test_shapefile_with_an_unintelligible_prj_is_reported(tmp_path):
    path = tmp_path / "badprj.shp"
    _squares_frame().to_file(path)
    path.with_suffix(".prj").write_text("GARBAGE[[", encoding="ascii")
    assert ".prj present but not understood" in _error(path)


def test_local_engineering_crs_that_cannot_reach_wgs84_is_reported(tmp_path):
    path = tmp_path / "local.gpkg"
    local = 'LOCAL_CS["site grid",LOCAL_DATUM["site",0],UNIT["metre",1],AXIS["X",EAST],AXIS["Y",NORTH]]'
    gpd.GeoDataFrame({"id": ["A"], "name": ["甲"]}, geometry=[box(0, 0, 100, 100)], crs=local).to_file(path)
    assert "cannot reproject" in _error(path)


def test_metre_coordinates_mislabelled_as_wgs84_are_reported(tmp_path):
    path = _write_geojson(tmp_path / "metres.geojson", [box(350_000, 3_440_000, 360_000, 3_450_000)])
    assert "not longitude/latitude" in _error(path)
