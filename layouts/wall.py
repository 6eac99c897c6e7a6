"""The wall: a read-only, full-screen command-center view for 1080p and 4K screens."""

from __future__ import annotations

from dash import html

from application.services import Services
from i18n import t
from layouts import ids
from layouts.common import district_name, panel, title_bar, views_nav
from layouts.maps import LayerIds, layered_map

LEGEND_STATUSES = ("waiting", "waiting_warning", "waiting_late", "ok", "warning", "breached", "handling", "resolved")
LEGEND_KEYS = (
    ("om-gauge-key", "wall.stations"),
    ("om-hall-key", "wall.halls"),
    ("om-team-key", "wall.teams"),
    ("om-alert-key", "wall.alerts"),
    ("om-recur-key", "recur.legend"),
)
MAP_IDS = LayerIds(
    map=ids.WALL_MAP,
    control=ids.WALL_LAYERS,
    legend=ids.WALL_LEGEND,
    boundaries=ids.WALL_BOUNDARIES,
    incidents=ids.WALL_INCIDENTS,
    stations=ids.WALL_STATIONS,
    halls=ids.WALL_HALL_MARKS,
    teams=ids.WALL_TEAMS,
    alerts=ids.WALL_ALERTS,
    recurring=ids.WALL_RECURRING,
)


def legend(lang: str) -> list[html.Div]:
    """Return the map legends: SLA colours and map symbols (bottom left), township shading (bottom right)."""
    items = [
        html.Span([html.I(className=f"om-dot om-st-{s}"), t(f"status.{s}", lang)], className="om-legend-item")
        for s in LEGEND_STATUSES
    ]
    items += [
        html.Span([html.I(className=key), t(label, lang)], className="om-legend-item") for key, label in LEGEND_KEYS
    ]
    return [html.Div(items, className="om-legend"), html.Div(id=ids.WALL_LEGEND, className="om-shade-legend")]


def layout(services: Services, lang: str, path: str) -> html.Div:
    """Return the wall page; every number and list on it is rendered clientside from the live state."""
    title = t("wall.title", lang, district=district_name(services, lang))
    nav = [views_nav(lang, services.settings.lang, path)] if path == "/wall" else []  # not on a replayed wall
    head = title_bar(title, f"{t('app.title', lang)} · {t('app.subtitle', lang)}", lang, path, extra=nav)
    the_map = html.Div(
        className="om-wall-map",
        children=[
            html.Div(
                className="om-map-head",
                children=[
                    html.H2(t("wall.map", lang), className="om-map-caption"),
                    html.Div(id=ids.WALL_STATUS, className="om-map-status"),
                ],
            ),
            html.Div(className="om-map-body", children=[layered_map(services, MAP_IDS, lang), *legend(lang)]),
        ],
    )
    left = html.Aside(
        className="om-wall-side om-wall-left",
        children=[
            panel(
                t("wall.ranking", lang),
                [
                    html.Div(id=ids.WALL_RANKING, className="om-ranking"),
                    html.Div(t("wall.rank_rule", lang), className="om-rank-rule"),
                ],
            ),
            panel(t("wall.halls", lang), html.Div(id=ids.WALL_HALLS, className="om-halls"), "om-grow"),
        ],
    )
    right = html.Aside(
        className="om-wall-side om-wall-right",
        children=[
            panel(t("wall.clocks", lang), html.Div(id=ids.WALL_STAGES, className="om-clocks")),
            panel(
                t("warn.title", lang),
                html.Div(id=ids.WALL_WARNINGS, className="om-warnings"),
                "om-warn-panel",
                extra=html.Span(id=ids.WALL_WARN_COUNT, className="om-panel-count om-warn-count"),
            ),
            panel(
                t("wall.urgent", lang),
                html.Div(id=ids.WALL_URGENT, className="om-urgent"),
                "om-grow",
                extra=html.Span(id=ids.WALL_URGENT_COUNT, className="om-panel-count"),
            ),
            html.Div(t("wall.sla_note", lang), className="om-sla-note"),
        ],
    )
    return html.Div(
        className="om-wall",
        children=[
            head,
            html.Div(id=ids.WALL_KPIS, className="om-kpis"),
            html.Div(className="om-wall-main", children=[left, the_map, right]),
        ],
    )
