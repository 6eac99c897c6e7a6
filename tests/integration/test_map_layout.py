"""The layered map's layout: a layer control, one GeoJSON per layer, tiles only when configured, GCJ-02 when asked."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import dash_leaflet as dl
import pytest

from config import Settings
from geo.distance import haversine_m
from i18n import STRINGS
from layouts import ids, wall
from layouts.maps import OVERLAYS, SHADES, layer_ids, layered_map, tile_crs

TILES = "http://tiles.intranet/{z}/{x}/{y}.png"


def _services(district: Any, boundaries: Any, **settings: Any) -> SimpleNamespace:
    return SimpleNamespace(settings=Settings(**settings), district=district, boundaries_geojson=boundaries.geojson())


def _walk(component: Any) -> Iterator[Any]:
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        if hasattr(child, "to_plotly_json"):
            yield from _walk(child)


def _of(root: Any, kind: type) -> list[Any]:
    return [c for c in _walk(root) if isinstance(c, kind)]


def test_the_wall_map_has_a_compact_layer_control_with_shading_and_one_overlay_per_layer(district, boundaries) -> None:
    the_map = layered_map(_services(district, boundaries), wall.MAP_IDS, "zh")
    (control,) = _of(the_map, dl.LayersControl)
    assert control.id == ids.WALL_LAYERS and control.collapsed is True and control.position == "topright"
    bases = _of(control, dl.BaseLayer)
    assert [b.name for b in bases] == [STRINGS[f"layer.shade.{s}"][0] for s in SHADES]
    assert [b.checked for b in bases] == [True, False, False]  # open incidents by default
    overlays = _of(control, dl.Overlay)
    assert [o.name for o in overlays] == [STRINGS[key][0] for _, _, _, key in OVERLAYS]
    layer_ids_drawn = [g.id for o in overlays for g in _of(o, dl.GeoJSON)]
    assert layer_ids_drawn == [
        ids.WALL_ALERTS,
        ids.WALL_HALL_MARKS,
        ids.WALL_STATIONS,
        ids.WALL_RECURRING,
        ids.WALL_TEAMS,
        ids.WALL_INCIDENTS,
    ]
    panes = [p.name for o in overlays for p in _of(o, dl.Pane)]
    assert len(set(panes)) == len(panes) == 6  # one pane each: a layer switched back on keeps its place in the stack


def test_without_a_tile_url_there_are_no_tiles_and_the_boundaries_are_the_base_layer(district, boundaries) -> None:
    the_map = layered_map(_services(district, boundaries, tile_crs="gcj02"), wall.MAP_IDS, "zh")
    assert not _of(the_map, dl.TileLayer)
    towns = [g for g in _of(the_map, dl.GeoJSON) if g.id == ids.WALL_BOUNDARIES][0]
    assert towns.hideout["tiles"] is False and towns.hideout["crs"] == "wgs84"  # nothing to line up with: no shift
    assert len(towns.data["features"]) == len(district.townships)


def test_tiles_come_from_the_configured_url(district, boundaries) -> None:
    the_map = layered_map(_services(district, boundaries, tile_url=TILES), wall.MAP_IDS, "en")
    (tiles,) = _of(the_map, dl.TileLayer)
    assert tiles.url == TILES
    assert all("coordsToLatLng" not in g.to_plotly_json()["props"] for g in _of(the_map, dl.GeoJSON))


def test_gcj02_tiles_shift_every_layer_and_the_fitted_bounds(district, boundaries) -> None:
    plain = layered_map(_services(district, boundaries, tile_url=TILES), wall.MAP_IDS, "zh")
    the_map = layered_map(_services(district, boundaries, tile_url=TILES, tile_crs="gcj02"), wall.MAP_IDS, "zh")
    layers = _of(the_map, dl.GeoJSON)
    assert len(layers) == 7
    assert all(
        g.hideout["crs"] == "gcj02" and g.coordsToLatLng == {"variable": "onemap.map.coordsToLatLng"} for g in layers
    )
    (s, w), (n, e) = the_map.bounds
    (s0, w0), (n0, e0) = plain.bounds
    assert 100 < haversine_m(w0, s0, w, s) < 1000 and 100 < haversine_m(e0, n0, e, n) < 1000


@pytest.mark.parametrize(
    "url,crs,expected", [("", "gcj02", "wgs84"), (TILES, "GCJ-02", "gcj02"), (TILES, "wgs84", "wgs84")]
)
def test_the_map_is_drawn_in_the_tiles_coordinate_system(url: str, crs: str, expected: str) -> None:
    assert tile_crs(Settings(tile_url=url, tile_crs=crs)) == expected


def test_another_map_derives_its_layer_ids_from_its_map_id() -> None:
    lids = layer_ids("cmd-map")
    assert lids.control == "cmd-map-layers" and lids.incidents == "cmd-map-incidents" and lids.map == "cmd-map"
    assert len(set(vars(lids).values())) == len(vars(lids))


def test_every_layer_name_and_map_string_is_in_both_languages() -> None:
    keys = [key for _, _, _, key in OVERLAYS] + [f"layer.shade.{s}" for s in SHADES]
    keys += [
        "map.shade.open",
        "map.shade.on_time",
        "map.no_data",
        "map.thresholds",
        "map.alert_until",
        "wall.teams",
        "wall.alerts",
    ]
    assert all(k in STRINGS and all(STRINGS[k]) for k in keys)
