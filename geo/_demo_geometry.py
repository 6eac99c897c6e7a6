"""Deterministic geometry of the fictional 云湖区: outline, townships (clipped Voronoi) and river."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPoint, Polygon, box
from shapely.geometry.base import BaseGeometry

# Local equirectangular frame around the district centre; metres are easier to reason about
# than degrees, and the frame is affine so shared borders stay shared after conversion.
LON0, LAT0 = 121.15, 31.075
M_PER_DEG_LAT = 110_900.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(LAT0))
GRID = 1e-6  # degrees (~0.1 m); every output vertex lies on this grid, so 6-decimal JSON is lossless

# Seeds per township id: streets are single central cells, towns merge three outer-ring cells.
STREET_IDS = ("T01", "T02", "T03", "T04", "T05", "T06", "T07")
TOWN_IDS = ("T08", "T09", "T10", "T11")
_STREET_RING_DEG = (None, 30, 90, 150, 210, 270, 330)  # T01 sits at the centre
_TOWN_CENTRE_DEG = (0, 90, 180, 270)  # east, north, west, south


@dataclass(frozen=True)
class DemoGeometry:
    """Township polygons (WGS-84, keyed by id), the district outline and the river line."""

    townships: dict[str, Polygon]
    district: Polygon
    river: LineString


def _jitter(rng: random.Random, amount: float) -> float:
    return (rng.random() * 2.0 - 1.0) * amount


def _to_lonlat(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda xy: xy / [M_PER_DEG_LON, M_PER_DEG_LAT] + [LON0, LAT0])


def _outline(rng: random.Random) -> Polygon:
    """Wavy, star-shaped district outline of radius ~11.5 km (metres)."""
    waves = [(k, amp, rng.random() * 2 * math.pi) for k, amp in ((2, 0.08), (3, 0.05), (5, 0.03), (11, 0.012))]
    ring = []
    for i in range(240):
        t = 2 * math.pi * i / 240
        r = 11_500.0 * (1 + sum(a * math.sin(k * t + p) for k, a, p in waves))
        ring.append((1.05 * r * math.cos(t), 0.95 * r * math.sin(t)))  # a little wider than tall
    return Polygon(ring)


def _seeds(rng: random.Random) -> tuple[list[tuple[float, float]], list[str]]:
    points, owners = [], []
    for tid, ang in zip(STREET_IDS, _STREET_RING_DEG):
        if ang is None:
            points.append((_jitter(rng, 400), _jitter(rng, 400)))
        else:
            a, r = math.radians(ang + _jitter(rng, 8)), 3_800 + _jitter(rng, 400)
            points.append((r * math.cos(a), r * math.sin(a)))
        owners.append(tid)
    for tid, centre in zip(TOWN_IDS, _TOWN_CENTRE_DEG):
        for off in (-30, 0, 30):
            a, r = math.radians(centre + off + _jitter(rng, 6)), 9_800 + _jitter(rng, 700)
            points.append((r * math.cos(a), r * math.sin(a)))
            owners.append(tid)
    return points, owners


def _river(rng: random.Random) -> LineString:
    """Meandering west-to-east river south of the centre (metres), longer than the district."""
    p1, p2 = rng.random() * 2 * math.pi, rng.random() * 2 * math.pi
    xs = np.arange(-16_000.0, 16_001.0, 250.0)
    ys = -1_300 + 1_500 * np.sin(2 * np.pi * xs / 13_000 + p1) + 500 * np.sin(2 * np.pi * xs / 4_700 + p2)
    return LineString(np.column_stack([xs, ys]))


def build(seed: int) -> DemoGeometry:
    """Build the district deterministically from `seed`."""
    rng = random.Random(seed)
    outline = _outline(rng)
    points, owners = _seeds(rng)
    cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=box(-40e3, -40e3, 40e3, 40e3), ordered=True)
    cells_ll = [_to_lonlat(c) for c in cells.geoms]
    outline_ll = _to_lonlat(outline)
    # Node every cell ring and the outline together on one grid, then polygonize: each face is
    # built from the same noded segments as its neighbours, so shared borders are bit-identical.
    rings = [c.exterior for c in cells_ll] + [outline_ll.exterior]
    noded = shapely.union_all(rings, grid_size=GRID)
    faces: dict[str, list[Polygon]] = {}
    for face in shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))):
        if shapely.intersection(face, outline_ll).area < 0.5 * face.area:
            continue  # outside the district
        overlap = [shapely.intersection(face, c).area for c in cells_ll]
        faces.setdefault(owners[int(np.argmax(overlap))], []).append(face)
    townships = {}
    for tid in STREET_IDS + TOWN_IDS:
        merged = shapely.union_all(faces[tid], grid_size=GRID)
        if merged.geom_type != "Polygon":
            raise RuntimeError(f"demo township {tid} is not a single polygon ({merged.geom_type}); change the seed")
        townships[tid] = shapely.normalize(merged)
    district = shapely.union_all(list(townships.values()), grid_size=GRID)
    river = _to_lonlat(_river(rng)).intersection(district)
    if river.geom_type != "LineString":
        raise RuntimeError(f"demo river crosses the outline more than twice ({river.geom_type}); change the seed")
    river = shapely.set_precision(river, GRID)
    return DemoGeometry(townships=townships, district=district, river=river)
