"""The replay view: the wall as it stood at a moment (`/replay?at=`, `/wall?at=`), with a bar to pick and play it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs

import dash_leaflet as dl
from dash import dcc, html

from application.services import Services
from i18n import t
from layouts import ids, wall
from layouts.maps import EMPTY, _shift, tile_crs
from web import timeparams

SPEEDS = (1, 10, 30, 60)
TIMELINE_PANE = "omTimeline"  # above every live layer (assets/replay.css)


def moment_of(services: Services, search: str | None) -> float:
    """Return the moment a link asks for (?at= Unix seconds or ISO 8601), now when absent or unreadable."""
    raw = parse_qs((search or "").lstrip("?")).get("at", [""])[0]
    now = services.clock()
    try:
        return min(timeparams.moment(raw, services.settings.utc_offset_h), now) if raw else now
    except timeparams.BadTime:  # the page's own request refused it (web/timeparams.install): a changed link shows now
        return now


def layout(services: Services, lang: str, path: str, search: str | None) -> html.Div:
    """Return the wall, marked as a replay and read-only, under the replay bar set to the asked moment."""
    offset = services.settings.utc_offset_h
    at = moment_of(services, search)
    local = datetime.fromtimestamp(at, timezone(timedelta(hours=offset)))
    second = local.hour * 3600 + local.minute * 60 + local.second
    bar = html.Div(
        className="om-replay-bar",
        children=[
            html.Span(t("replay.read_only", lang), className="om-replay-tag"),
            html.Label(
                [
                    t("replay.day", lang),
                    " ",
                    dcc.Input(
                        id=ids.REPLAY_DAY,
                        type="date",  # type: ignore[arg-type]  # an HTML input type Dash's Literal leaves out
                        value=local.date().isoformat(),
                        debounce=True,
                        className="om-replay-date",
                    ),
                ]
            ),
            html.Span(local.strftime("%H:%M:%S"), id=ids.REPLAY_TIME, className="om-replay-time"),
            html.Button(t("replay.play", lang), id=ids.REPLAY_PLAY, n_clicks=0),
            dcc.RadioItems(
                id=ids.REPLAY_SPEED,
                options=[{"label": f"{s}×", "value": s} for s in SPEEDS],
                value=SPEEDS[-1],
                inline=True,
                className="om-replay-speed",
            ),
            html.Div(
                dcc.Slider(
                    id=ids.REPLAY_SLIDER,
                    min=0,
                    max=86399,
                    step=1,
                    value=second,
                    marks={h * 3600: f"{h:02d}:00" for h in range(0, 24, 3)},
                    allow_direct_input=False,
                    updatemode="mouseup",
                ),
                className="om-replay-slider",
            ),
            html.A(t("replay.link", lang), id=ids.REPLAY_LINK, href=f"{path}?at={int(at)}"),
            html.A(t("replay.live", lang), href=path if path != "/replay" else "/wall"),
            dcc.Store(id=ids.REPLAY_CFG, data={"utc_offset_h": offset, "now": services.clock(), "at": at}),
            dcc.Store(id=ids.REPLAY_AT),
            dcc.Store(id=ids.REPLAY_SNAP),
            dcc.Store(id=ids.REPLAY_SHOWN),
            dcc.Interval(id=ids.REPLAY_CLOCK, interval=1000, disabled=True),
        ],
    )
    incident = parse_qs((search or "").lstrip("?")).get("incident", [""])[0][:60]
    bar.children.append(dcc.Store(id=ids.REPLAY_INCIDENT, data=incident or None))
    steps = html.Div(
        className="om-replay-timeline" + ("" if incident else " om-hidden"),
        children=[
            html.Span(t("replay.timeline", lang, incident=incident), className="om-replay-tag"),
            html.Div(id=ids.REPLAY_TIMELINE, className="om-replay-steps"),
            html.Span(t("tl.legend", lang), className="om-tl-legend"),
        ],
    )
    page = wall.layout(services, lang, path)
    page.children = [bar, steps, *page.children] if incident else [bar, *page.children]
    if incident:
        _find(page, ids.WALL_MAP).children.append(timeline_layer(services, lang, at))
    page.className = f"{page.className} om-replaying"  # type: ignore[attr-defined]  # a prop Dash does not declare
    return page


def wanted(path: str, search: str | None) -> bool:
    """Tell whether a location asks for a replay: /replay, or the wall with ?at=."""
    return path == "/replay" or (path == "/wall" and "at" in parse_qs((search or "").lstrip("?")))


def timeline_layer(services: Services, lang: str, at: float) -> dl.Pane:
    """Return the incident timeline's own map layer (filled by callbacks/replay.py, drawn by assets/timeline.js)."""
    crs = tile_crs(services.settings)
    layer = dl.GeoJSON(
        id=ids.REPLAY_TRACK,
        data=EMPTY,
        pane=TIMELINE_PANE,
        pointToLayer={"variable": "onemap.timeline.pointToLayer"},
        style={"variable": "onemap.timeline.style"},
        onEachFeature={"variable": "onemap.timeline.bind"},
        hideout={
            "lang": lang,
            "crs": crs,
            "at": at,
            "offset": services.settings.utc_offset_h,
            "limit": services.clock(),
        },
        **_shift(crs),
    )
    return dl.Pane(layer, name=TIMELINE_PANE, className="om-pane om-pane-timeline")


def _find(component: Any, ident: str) -> Any:
    """Return the component of an id inside a layout tree (the wall's map), or None."""
    if getattr(component, "id", None) == ident:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        found = _find(child, ident)
        if found is not None:
            return found
    return None
