"""The commander console's server side: the selected incident's details, and issuing an order."""
from __future__ import annotations

from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, no_update

from callbacks.common import clicked, lang_of, page_actor, remote
from layouts import command as view
from layouts import ids


def order_command_id(incident_id: str, earlier_orders: int = 0) -> str:
    """Return the idempotency key of an order: a double click never issues twice."""
    return f"{incident_id}.order.{earlier_orders}"


def show_detail(services: Any, incident_id: str | None, lang: str) -> Any:
    """Return the detail panel of an incident: facts, and suggested teams while it awaits an order."""
    if not incident_id:
        return no_update
    with services.store.lock:
        incident = services.store.state.incidents.get(incident_id)
    waiting = incident is not None and incident.order is None
    suggestions = services.commands.suggest(incident_id) if waiting else []
    return view.detail(services, incident, suggestions, lang)


def issue(services: Any, button: dict[str, Any] | None, pathname: str, lang: str, done: int) -> tuple[Any, Any]:
    """Issue the order a button stands for; return (message, bumped counter)."""
    if button is None:
        return no_update, no_update
    actor = page_actor(pathname)  # the server decides who may order, never the browser
    incident_id, team_id = button["incident"], button["team"]
    outcome = services.commands.issue_order(actor, incident_id, team_id, order_command_id(incident_id), remote())
    return view.result(services, outcome, team_id, lang), (done or 0) + 1


def register(app: Dash, services: Any) -> None:
    """Register the console's server callbacks."""
    app.callback(
        Output(ids.CMD_DETAIL, "children"),
        Input(ids.CMD_SELECTED, "data"), Input(ids.CMD_DONE, "data"), State(ids.I18N, "data"),
    )(lambda selected, _done, i18n: show_detail(services, selected, lang_of(i18n)))
    app.callback(
        Output(ids.CMD_RESULT, "children"), Output(ids.CMD_DONE, "data"),
        Input({"type": ids.ISSUE_BTN, "incident": ALL, "team": ALL}, "n_clicks"),
        State(ids.URL, "pathname"), State(ids.I18N, "data"), State(ids.CMD_DONE, "data"),
        prevent_initial_call=True,
    )(lambda _clicks, pathname, i18n, done: issue(
        services, clicked(ctx.triggered), pathname, lang_of(i18n), done))
