"""Haversine distances and travel times."""

from __future__ import annotations

import math

import numpy as np
import pyproj
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.distance import EARTH_RADIUS_M, haversine_m, haversine_m_array, travel_seconds

lons = st.floats(min_value=-180, max_value=180)
lats = st.floats(min_value=-90, max_value=90)


def test_one_degree_of_latitude_is_about_111_km():
    assert haversine_m(121.0, 0.0, 121.0, 1.0) == pytest.approx(EARTH_RADIUS_M * math.pi / 180, rel=1e-12)


def test_antipodes_are_half_a_circumference_apart():
    assert haversine_m(0.0, 0.0, 180.0, 0.0) == pytest.approx(math.pi * EARTH_RADIUS_M, rel=1e-12)


def test_shanghai_to_beijing_agrees_with_the_ellipsoid_within_half_a_percent():
    shanghai, beijing = (121.4737, 31.2304), (116.4074, 39.9042)
    ellipsoidal = pyproj.Geod(ellps="WGS84").inv(*shanghai, *beijing)[2]
    assert haversine_m(*shanghai, *beijing) == pytest.approx(ellipsoidal, rel=5e-3)


def test_a_point_is_zero_metres_from_itself():
    assert haversine_m(121.15, 31.07, 121.15, 31.07) == 0.0


@given(lons, lats, lons, lats)
def test_distance_is_symmetric_and_bounded_by_half_the_circumference(lon1, lat1, lon2, lat2):
    d = haversine_m(lon1, lat1, lon2, lat2)
    assert d == pytest.approx(haversine_m(lon2, lat2, lon1, lat1), abs=1e-6)
    assert 0.0 <= d <= math.pi * EARTH_RADIUS_M + 1e-6


def test_array_version_matches_scalar_version_and_broadcasts_one_origin_against_many():
    rng = np.random.default_rng(0)
    lon2, lat2 = rng.uniform(121.0, 121.3, 50), rng.uniform(30.95, 31.2, 50)
    got = haversine_m_array(121.15, 31.07, lon2, lat2)
    assert got.shape == (50,)
    assert got == pytest.approx([haversine_m(121.15, 31.07, a, b) for a, b in zip(lon2, lat2)], rel=1e-12)


def test_array_version_accepts_plain_lists():
    assert haversine_m_array([0.0, 0.0], [0.0, 0.0], [0.0, 1.0], [0.0, 0.0])[0] == 0.0


def test_one_km_at_36_kmh_takes_100_seconds():
    assert travel_seconds(1000.0, 36.0) == pytest.approx(100.0)


def test_zero_distance_takes_no_time():
    assert travel_seconds(0.0, 30.0) == 0.0


@pytest.mark.parametrize("speed", [0.0, -5.0, float("nan")])
def test_travel_time_needs_a_positive_speed(speed):
    with pytest.raises(ValueError, match="speed_kmh"):
        travel_seconds(1000.0, speed)


def test_travel_time_rejects_negative_distance():
    with pytest.raises(ValueError, match="distance_m"):
        travel_seconds(-1.0, 30.0)
