"""The township room's server side: every step button goes to Commands.advance as the room's actor."""
from __future__ import annotations

from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, no_update

from callbacks.common import clicked, lang_of, page_actor, remote
from layouts import ids
from layouts import township as view


def step_command_id(order_id: str, step: str) -> str:
    """Return the idempotency key of a step: a double click never takes it twice."""
    return f"{order_id}.{step}"


def advance(services: Any, button: dict[str, Any] | None, pathname: str, lang: str) -> Any:
    """Take the step a button stands for; return the message to show."""
    if button is None:
        return no_update
    incident_id, step = button["incident"], button["step"]
    with services.store.lock:
        incident = services.store.state.incidents.get(incident_id)
        order_id = incident.order.id if incident is not None and incident.order is not None else ""
    # Without an order there is no stable key; Commands rejects the step anyway (no_active_order).
    command_id = step_command_id(order_id, step) if order_id else ""
    outcome = services.commands.advance(page_actor(pathname), incident_id, step, command_id, remote=remote())
    return view.result(outcome, step, lang)


def register(app: Dash, services: Any) -> None:
    """Register the township room's server callback."""
    app.callback(
        Output(ids.TOWN_RESULT, "children"),
        Input({"type": ids.STEP_BTN, "incident": ALL, "step": ALL}, "n_clicks"),
        State(ids.URL, "pathname"), State(ids.I18N, "data"),
        prevent_initial_call=True,
    )(lambda _clicks, pathname, i18n: advance(services, clicked(ctx.triggered), pathname,
                                              lang_of(i18n)))
