"""The analytics view's renderer: clientside only, so a delta costs the server no callback per screen."""

from __future__ import annotations

from dash import Input, Output

from application.services import Services
from callbacks.guard import Guarded
from layouts import ids

CHARTS = tuple(ids.ANALYTICS_CHARTS)  # the order assets/charts.js returns the figures in


def register(app: Guarded, services: Services) -> None:
    """Register the one browser-side callback that draws changed chart entities (Plotly.react on each graph)."""
    app.clientside_callback(
        "function (live, i18n) { window.onemap.ui.setCatalog(i18n);"
        f" return window.onemap.charts.render({list(CHARTS)!r}); }}",
        Output(ids.ANALYTICS_DRAWN, "data"),
        Input(ids.LIVE, "data"),
        Input(ids.I18N, "data"),
    )
