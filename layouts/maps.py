"""The district map: boundaries as the base layer (tiles only when configured), live layers on top."""
from __future__ import annotations

from typing import Any, Iterable

import dash_leaflet as dl

EMPTY = {"type": "FeatureCollection", "features": []}


def _points(coords: Any) -> Iterable[tuple[float, float]]:
    """Yield every (lon, lat) of a GeoJSON coordinates array, however deeply nested."""
    if coords and isinstance(coords[0], (int, float)):
        yield float(coords[0]), float(coords[1])
    else:
        for part in coords or ():
            yield from _points(part)


def bounds_of(geojson: dict[str, Any], center: tuple[float, float]) -> list[list[float]]:
    """Return [[south, west], [north, east]] of a FeatureCollection (around center when empty)."""
    pts = [p for f in geojson.get("features", []) for p in _points((f.get("geometry") or {}).get("coordinates"))]
    if not pts:
        lon, lat = center
        return [[lat - 0.05, lon - 0.05], [lat + 0.05, lon + 0.05]]
    lons, lats = [p[0] for p in pts], [p[1] for p in pts]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def base_layers(services: Any, boundaries_id: str, lang: str) -> list[Any]:
    """Return tiles (only when a tile URL is set: never a CDN) and the labelled township boundaries."""
    layers: list[Any] = []
    if services.settings.tile_url:
        layers.append(dl.TileLayer(url=services.settings.tile_url, attribution=""))
    layers.append(dl.GeoJSON(
        id=boundaries_id, data=services.boundaries_geojson, interactive=False,
        style={"variable": "onemap.map.boundaryStyle"}, onEachFeature={"variable": "onemap.map.boundaryLabel"},
        hideout={"lang": lang, "tiles": bool(services.settings.tile_url)},
    ))
    return layers


def district_map(services: Any, map_id: str, boundaries_id: str, layer_ids: list[str], lang: str,
                 interactive: bool = False) -> dl.MapContainer:
    """Return a map fitted to the district, with one empty GeoJSON per live layer (filled clientside)."""
    live = [dl.GeoJSON(id=i, data=EMPTY, pointToLayer={"variable": "onemap.map.pointToLayer"},
                       onEachFeature={"variable": "onemap.map.pointTooltip"}, hideout={"lang": lang})
            for i in layer_ids]
    return dl.MapContainer(
        id=map_id, children=[*base_layers(services, boundaries_id, lang), *live],
        bounds=bounds_of(services.boundaries_geojson, services.district.center),
        boundsOptions={"padding": [12, 12]}, zoomSnap=0.1, zoomControl=interactive,
        attributionControl=False, scrollWheelZoom=interactive, dragging=interactive,
        doubleClickZoom=interactive, preferCanvas=False, trackViewport=False, className="om-map",
        style={"width": "100%", "height": "100%"},
    )
