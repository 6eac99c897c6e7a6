"""Clientside renderers: each page's live panels are drawn in the browser from window.onemap.live.

The console's and rooms' lists are not Dash outputs: assets/keyed.js draws them into their elements, keyed by
entity id, and a row's button relays its click to a dcc.Store as {its data-* fields, n} (see row_action).
"""
from __future__ import annotations

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


def register(app: Guarded, services: Services) -> None:
    """Register the wall, console and township-room renderers (all clientside: no server work per tick)."""
    app.clientside_callback(
        "function (live, tick, i18n, baseLayer, hideout) {"
        " window.onemap.ui.setCatalog(i18n); return window.onemap.wall.render(baseLayer, hideout); }",
        Output(ids.WALL_KPIS, "children"), Output(ids.WALL_URGENT, "children"),
        Output(ids.WALL_URGENT_COUNT, "children"), Output(ids.WALL_RANKING, "children"),
        Output(ids.WALL_STATUS, "children"), Output(ids.WALL_HALLS, "children"), Output(ids.WALL_STAGES, "children"),
        *layer_outputs(wall.MAP_IDS),
        *LIVE_INPUTS, *layer_inputs(wall.MAP_IDS),
    )
    app.clientside_callback(
        "function (live, tick, i18n, selected) {"
        " window.onemap.ui.setCatalog(i18n); return window.onemap.console.render(selected); }",
        Output(ids.CMD_QUEUE_COUNT, "children"), Output(ids.CMD_INCIDENTS, "data"),
        Output(ids.CMD_CALLBACKS_COUNT, "children"), Output(ids.CMD_ALERTS_COUNT, "children"),
        Output(ids.CMD_BOARD, "children"), Output(ids.CMD_SIG, "data"),
        *LIVE_INPUTS, Input(ids.CMD_SELECTED, "data"),
    )
    app.clientside_callback(
        "function (live, tick, i18n, scope) {"
        " window.onemap.ui.setCatalog(i18n); return window.onemap.township.render(scope); }",
        Output(ids.TOWN_COUNT, "children"), Output(ids.TOWN_KPI, "children"), Output(ids.TOWN_BANNER, "children"),
        *LIVE_INPUTS, State(ids.SCOPE, "data"),
    )
