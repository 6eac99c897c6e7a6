"""WGS-84 <-> GCJ-02 <-> BD-09 conversions (scalars or numpy arrays); (lon, lat) in, (lon, lat) out."""

from __future__ import annotations

import math
from typing import Any, TypeVar, cast

import numpy as np

Num = TypeVar("Num", float, np.ndarray)

# Krasovsky 1940 ellipsoid, as baked into the GCJ-02 obfuscation.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0
# The box every public implementation (eviltransform, coordtransform) treats as "China".
_CHINA = (72.004, 0.8293, 137.8347, 55.8271)
_INVERSE_TOL_DEG = 1e-10  # ~1 cm is 1e-7 deg; stop far below it
_INVERSE_MAX_ITER = 30
CRS_NAMES = ("wgs84", "gcj02", "bd09")


def _ops(x: object) -> Any:  # Any: the two modules share the functions used here, not a type
    """numpy for arrays, math for plain floats (cheaper per call)."""
    return np if isinstance(x, np.ndarray) else math


def _atan2(y: Num, x: Num) -> Num:
    if isinstance(y, np.ndarray):
        return cast(np.ndarray, np.arctan2(y, x))  # numpy's ufuncs are typed as returning Any
    return math.atan2(y, x)


def _as_input(lon: Num, lat: Num) -> tuple[Num, Num]:
    if isinstance(lon, np.ndarray) or isinstance(lat, np.ndarray):
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    return float(lon), float(lat)


def out_of_china(lon: Num, lat: Num) -> Num | bool:
    """True where GCJ-02 leaves coordinates untouched (outside the China box)."""
    min_lon, min_lat, max_lon, max_lat = _CHINA
    return (lon < min_lon) | (lon > max_lon) | (lat < min_lat) | (lat > max_lat)


def _offset(lon: Num, lat: Num) -> tuple[Num, Num]:
    """GCJ-02 minus WGS-84, in degrees, evaluated at the WGS-84 point (no China check)."""
    m = _ops(lon)
    x, y = lon - 105.0, lat - 35.0
    x_pi, y_pi = x * math.pi, y * math.pi
    common = 20.0 * m.sin(6.0 * x_pi) + 20.0 * m.sin(2.0 * x_pi)
    d_lat = common + 20.0 * m.sin(y_pi) + 40.0 * m.sin(y_pi / 3.0)
    d_lon = common + 20.0 * m.sin(x_pi) + 40.0 * m.sin(x_pi / 3.0)
    d_lat = d_lat + 160.0 * m.sin(y_pi / 12.0) + 320.0 * m.sin(y_pi / 30.0)
    d_lon = d_lon + 150.0 * m.sin(x_pi / 12.0) + 300.0 * m.sin(x_pi / 30.0)
    abs_x = m.sqrt(abs(x))
    d_lat = d_lat * 2.0 / 3.0 - 100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs_x
    d_lon = d_lon * 2.0 / 3.0 + 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs_x
    rad_lat = lat / 180.0 * math.pi
    magic = 1.0 - _EE * m.sin(rad_lat) ** 2
    sqrt_magic = m.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * m.cos(rad_lat) * math.pi)
    return d_lon, d_lat


def wgs84_to_gcj02(lon: Num, lat: Num) -> tuple[Num, Num]:
    """WGS-84 to GCJ-02 ("Mars" coordinates used by AMap / Tencent maps)."""
    lon, lat = _as_input(lon, lat)
    d_lon, d_lat = _offset(lon, lat)
    outside = out_of_china(lon, lat)
    if isinstance(lon, np.ndarray):
        return np.where(outside, lon, lon + d_lon), np.where(outside, lat, lat + d_lat)
    return (lon, lat) if outside else (lon + d_lon, lat + d_lat)


def gcj02_to_wgs84(lon: Num, lat: Num) -> tuple[Num, Num]:
    """GCJ-02 to WGS-84 by fixed-point iteration (error far below 1 cm, not the usual ~1 m)."""
    lon, lat = _as_input(lon, lat)
    w_lon, w_lat = lon, lat
    for _ in range(_INVERSE_MAX_ITER):
        g_lon, g_lat = wgs84_to_gcj02(w_lon, w_lat)
        e_lon, e_lat = g_lon - lon, g_lat - lat
        w_lon, w_lat = w_lon - e_lon, w_lat - e_lat
        err = np.abs(np.array([e_lon, e_lat]))
        if err[np.isfinite(err)].max(initial=0.0) < _INVERSE_TOL_DEG:  # NaN never converges
            break
    outside = out_of_china(lon, lat)  # a GCJ-02 point outside China was never shifted
    if isinstance(lon, np.ndarray):
        return np.where(outside, lon, w_lon), np.where(outside, lat, w_lat)
    return (lon, lat) if outside else (w_lon, w_lat)


def gcj02_to_bd09(lon: Num, lat: Num) -> tuple[Num, Num]:
    """GCJ-02 to BD-09 (Baidu maps)."""
    lon, lat = _as_input(lon, lat)
    m = _ops(lon)
    z = m.sqrt(lon * lon + lat * lat) + 0.00002 * m.sin(lat * _X_PI)
    theta = _atan2(lat, lon) + 0.000003 * m.cos(lon * _X_PI)
    return z * m.cos(theta) + 0.0065, z * m.sin(theta) + 0.006


def bd09_to_gcj02(lon: Num, lat: Num) -> tuple[Num, Num]:
    """BD-09 to GCJ-02 (the standard closed-form inverse, good to a few centimetres)."""
    lon, lat = _as_input(lon, lat)
    m = _ops(lon)
    x, y = lon - 0.0065, lat - 0.006
    z = m.sqrt(x * x + y * y) - 0.00002 * m.sin(y * _X_PI)
    theta = _atan2(y, x) - 0.000003 * m.cos(x * _X_PI)
    return z * m.cos(theta), z * m.sin(theta)


def to_wgs84(lon: Num, lat: Num, crs: str) -> tuple[Num, Num]:
    """Convert from crs in {"wgs84", "gcj02", "bd09"} (case, '-' and '_' ignored) to WGS-84."""
    key = crs.lower().replace("-", "").replace("_", "").strip() if isinstance(crs, str) else None
    if key == "wgs84":
        return _as_input(lon, lat)
    if key == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if key == "bd09":
        return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))
    raise ValueError(f"unknown coordinate system {crs!r}; expected one of {', '.join(CRS_NAMES)}")
