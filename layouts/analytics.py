"""The wall's analytics view (/wall/analytics): six Plotly charts, each drawn in the browser from its chart entity."""

from __future__ import annotations

from dash import dcc, get_asset_url, html

from application.services import Services
from i18n import t
from layouts import ids
from layouts.common import attrs, district_name, panel, title_bar, views_nav
from layouts.recurring import recurring_panel

PATH = "/wall/analytics"
# plotly.js's cartesian bundle (npm plotly.js-cartesian-dist-min, the version of plotly's own plotly.min.js): bar,
# scatter and heatmap, every trace the charts draw, in 1.5 MB that evaluate in half the time of the full 4.8 MB.
# Loaded by assets/chartdraw.js on this view only (app.py keeps it out of every page's scripts).
PLOTLY_JS = "vendor/plotly-cartesian.min.js"
# (chart, panel title key, grid area class): the grid itself is in assets/analytics.css.
PANELS = (
    ("hourly", "analytics.hourly"),
    ("stages", "analytics.stages"),
    ("categories", "analytics.categories"),
    ("gauges", "analytics.gauges"),
    ("ranking", "analytics.ranking"),
    ("halls", "analytics.halls"),
)


def graph(name: str) -> html.Div:
    """Return a chart's place: assets/charts.js draws its entity into the inner div with Plotly.react."""
    return html.Div(
        id=ids.ANALYTICS_CHARTS[name],
        className="om-chart-graph",
        children=html.Div(className="om-chart-plot", **attrs({"data-chart": name})),
    )


def warnings(lang: str) -> html.Section:
    """Return the early warnings' column beside the charts (assets/warnings.js draws it), with the rule under it."""
    body = [
        html.Div(id=ids.ANALYTICS_WARNINGS, className="om-warnings"),
        html.Div(t("warn.rule", lang), className="om-warn-rule"),
    ]
    return panel(t("warn.title", lang), body, "om-chart-warnings om-warn-panel")


def layout(services: Services, lang: str, path: str) -> html.Div:
    """Return the analytics view: title bar, then the charts' grid; nothing on it is computed in the browser."""
    title = t("analytics.title", lang, district=district_name(services, lang))
    head = title_bar(
        title,
        f"{t('app.title', lang)} · {t('analytics.subtitle', lang)}",
        lang,
        path,
        extra=[views_nav(lang, services.settings.lang, path)],
    )
    cells = [panel(t(key, lang), graph(name), f"om-chart om-chart-{name}") for name, key in PANELS]
    cells.append(warnings(lang))
    cells.append(
        recurring_panel(services, lang, ids.ANALYTICS_RECURRING, ids.ANALYTICS_RECUR_COUNT, "om-chart-recurring")
    )
    return html.Div(
        className="om-wall om-analytics",
        children=[
            head,
            html.Div(cells, className="om-analytics-grid", **attrs({"data-plotly": get_asset_url(PLOTLY_JS)})),
            dcc.Store(id=ids.ANALYTICS_DRAWN),
        ],
    )
