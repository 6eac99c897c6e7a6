"""Clientside renderers: each page's live panels are drawn in the browser from window.onemap.live.

The console's and rooms' lists are not Dash outputs: assets/keyed.js draws them into their elements, keyed by
entity id, and a row's button relays its click to a dcc.Store as {its data-* fields, n} (see row_action).
Each renderer returns {output name: value}; the names are layouts/ids.py's, put in Dash's order by assets/outputs.js.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from dash import Input, Output, State

from application.services import Services
from callbacks.guard import Guarded
from callbacks.maps import layer_inputs, layer_outputs
from layouts import ids, wall

LIVE_INPUTS = [Input(ids.LIVE, "data"), Input(ids.TICK, "n_intervals"), Input(ids.I18N, "data")]


def row_action(data: Any, fields: tuple[str, ...]) -> dict[str, str] | None:
    """Return a relayed row click's fields (each a non-empty string), or None when it is not one."""
    if not isinstance(data, dict) or not all(isinstance(data.get(f), str) and data[f] for f in fields):
        return None
    return {f: data[f] for f in fields}


def outputs(named: Mapping[str, tuple[str, str]]) -> dict[str, Output]:
    """Return Dash outputs by name from layouts/ids.py's {name: (component id, property)}."""
    return {name: Output(cid, prop) for name, (cid, prop) in named.items()}


def by_name(params: str, setup: str, render: str, named: Mapping[str, Output]) -> str:
    """Return a clientside function: it runs setup, then puts render's {name: value} in the outputs' order."""
    names = json.dumps(list(named))
    return f"function ({params}) {{ {setup} return window.onemap.outputs.inOrder({names}, {render}); }}"


def merged(*named: Mapping[str, Output]) -> dict[str, Output]:
    """Return the outputs of several renderers drawn by one callback; a name used twice is refused."""
    out: dict[str, Output] = {}
    for part in named:
        twice = out.keys() & part.keys()
        if twice:
            raise ValueError(f"output names used twice: {sorted(twice)}")
        out.update(part)
    return out


WALL_OUTPUTS = merged(outputs(ids.WALL_OUTPUTS), layer_outputs(wall.MAP_IDS))
CONSOLE_OUTPUTS = outputs(ids.CONSOLE_OUTPUTS)
TOWN_OUTPUTS = outputs(ids.TOWN_OUTPUTS)
CATALOG = "window.onemap.ui.setCatalog(i18n);"


def register(app: Guarded, services: Services) -> None:
    """Register the wall, console and township-room renderers (all clientside: no server work per tick)."""
    app.clientside_callback(
        by_name(
            "live, tick, i18n, baseLayer, hideout",
            CATALOG,
            "window.onemap.wall.render(baseLayer, hideout)",
            WALL_OUTPUTS,
        ),
        *WALL_OUTPUTS.values(),
        *LIVE_INPUTS,
        *layer_inputs(wall.MAP_IDS),
    )
    app.clientside_callback(
        by_name(
            "live, tick, i18n, selected, hideout",
            CATALOG,
            "window.onemap.console.render(selected, hideout)",
            CONSOLE_OUTPUTS,
        ),
        *CONSOLE_OUTPUTS.values(),
        *LIVE_INPUTS,
        Input(ids.CMD_SELECTED, "data"),
        State(ids.CMD_BOUNDARIES, "hideout"),  # the map's coordinate system (tiles) and language
    )
    app.clientside_callback(
        by_name("live, tick, i18n, scope", CATALOG, "window.onemap.township.render(scope)", TOWN_OUTPUTS),
        *TOWN_OUTPUTS.values(),
        *LIVE_INPUTS,
        State(ids.SCOPE, "data"),
    )
