"""WGS-84 / GCJ-02 / BD-09 conversions against published reference pairs and round trips."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.coords import bd09_to_gcj02, gcj02_to_bd09, gcj02_to_wgs84, to_wgs84, wgs84_to_gcj02
from geo.distance import haversine_m

# (wgs_lon, wgs_lat, gcj_lon, gcj_lat): the test vectors shipped with googollee/eviltransform
# (and its many ports); the reference there is exact to the printed digits.
EVILTRANSFORM_WGS_GCJ = [
    (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),  # Shanghai
    (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),  # Shenzhen
    (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),  # Beijing
]
# coordtransform (wandergis/coordTransform, Rust port's tests): input (116.404, 39.915) each way.
COORDTRANSFORM_WGS_TO_GCJ = ((116.404, 39.915), (116.41024449916938, 39.91640428150164))
COORDTRANSFORM_GCJ_TO_BD = ((116.404, 39.915), (116.41036949371029, 39.92133699351021))
COORDTRANSFORM_BD_TO_GCJ = ((116.404, 39.915), (116.39762729119315, 39.90865673957631))
# Note: eviltransform's BD-09 vectors (29.199786, 120.019809 ...) were produced with a variant
# that uses pi instead of 3000*pi/180 in bd2gcj; they are not BD-09 and are deliberately unused.

OUTSIDE_CHINA = [(-104.9903, 39.7392), (153.0251, -27.4698), (-43.1729, -22.9068), (2.3522, 48.8566)]


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return haversine_m(a[0], a[1], b[0], b[1])


@pytest.mark.parametrize(("wlon", "wlat", "glon", "glat"), EVILTRANSFORM_WGS_GCJ)
def test_wgs84_to_gcj02_matches_eviltransform_reference(wlon, wlat, glon, glat):
    lon, lat = wgs84_to_gcj02(wlon, wlat)
    assert lon == pytest.approx(glon, abs=1e-9) and lat == pytest.approx(glat, abs=1e-9)


@pytest.mark.parametrize(("wlon", "wlat", "glon", "glat"), EVILTRANSFORM_WGS_GCJ)
def test_gcj02_to_wgs84_recovers_reference_point_within_a_centimetre(wlon, wlat, glon, glat):
    assert _metres(gcj02_to_wgs84(glon, glat), (wlon, wlat)) < 0.01


@pytest.mark.parametrize(
    ("func", "pair"),
    [
        (wgs84_to_gcj02, COORDTRANSFORM_WGS_TO_GCJ),
        (gcj02_to_bd09, COORDTRANSFORM_GCJ_TO_BD),
        (bd09_to_gcj02, COORDTRANSFORM_BD_TO_GCJ),
    ],
)
def test_conversions_match_coordtransform_reference(func, pair):
    (lon, lat), expected = pair
    assert func(lon, lat) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(("lon", "lat"), OUTSIDE_CHINA)
def test_points_outside_china_are_not_shifted(lon, lat):
    assert wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert gcj02_to_wgs84(lon, lat) == (lon, lat)
    assert to_wgs84(lon, lat, "gcj02") == (lon, lat)


def test_the_shift_in_shanghai_is_a_few_hundred_metres():
    wgs = (121.15, 31.075)
    assert 300 < _metres(wgs84_to_gcj02(*wgs), wgs) < 700


china_lon = st.floats(min_value=73.5, max_value=135.0)
china_lat = st.floats(min_value=18.0, max_value=53.5)


@settings(max_examples=300, deadline=None)
@given(china_lon, china_lat)
def test_gcj02_round_trip_is_within_a_centimetre(lon, lat):
    assert _metres(gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat)), (lon, lat)) < 0.01


@settings(max_examples=300, deadline=None)
@given(china_lon, china_lat)
def test_bd09_round_trip_to_wgs84_is_within_a_metre(lon, lat):
    bd = gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))
    assert _metres(to_wgs84(*bd, "bd09"), (lon, lat)) < 1.0


@pytest.mark.parametrize("name", ["wgs84", "WGS84", "gcj02", "GCJ-02", "bd09", "BD09", "Bd-09"])
def test_to_wgs84_accepts_crs_names_case_insensitively(name):
    lon, lat = to_wgs84(121.2, 31.1, name)
    assert abs(lon - 121.2) < 0.02 and abs(lat - 31.1) < 0.02


@pytest.mark.parametrize("name", ["epsg:4326", "utm", "", "gcj"])
def test_to_wgs84_rejects_unknown_crs_names(name):
    with pytest.raises(ValueError, match="unknown coordinate system"):
        to_wgs84(121.2, 31.1, name)


def test_wgs84_input_is_returned_unchanged():
    assert to_wgs84(121.2, 31.1, "wgs84") == (121.2, 31.1)


def test_numpy_arrays_give_the_same_answers_as_scalars():
    lons = np.array([p[0] for p in EVILTRANSFORM_WGS_GCJ] + [OUTSIDE_CHINA[0][0]])
    lats = np.array([p[1] for p in EVILTRANSFORM_WGS_GCJ] + [OUTSIDE_CHINA[0][1]])
    for convert in (wgs84_to_gcj02, gcj02_to_wgs84, gcj02_to_bd09, bd09_to_gcj02):
        arr_lon, arr_lat = convert(lons, lats)
        for i in range(lons.size):
            assert (arr_lon[i], arr_lat[i]) == pytest.approx(convert(float(lons[i]), float(lats[i])), abs=1e-12)


def test_nan_coordinates_propagate_as_nan_without_raising():
    lon, lat = gcj02_to_wgs84(float("nan"), 31.0)
    assert math.isnan(lon)
    arr_lon, _ = to_wgs84(np.array([np.nan, 121.2]), np.array([31.0, 31.1]), "bd09")
    assert math.isnan(arr_lon[0]) and not math.isnan(arr_lon[1])
