"""Vectorised topology checks on township polygons: types, validity, overlaps, shared borders."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely

OVERLAP_REL_TOL = 1e-6  # overlap area, relative to the smaller township; absorbs reprojection noise
BORDER_EPS_DEG = 1e-7  # ~1 cm: borders closer than this count as the same line
MIN_BORDER_DEG = 1e-5  # ~1 m: a shared border shorter than this is a touching corner, not a neighbour


def _names(ids: Sequence[str], mask: np.ndarray, limit: int = 5) -> str:
    picked = [ids[int(i)] for i in np.flatnonzero(mask)]
    more = f" (+{len(picked) - limit} more)" if len(picked) > limit else ""
    return ", ".join(picked[:limit]) + more


def geometry_problem(ids: Sequence[str], geoms: np.ndarray) -> str | None:
    """Describe the first class of geometry problem (missing, non-polygon, invalid), or None."""
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        return f"empty or missing geometry for id {_names(ids, missing)}"
    types = shapely.get_type_id(geoms)
    non_polygon = ~np.isin(types, [3, 6])  # 3 = Polygon, 6 = MultiPolygon
    if non_polygon.any():
        kinds = sorted({geoms[i].geom_type for i in np.flatnonzero(non_polygon)})
        return f"non-polygon geometry ({', '.join(kinds)}) for id {_names(ids, non_polygon)}"
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        first = int(np.flatnonzero(invalid)[0])
        reason = shapely.is_valid_reason(geoms[first])
        return f"invalid polygon for id {_names(ids, invalid)}: {ids[first]}: {reason}"
    return None


def _candidate_pairs(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    return left[keep], right[keep]


def overlap_problem(ids: Sequence[str], geoms: np.ndarray) -> str | None:
    """Describe pairs of townships whose intersection has real area, or None."""
    left, right = _candidate_pairs(geoms)
    if left.size == 0:
        return None
    shared = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    smaller = np.minimum(shapely.area(geoms[left]), shapely.area(geoms[right]))
    bad = np.flatnonzero(shared > OVERLAP_REL_TOL * smaller)
    if bad.size == 0:
        return None
    pairs = [f"{ids[left[i]]}/{ids[right[i]]} ({shared[i] / smaller[i]:.2%} of the smaller)" for i in bad[:5]]
    return f"overlapping townships: {', '.join(pairs)}" + (f" (+{bad.size - 5} more)" if bad.size > 5 else "")


def shared_borders(ids: Sequence[str], geoms: np.ndarray) -> dict[str, set[str]]:
    """Map each id to the ids it shares a border (not just a corner) with."""
    out: dict[str, set[str]] = {i: set() for i in ids}
    left, right = _candidate_pairs(shapely.buffer(geoms, BORDER_EPS_DEG))
    if left.size:
        # Length of one boundary lying within a hair of the other polygon: tolerant of borders
        # that are equal only up to floating-point noise (e.g. after reprojection).
        near = shapely.intersection(shapely.boundary(geoms[left]), shapely.buffer(geoms[right], BORDER_EPS_DEG))
        for a, b, length in zip(left, right, shapely.length(near)):
            if length > MIN_BORDER_DEG:
                out[ids[a]].add(ids[b])
                out[ids[b]].add(ids[a])
    return out
