"""The analytics view's renderer: clientside only, so a delta costs the server no callback per screen."""

from __future__ import annotations

from dash import Input, Output

from application.services import Services
from callbacks.guard import Guarded
from layouts import ids


def register(app: Guarded, services: Services) -> None:
    """Register the browser-side callback that tells assets/charts.js the view mounted or its language changed.

    The entities' changes reach charts.js straight from assets/live.js (live.subscribe), not through this callback:
    a delta redraws its charts at once, with no Dash round trip.
    """
    app.clientside_callback(
        "function (i18n) { window.onemap.ui.setCatalog(i18n); window.onemap.warnings.analytics();"
        " window.onemap.recurring.analytics();"
        " return window.onemap.charts.render(); }",
        Output(ids.ANALYTICS_DRAWN, "data"),
        Input(ids.I18N, "data"),
    )
