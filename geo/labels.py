"""Where a township's name goes on the map: the point of its area farthest from its edges, and a short name."""

from __future__ import annotations

import copy
from typing import Any

from shapely.geometry import shape
from shapely.ops import polylabel

from domain.catalog import short_name_en

LABEL_TOLERANCE_DEG = 1e-4  # ~10 m: finer than any screen pixel of a district map


def label_point(geometry: dict[str, Any]) -> tuple[float, float]:
    """Return (lon, lat) of the pole of inaccessibility of a (multi)polygon's largest part."""
    geom = shape(geometry)
    part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    p = polylabel(part, tolerance=LABEL_TOLERANCE_DEG)
    return round(p.x, 6), round(p.y, 6)


def labelled(geojson: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of the townships' FeatureCollection with `label` [lon, lat] and `short_en` on each feature."""
    out = copy.deepcopy(geojson)
    for f in out.get("features", []):
        props = f.setdefault("properties", {})
        props["label"] = list(label_point(f["geometry"]))
        props.setdefault("short_en", short_name_en(props.get("name_en") or ""))
    return out
