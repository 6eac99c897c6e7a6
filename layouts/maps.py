"""The district map: boundaries as the base layer (tiles only when configured), live layers on top."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import dash_leaflet as dl

from application.services import Services
from geo.coords import wgs84_to_gcj02
from geo.labels import labelled
from i18n import t

EMPTY = {"type": "FeatureCollection", "features": []}
SHADES = ("open", "on_time", "none")  # township shading: open incidents, today's on-time rate, plain
# Overlays in the layer control, bottom to top: (layer, its Leaflet pane, shown at start, its name's catalog key). The
# incidents and teams overlays hold an empty GeoJSON: assets/pointlayer.js draws their markers in place, on the map while
# it is. The recurring problems' rings (assets/recurring.js) lie under the teams and incidents, whose dots stay on top.
OVERLAYS = (
    ("alerts", "omAlerts", True, "layer.alerts"),
    ("halls", "omHalls", True, "layer.halls"),
    ("stations", "omStations", True, "layer.stations"),
    ("recurring", "omRecurring", True, "recur.layer"),
    ("teams", "omTeams", True, "layer.teams"),
    ("incidents", "omIncidents", True, "layer.incidents"),
)
TOWNS_PANE = "omTowns"
INCIDENTS_PANE = "omIncidents"
RECURRING_PANE = "omRecurring"


@dataclass(frozen=True)
class LayerIds:
    """The component ids of one layered map: the map, its layer control, legend and one GeoJSON per layer."""

    map: str
    control: str
    legend: str
    boundaries: str
    incidents: str
    stations: str
    halls: str
    teams: str
    alerts: str
    recurring: str


def layer_ids(map_id: str) -> LayerIds:
    """Return the ids of a layered map derived from its map id (the wall names its own in layouts/ids.py)."""
    return LayerIds(
        map_id,
        *(
            f"{map_id}-{n}"
            for n in (
                "layers",
                "legend",
                "boundaries",
                "incidents",
                "stations",
                "halls",
                "teams",
                "alerts",
                "recurring",
            )
        ),
    )


def _points(coords: Any) -> Iterable[tuple[float, float]]:
    """Yield every (lon, lat) of a GeoJSON coordinates array, however deeply nested."""
    if coords and isinstance(coords[0], (int, float)):
        yield float(coords[0]), float(coords[1])
    else:
        for part in coords or ():
            yield from _points(part)


def tile_crs(settings: Any) -> str:
    """Return the coordinate system the map is drawn in: the tiles' one, WGS-84 when there are no tiles."""
    return "gcj02" if settings.tile_url and settings.tile_crs.lower().replace("-", "") == "gcj02" else "wgs84"


def bounds_of(geojson: dict[str, Any], center: tuple[float, float], crs: str = "wgs84") -> list[list[float]]:
    """Return [[south, west], [north, east]] of a FeatureCollection (around center when empty), in crs."""
    pts = [p for f in geojson.get("features", []) for p in _points((f.get("geometry") or {}).get("coordinates"))]
    if not pts:
        lon, lat = center
        pts = [(lon - 0.05, lat - 0.05), (lon + 0.05, lat + 0.05)]
    if crs == "gcj02":
        pts = [wgs84_to_gcj02(lon, lat) for lon, lat in pts]
    lons, lats = [p[0] for p in pts], [p[1] for p in pts]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


_LABELLED: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}


def labelled_boundaries(geojson: dict[str, Any]) -> dict[str, Any]:
    """Return the townships with their label points and short names, computed once per district file."""
    hit = _LABELLED.get(id(geojson))
    if hit is None or hit[0] is not geojson:
        hit = _LABELLED[id(geojson)] = (geojson, labelled(geojson))
    return hit[1]


def _shift(crs: str) -> dict[str, Any]:
    """Return the GeoJSON props that redraw rings in the tiles' system (none are needed for WGS-84)."""
    return {"coordsToLatLng": {"variable": "onemap.map.coordsToLatLng"}} if crs == "gcj02" else {}


def township_area(geojson: dict[str, Any], township_id: str) -> dict[str, Any]:
    """Return the FeatureCollection of one township's boundary (empty when the file does not have it)."""
    return {
        "type": "FeatureCollection",
        "features": [f for f in geojson.get("features", []) if (f.get("properties") or {}).get("id") == township_id],
    }


def boundaries(
    services: Services, boundaries_id: str, lang: str, shade: str = "none", focus: str | None = None
) -> dl.GeoJSON:
    """Return the labelled township boundaries, shaded by a measure the browser fills in (hideout.fills).

    focus: a township id whose map this is; the other townships are drawn dimmed (assets/map.js boundaryStyle).
    """
    crs = tile_crs(services.settings)
    hideout = {
        "lang": lang,
        "tiles": bool(services.settings.tile_url),
        "crs": crs,
        "measure": shade,
        **({"focus": focus} if focus else {}),
    }
    return dl.GeoJSON(
        id=boundaries_id,
        data=labelled_boundaries(services.boundaries_geojson),
        interactive=False,
        style={"variable": "onemap.map.boundaryStyle"},
        onEachFeature={"variable": "onemap.map.boundaryLabel"},
        hideout=hideout,
        **_shift(crs),
    )


def base_layers(services: Services, boundaries_id: str, lang: str) -> list[Any]:
    """Return tiles (only when a tile URL is set: never a CDN) and the labelled township boundaries."""
    layers: list[Any] = []
    if services.settings.tile_url:
        layers.append(dl.TileLayer(url=services.settings.tile_url, attribution="", maxZoom=18))
    return [*layers, boundaries(services, boundaries_id, lang)]


def _map(
    services: Services,
    map_id: str,
    children: list[Any],
    interactive: bool,
    township: str | None = None,
    compact: bool = False,
) -> dl.MapContainer:
    crs, area = tile_crs(services.settings), services.boundaries_geojson
    own = township_area(area, township) if township else None
    area = own if own and own["features"] else area  # a township's map is fitted to its own boundary
    return dl.MapContainer(
        id=map_id,
        children=children,
        bounds=bounds_of(area, services.district.center, crs),
        boundsOptions={"padding": [12, 12]},
        zoomSnap=0.1,
        zoomControl=interactive,
        attributionControl=False,
        scrollWheelZoom=interactive,
        dragging=interactive,
        doubleClickZoom=interactive,
        preferCanvas=False,
        trackViewport=False,
        className="om-map om-map-compact" if compact else "om-map",
        style={"width": "100%", "height": "100%"},
    )


def _live_layer(layer_id: str, lang: str, crs: str, pane: str, **extra: Any) -> dl.GeoJSON:
    return dl.GeoJSON(
        id=layer_id,
        data=EMPTY,
        pane=pane,
        pointToLayer={"variable": "onemap.map.pointToLayer"},
        onEachFeature={"variable": "onemap.map.pointTooltip"},
        hideout={"lang": lang, "crs": crs},
        **_shift(crs),
        **extra,
    )


def district_map(
    services: Services,
    map_id: str,
    boundaries_id: str,
    incidents_id: str,
    lang: str,
    interactive: bool = False,
    rings: str | None = None,
) -> dl.MapContainer:
    """Return a map fitted to the district with its incidents' pane (assets/pointlayer.js draws them in place) and,
    given its id (rings), the recurring problems' layer under them."""
    crs = tile_crs(services.settings)
    anchor = _live_layer(incidents_id, lang, crs, INCIDENTS_PANE)
    live = [dl.Pane(anchor, name=INCIDENTS_PANE, className=f"om-pane om-pane-{INCIDENTS_PANE}")]
    if rings:
        ring_layer = _live_layer(rings, lang, crs, RECURRING_PANE)
        live.insert(0, dl.Pane(ring_layer, name=RECURRING_PANE, className=f"om-pane om-pane-{RECURRING_PANE}"))
    # A panel's map, small beside the wall's: its labels are set smaller (layers.css .om-map-compact).
    return _map(services, map_id, [*base_layers(services, boundaries_id, lang), *live], interactive, compact=True)


def _overlay(lids: LayerIds, layer: str, pane: str, checked: bool, name: str, lang: str, crs: str) -> dl.Overlay:
    extra: dict[str, Any] = {}
    if layer == "alerts":
        extra = {"style": {"variable": "onemap.map.alertStyle"}, "interactive": False}
    geojson = _live_layer(getattr(lids, layer), lang, crs, pane, **extra)
    return dl.Overlay(
        dl.Pane(geojson, name=pane, className=f"om-pane om-pane-{pane}"),
        name=t(name, lang),
        checked=checked,
    )


def layered_map(
    services: Services,
    lids: LayerIds,
    lang: str,
    interactive: bool = False,
    shade: str = "open",
    township: str | None = None,
) -> dl.MapContainer:
    """Return the district map with a compact layer control: township shading (radio) and one overlay per layer.

    township: a township room's map instead: fitted to that township, the others dimmed, no shading (assets/mapfeed.js
    keeps that township's incidents, teams, gauges and halls).
    """
    crs, shade = tile_crs(services.settings), "none" if township else shade
    tiles = (
        [dl.TileLayer(url=services.settings.tile_url, attribution="", maxZoom=18)] if services.settings.tile_url else []
    )
    towns = dl.Pane(
        boundaries(services, lids.boundaries, lang, shade, township), name=TOWNS_PANE, className="om-pane om-pane-towns"
    )
    shades = (
        []
        if township
        else [dl.BaseLayer(dl.LayerGroup(), name=t(f"layer.shade.{s}", lang), checked=s == shade) for s in SHADES]
    )
    overlays = [_overlay(lids, layer, pane, checked, name, lang, crs) for layer, pane, checked, name in OVERLAYS]
    # overlays and baseLayer are given up front: dash-leaflet 1.1.3 filters `overlays` when one is switched off.
    control = dl.LayersControl(
        [*shades, *overlays],
        id=lids.control,
        position="topright",
        collapsed=True,
        sortLayers=False,
        baseLayer=t(f"layer.shade.{shade}", lang) if shades else None,
        overlays=[o.name for o in overlays if o.checked],
    )
    return _map(services, lids.map, [*tiles, towns, control], interactive, township)
