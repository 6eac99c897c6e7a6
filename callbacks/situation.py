"""The flood-and-security wall screen's renderer: clientside, from window.onemap.live (no server work per tick)."""

from __future__ import annotations

from dash import Output

from application.services import Services
from callbacks.guard import Guarded
from callbacks.live import LIVE_INPUTS
from layouts import ids


def register(app: Guarded, services: Services) -> None:
    """Register the situation screen's one clientside callback (assets/situation.js)."""
    app.clientside_callback(
        "function (live, tick, i18n) { window.onemap.ui.setCatalog(i18n); return window.onemap.situation.render(); }",
        Output(ids.SIT_RESPONSE, "children"),
        Output(ids.SIT_FLOOD, "children"),
        Output(ids.SIT_POSTURE, "children"),
        Output(ids.SIT_EVENTS, "children"),
        Output(ids.SIT_EVENTS_COUNT, "children"),
        Output(ids.SIT_HALLS, "children"),
        Output(ids.SIT_HALLS_COUNT, "children"),
        *LIVE_INPUTS,
    )
