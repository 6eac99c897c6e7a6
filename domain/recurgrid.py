"""The recurring problems' anchors on a grid (domain/recurbook.py): a report looks only at the anchors of its category in
the cells around it, never at every group; the great-circle distance then decides."""

from __future__ import annotations

import math

# On the sphere domain/positions.py measures with (not imported: domain/model.py imports domain/recurring.py).
EARTH_RADIUS_M = 6_371_008.8
M_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180.0
Cell = tuple[str, int, int]  # (category, column, row): cells square in degrees, R metres north to south


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Return the great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))


def cell_of(category: str, lon: float, lat: float, radius_m: float) -> Cell:
    """Return the grid cell of an anchor: square in degrees, R metres north to south."""
    size = radius_m / M_PER_DEGREE
    return category, math.floor(lon / size), math.floor(lat / size)


def cells_near(category: str, lon: float, lat: float, radius_m: float) -> list[Cell]:
    """Return every cell that may hold an anchor within R metres of a point (a degree of longitude is shorter)."""
    size = radius_m / M_PER_DEGREE
    widest = math.cos(math.radians(min(89.0, abs(lat) + size)))
    dlon = size / widest * 1.01  # a margin for the great circle against the parallel: the distance decides after
    row = math.floor(lat / size)  # an anchor within R is at most a row (R metres) north or south
    return [
        (category, c, r)
        for c in range(math.floor((lon - dlon) / size), math.floor((lon + dlon) / size) + 1)
        for r in (row - 1, row, row + 1)
    ]
