"""The HTML page Dash serves: on a view that draws charts, plotly.js is fetched with the page's own scripts.

Dash fetched plotly.js only once a graph mounted, after its scripts, the layout and the router's callback: on
/wall/analytics its download started about 0.9 s after navigation. Preloaded, it is in the cache by then;
assets/chartdraw.js evaluates it once the view mounted (so once, and after Dash started).
"""

from __future__ import annotations

from dash import Dash
from flask import has_request_context, request

from layouts import analytics

CHART_VIEWS = frozenset({analytics.PATH})  # the paths assets/chartdraw.js draws on
ON_DEMAND = r"^plotly-cartesian\.min\.js$"  # assets in no page's scripts (Dash's assets_ignore): loaded where needed


def preload(page: str, href: str) -> str:
    """Return the page with a preload of the script at href ahead of its head's end: at low priority, as Dash's own
    scripts come first and the charts need plotly.js only once the socket is up, a second or so later."""
    tag = f'<link rel="preload" as="script" fetchpriority="low" href="{href}">'
    return page.replace("</head>", f"{tag}\n</head>", 1)


class OneMapDash(Dash):
    """Dash, with plotly.js preloaded by the pages of the views that draw charts."""

    def interpolate_index(
        self,
        metas: str = "",
        title: str = "",
        css: str = "",
        config: str = "",
        scripts: str = "",
        app_entry: str = "",
        favicon: str = "",
        renderer: str = "",
    ) -> str:
        """Return Dash's page for the request's path, preloading plotly.js on a charts view."""
        page = super().interpolate_index(metas, title, css, config, scripts, app_entry, favicon, renderer)
        if not has_request_context():
            return page
        path = "/" + request.path[len(self.config.routes_pathname_prefix) :].rstrip("/")
        return preload(page, self.get_asset_url(analytics.PLOTLY_JS)) if path in CHART_VIEWS else page
