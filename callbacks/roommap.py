"""The township room's map and attention: clientside, from window.onemap.live (no server work per tick)."""

from __future__ import annotations

from dash import Input, Output, State

from application.services import Services
from callbacks.guard import Guarded
from callbacks.live import CATALOG, by_name
from callbacks.maps import layer_inputs, layer_outputs
from layouts import ids
from layouts.township import MAP_IDS

LIVE_INPUTS = [Input(ids.LIVE, "data"), Input(ids.TICK, "n_intervals"), Input(ids.I18N, "data")]


def register(app: Guarded, services: Services) -> None:
    """Register the room map's renderer (the wall's layers, this township's things) and the new-order attention."""
    # The map's own township (its boundaries' hideout.focus) picks what it shows: the map is of that township.
    layers = layer_outputs(MAP_IDS)
    app.clientside_callback(
        by_name(
            "live, tick, i18n, baseLayer, hideout",
            CATALOG,
            "window.onemap.mapfeed.render('room', window.onemap.live.now(),"
            f" {{map: '{ids.ROOM_MAP}', baseLayer: baseLayer, hideout: hideout, township: (hideout || {{}}).focus}})",
            layers,
        ),
        *layers.values(),
        *LIVE_INPUTS,
        *layer_inputs(MAP_IDS),
    )
    app.clientside_callback(
        "function (live, scope) { return window.onemap.attention.update(scope); }",
        Output(ids.ROOM_ATTENTION, "data"),
        Input(ids.LIVE, "data"),
        State(ids.SCOPE, "data"),
    )
