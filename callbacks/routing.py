"""The router: the path picks the page, its catalog and the live scope it subscribes to."""

from __future__ import annotations

from typing import Any

from dash import Input, Output

import layouts
from application.services import Services
from callbacks.common import lang_of, page_actor
from callbacks.guard import EVERYONE, Access, Guarded, Target
from layouts import ids
from layouts.common import user_label


def route(services: Services, pathname: str | None, search: str | None) -> tuple[Any, dict[str, Any], str | None]:
    """Return (page, catalog, scope) for a location, laid out for the signed-in caller."""
    return layouts.page(services, pathname, search, page_actor())


def register(app: Guarded, services: Services) -> None:
    """Register the router and the clientside start-up (catalog, socket)."""
    app.callback(
        Output(ids.PAGE, "children"),
        Output(ids.I18N, "data"),
        Output(ids.SCOPE, "data"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
        access=Access(EVERYONE, lambda pathname, _search: [Target("page", pathname or "/")]),
    )(lambda pathname, search: route(services, pathname, search))
    app.callback(
        Output(ids.USER_BOX, "children"),
        Input(ids.I18N, "data"),
        access=Access(EVERYONE),
    )(lambda i18n: user_label(page_actor(), lang_of(i18n)))  # who the server says is signed in
    app.clientside_callback(
        "function (i18n, scope) { return window.onemap.boot(i18n, scope); }",
        Output(ids.BOOT, "data"),
        Input(ids.I18N, "data"),
        Input(ids.SCOPE, "data"),
    )
