"""Load and validate township boundaries (GeoJSON, Shapefile, GeoPackage; any CRS) as WGS-84."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from geo import DEMO_TOWNSHIPS_PATH, _fields, _topology

WGS84 = "EPSG:4326"
_GEOJSON_SUFFIXES = (".geojson", ".json")


class BoundaryError(ValueError):
    """A boundary file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True, eq=False)
class Boundaries:
    """Validated townships in EPSG:4326, sorted by id; `gdf` has id, name_zh, name_en, kind, geometry."""

    # Frozen at attribute level only: `gdf` is shared (demo_boundaries() is cached); treat it as read-only.

    gdf: gpd.GeoDataFrame = field(repr=False)
    source: str
    _townships: tuple[dict[str, Any], ...] = field(repr=False)
    _neighbours: dict[str, frozenset[str]] = field(repr=False)
    _geojson_text: str = field(repr=False)

    @property
    def townships(self) -> list[dict[str, Any]]:
        """id, name_zh, name_en, kind, centroid_lon, centroid_lat, area_km2 per township (fresh copies)."""
        return [dict(t) for t in self._townships]

    @property
    def ids(self) -> tuple[str, ...]:
        """Township ids in sorted order (the order of `geometries`)."""
        return tuple(self.gdf["id"])

    @property
    def geometries(self) -> np.ndarray:
        """Shapely polygons aligned with `ids`."""
        polygons: np.ndarray = self.gdf.geometry.to_numpy()
        return polygons

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(minx, miny, maxx, maxy) in degrees."""
        minx, miny, maxx, maxy = self.gdf.total_bounds
        return float(minx), float(miny), float(maxx), float(maxy)

    def geojson(self) -> dict[str, Any]:
        """A fresh FeatureCollection dict for the map, coordinates rounded to 6 decimals."""
        collection: dict[str, Any] = json.loads(self._geojson_text)
        return collection

    def neighbours(self) -> dict[str, set[str]]:
        """Township id -> ids of townships sharing a border with it (corners don't count)."""
        return {k: set(v) for k, v in self._neighbours.items()}


def _fail(source: Path | str, problem: str) -> BoundaryError:
    label = f"boundary file {str(source)!r}" if isinstance(source, Path) else str(source)
    return BoundaryError(f"{label}: {problem}")


def _check_geojson_crs(path: Path) -> None:
    """GDAL silently treats an unknown GeoJSON `crs` member as WGS-84; refuse it instead."""
    try:
        crs_member = json.loads(path.read_text(encoding="utf-8")).get("crs")
    except (ValueError, UnicodeDecodeError, AttributeError):
        return  # not plain GeoJSON text; the reader reports what is wrong with it
    if crs_member is None:
        return  # RFC 7946: no crs member means WGS-84
    name = (crs_member.get("properties") or {}).get("name") if isinstance(crs_member, dict) else None
    try:
        pyproj.CRS.from_user_input(name)
    except (pyproj.exceptions.CRSError, TypeError) as exc:
        raise _fail(path, f"unknown CRS {name!r} in the GeoJSON 'crs' member") from exc


def _read(path: Path) -> gpd.GeoDataFrame:
    if not path.is_file():
        raise _fail(path, "file not found")
    if path.suffix.lower() in _GEOJSON_SUFFIXES:
        _check_geojson_crs(path)
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:  # the readers raise many unrelated types; all mean "unreadable"
        raise _fail(path, f"cannot read it ({type(exc).__name__}: {exc})") from exc
    if len(gdf) == 0:
        raise _fail(path, "no features (empty collection)")
    if gdf.crs is None:
        hint = " (.prj present but not understood)" if path.with_suffix(".prj").exists() else ""
        raise _fail(path, f"no CRS / unknown CRS{hint}; cannot place the coordinates on the earth")
    return gdf


def _summaries(gdf: gpd.GeoDataFrame) -> tuple[dict[str, Any], ...]:
    geod = pyproj.Geod(ellps="WGS84")
    centroids = shapely.centroid(gdf.geometry.to_numpy())
    out = []
    for row, c in zip(gdf.itertuples(index=False), centroids):
        area_m2 = abs(geod.geometry_area_perimeter(row.geometry)[0])
        out.append(
            {
                "id": row.id,
                "name_zh": row.name_zh,
                "name_en": row.name_en,
                "kind": row.kind,
                "centroid_lon": round(c.x, 6),
                "centroid_lat": round(c.y, 6),
                "area_km2": round(area_m2 / 1e6, 3),
            }
        )
    return tuple(out)


def _feature_collection(gdf: gpd.GeoDataFrame) -> str:
    rounded = shapely.transform(gdf.geometry.to_numpy(), lambda xy: np.round(xy, 6))
    features = [
        {
            "type": "Feature",
            "id": row.id,
            "properties": {"id": row.id, "name_zh": row.name_zh, "name_en": row.name_en, "kind": row.kind},
            "geometry": json.loads(shapely.to_geojson(geom)),
        }
        for row, geom in zip(gdf.itertuples(index=False), rounded)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def load_boundaries(path: str | Path) -> Boundaries:
    """Read, reproject to EPSG:4326 and validate a township boundary file; raise BoundaryError."""
    path = Path(path)
    return _build(_read(path), path)


def boundaries_from_frame(frame: gpd.GeoDataFrame, source: str = "boundary data frame") -> Boundaries:
    """Validate an in-memory GeoDataFrame (must carry a CRS) exactly as `load_boundaries` would."""
    if len(frame) == 0:
        raise _fail(source, "no features (empty collection)")
    if frame.crs is None:
        raise _fail(source, "no CRS; cannot place the coordinates on the earth")
    return _build(frame, source)


def _build(raw: gpd.GeoDataFrame, source: Path | str) -> Boundaries:
    try:
        raw = raw.to_crs(WGS84)
    except Exception as exc:  # pyproj raises ProjError/CRSError for local or unsupported CRSs
        raise _fail(source, f"cannot reproject from CRS {raw.crs.to_string()!r} to WGS-84 ({exc})") from exc
    try:
        attrs = _fields.normalise(raw)
    except ValueError as exc:
        raise _fail(source, str(exc)) from None
    gdf = gpd.GeoDataFrame(attrs, geometry=raw.geometry.to_numpy(), crs=WGS84)
    gdf = gdf.sort_values("id", kind="stable").reset_index(drop=True)
    ids, geoms = list(gdf["id"]), gdf.geometry.to_numpy()
    problem = _topology.geometry_problem(ids, geoms)
    if problem:
        raise _fail(source, problem)
    minx, miny, maxx, maxy = gdf.total_bounds
    if not (-180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90):
        box = [round(float(v), 3) for v in (minx, miny, maxx, maxy)]
        raise _fail(source, f"coordinates {box} are not longitude/latitude; is the declared CRS wrong?")
    problem = _topology.overlap_problem(ids, geoms)
    if problem:
        raise _fail(source, problem)
    neighbours = {k: frozenset(v) for k, v in _topology.shared_borders(ids, geoms).items()}
    return Boundaries(
        gdf=gdf,
        source=str(source),
        _townships=_summaries(gdf),
        _neighbours=neighbours,
        _geojson_text=_feature_collection(gdf),
    )


@functools.lru_cache(maxsize=1)
def demo_boundaries() -> Boundaries:
    """The committed demo district (云湖区), loaded once per process."""
    return load_boundaries(DEMO_TOWNSHIPS_PATH)
