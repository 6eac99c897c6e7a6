"""Great-circle distances (haversine, spherical earth) and travel times."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius; the sphere is within ~0.5 % of the ellipsoid


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres between two WGS-84 points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))  # clamp: rounding can push h past 1


def haversine_m_array(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> np.ndarray:
    """Vectorised `haversine_m`; arguments broadcast (e.g. one origin against many points)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=np.float64)) for v in (lon1, lat1, lon2, lat2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    metres: np.ndarray = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(1.0, h)))
    return metres


def travel_seconds(distance_m: float, speed_kmh: float) -> float:
    """Seconds to cover `distance_m` at a constant `speed_kmh` (> 0)."""
    if not speed_kmh > 0:  # also rejects NaN
        raise ValueError(f"speed_kmh must be positive, got {speed_kmh!r}")
    if distance_m < 0:
        raise ValueError(f"distance_m must not be negative, got {distance_m!r}")
    return distance_m / (speed_kmh / 3.6)
