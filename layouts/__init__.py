"""The page shell (location, live summary, catalog) and the router that picks a page by path."""

from __future__ import annotations

import re
from typing import Any

from dash import dcc, html

from application.services import Services
from domain.model import Actor
from layouts import analytics, assessment, command, ids, index, replay, situation, township, wall
from layouts.common import browser_catalog, lang_for

TICK_MS = 5000  # SLA states turn with time; re-derive them even when no delta arrives
TOWNSHIP = re.compile(r"^/township/(?P<id>[^/]{1,60})/?$")


def root(services: Services) -> html.Div:
    """Return the shell every page lives in; the page itself is chosen by the router callback."""
    lang = services.settings.lang
    return html.Div(
        className="om-root",
        children=[
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.LIVE, data={"seq": -1, "version": 0, "connected": False}),
            dcc.Store(id=ids.I18N, data=browser_catalog(services, lang)),
            dcc.Store(id=ids.SCOPE),
            dcc.Store(id=ids.BOOT),
            dcc.Interval(id=ids.TICK, interval=TICK_MS),
            html.Div(id=ids.PAGE, className="om-page-host"),
        ],
    )


def page(
    services: Services, pathname: str | None, search: str | None, actor: Actor
) -> tuple[Any, dict[str, Any], str | None]:
    """Return (page, browser catalog, live scope) for a path and the signed-in caller; scope None: no live data."""
    path = (pathname or "/").rstrip("/") or "/"
    lang = lang_for(search, services.settings.lang)
    cat = browser_catalog(services, lang)
    if path == "/":
        return index.layout(services, lang, path), cat, None
    if replay.wanted(path, search):  # no socket: the replay bar feeds the page its moments
        return replay.layout(services, lang, path, search), cat, "replay"
    if path == "/wall":
        return wall.layout(services, lang, path), cat, "all"
    if path == analytics.PATH:
        return analytics.layout(services, lang, path), cat, "all"
    if path == "/wall/situation":
        return situation.layout(services, lang, path), cat, "all"
    if path == "/command":
        return command.layout(services, lang, path), cat, "all"
    if path == assessment.PATH:  # a period's figures, read when asked: no socket
        return assessment.layout(services, lang, path, search, actor), cat, None
    match = TOWNSHIP.match(path)
    if match:
        tid = match["id"]
        known = tid in services.district.townships
        return township.layout(services, tid, lang, path), cat, tid if known else None
    return index.not_found(path, lang, services.settings.lang), cat, None
