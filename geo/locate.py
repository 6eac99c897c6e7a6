"""Vectorised point-in-township lookup: a coarse grid answers most points, GEOS the rest."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import shapely

if TYPE_CHECKING:  # only for annotations: keeps geopandas out of this module's import
    from geo.boundaries import Boundaries

ArrayLike = Sequence[float] | np.ndarray
_EXACT = -2  # grid code: a border runs through this cell, ask GEOS
_OUTSIDE = -1


class Locator:
    """Assign WGS-84 points to township ids; border points go to the smallest matching id."""

    def __init__(self, boundaries: Boundaries, cells: int = 65_536) -> None:
        self._ids = tuple(boundaries.ids)  # sorted, so the lowest tree index is the smallest id
        self._labels = np.array(list(self._ids) + [None], dtype=object)  # code -1 -> None
        geoms = np.array(boundaries.geometries, dtype=object)
        shapely.prepare(geoms)
        self._tree = shapely.STRtree(geoms)
        minx, miny, maxx, maxy = boundaries.bounds
        width, height = max(maxx - minx, 1e-9), max(maxy - miny, 1e-9)
        self._nx = max(1, int(round(np.sqrt(cells * width / height))))
        self._ny = max(1, int(round(cells / self._nx)))
        self._origin = (minx, miny)
        self._extent = (maxx, maxy)
        self._scale = (self._nx / width, self._ny / height)  # cells per degree
        self._grid = self._build_grid(geoms)

    @property
    def ids(self) -> tuple[str, ...]:
        """Township ids; `assign_indices` returns positions in this tuple."""
        return self._ids

    def _build_grid(self, geoms: np.ndarray) -> np.ndarray:
        """Per cell: the one township covering it, _OUTSIDE, or _EXACT when a border may cross it."""
        nx, ny, (sx, sy), (x0, y0) = self._nx, self._ny, self._scale, self._origin
        grid = np.full(nx * ny, _OUTSIDE, dtype=np.int32)
        # Cut every border into pieces no longer than a cell, so a piece's bounding box spans at
        # most two cells per axis; widen by a margin so float rounding in binning cannot matter.
        step = 0.5 / max(sx, sy)
        pieces = shapely.segmentize(shapely.boundary(geoms), step)
        xy, part = shapely.get_coordinates(pieces, return_index=True)
        same = part[1:] == part[:-1]
        a, b = xy[:-1][same], xy[1:][same]
        margin = 1e-3
        gx0 = np.floor((np.minimum(a[:, 0], b[:, 0]) - x0) * sx - margin).astype(np.int64)
        gx1 = np.floor((np.maximum(a[:, 0], b[:, 0]) - x0) * sx + margin).astype(np.int64)
        gy0 = np.floor((np.minimum(a[:, 1], b[:, 1]) - y0) * sy - margin).astype(np.int64)
        gy1 = np.floor((np.maximum(a[:, 1], b[:, 1]) - y0) * sy + margin).astype(np.int64)
        span = int(max((gx1 - gx0).max(initial=0), (gy1 - gy0).max(initial=0)))
        for dx in range(span + 1):
            for dy in range(span + 1):
                ix, iy = gx0 + dx, gy0 + dy
                ok = (ix <= gx1) & (iy <= gy1) & (ix >= 0) & (ix < nx) & (iy >= 0) & (iy < ny)
                grid[iy[ok] * nx + ix[ok]] = _EXACT
        # No border touches the remaining cells, so their centre speaks for the whole cell.
        free = np.flatnonzero(grid != _EXACT)
        cx = x0 + ((free % nx) + 0.5) / sx
        cy = y0 + ((free // nx) + 0.5) / sy
        grid[free] = self._exact(cx, cy)
        return grid

    def _exact(self, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """GEOS lookup: code of the smallest-id township whose closed polygon holds each point."""
        codes = np.full(lons.shape[0], len(self._ids), dtype=np.int64)
        pts, polys = self._tree.query(shapely.points(lons, lats), predicate="intersects")
        np.minimum.at(codes, pts, polys)
        codes[codes == len(self._ids)] = _OUTSIDE
        return codes.astype(np.int32)

    def assign_indices(self, lons: ArrayLike, lats: ArrayLike) -> np.ndarray:
        """Index into `ids` per point, -1 outside every township (NaN / out of range included)."""
        lon = np.asarray(lons, dtype=np.float64).ravel()
        lat = np.asarray(lats, dtype=np.float64).ravel()
        if lon.shape != lat.shape:
            raise ValueError(f"lons and lats differ in length ({lon.size} != {lat.size})")
        (x0, y0), (x1, y1), (sx, sy) = self._origin, self._extent, self._scale
        # NaN compares False, so it drops out here together with everything beyond the bbox.
        inside = np.flatnonzero((lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))
        out = np.full(lon.size, _OUTSIDE, dtype=np.int32)
        ix = np.minimum(((lon[inside] - x0) * sx).astype(np.int64), self._nx - 1)
        iy = np.minimum(((lat[inside] - y0) * sy).astype(np.int64), self._ny - 1)
        codes = self._grid[iy * self._nx + ix]
        exact = codes == _EXACT
        if exact.any():
            hit = inside[exact]
            codes[exact] = self._exact(lon[hit], lat[hit])
        out[inside] = codes
        return out

    def assign(self, lons: ArrayLike, lats: ArrayLike) -> list[str | None]:
        """Township id per point; None when the point is outside the district or not a coordinate."""
        ids: list[str | None] = self._labels[self.assign_indices(lons, lats)].tolist()
        return ids

    def assign_one(self, lon: float, lat: float) -> str | None:
        """Township id of a single point, or None."""
        try:
            return self.assign([lon], [lat])[0]
        except (TypeError, ValueError):
            return None
