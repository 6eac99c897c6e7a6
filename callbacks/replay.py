"""The replay bar: the moment it points at, the entities at that moment (server, role-checked), play and pause."""
from __future__ import annotations

from typing import Any

from dash import Input, Output, State, no_update

from callbacks.common import page_actor
from callbacks.guard import Access, Target
from domain.access import authorize
from domain.model import Role
from layouts import ids
from web import views

REPLAY_ROLES = frozenset({Role.COMMANDER, Role.DUTY_LEADER, Role.ADMIN, Role.WALL})  # the district-wide views


def snapshot(services: Any, at: Any) -> Any:
    """Return the entities at a moment as the live snapshot has them; the signed-in actor is checked first."""
    authorize(page_actor(), "replay")  # domain/access decides the role; the guard checked the page
    if not isinstance(at, (int, float)) or isinstance(at, bool):
        return no_update
    moment = min(float(at), services.clock())
    state = services.replayer.at(moment)
    return {**views.snapshot(state, moment, services.settings.utc_offset_h, "all"), "replay": True}


def register(app: Any, services: Any) -> None:
    """Register the bar's callbacks: one on the server (the snapshot), the rest in the browser."""
    app.callback(
        Output(ids.REPLAY_SNAP, "data"), Input(ids.REPLAY_AT, "data"),
        access=Access(REPLAY_ROLES, lambda _at: [Target("page", "/replay")]),
    )(lambda at: snapshot(services, at))
    app.clientside_callback(
        "function (day, second, cfg) { return window.onemap.replay.at(day, second, cfg); }",
        Output(ids.REPLAY_AT, "data"), Input(ids.REPLAY_DAY, "value"), Input(ids.REPLAY_SLIDER, "value"),
        State(ids.REPLAY_CFG, "data"),
    )
    app.clientside_callback(
        "function (snap) { return window.onemap.replay.show(snap); }",
        Output(ids.REPLAY_SHOWN, "data"), Input(ids.REPLAY_SNAP, "data"),
    )
    app.clientside_callback(
        "function (clicks, i18n) { return window.onemap.replay.toggle(clicks, i18n); }",
        Output(ids.REPLAY_CLOCK, "disabled"), Output(ids.REPLAY_PLAY, "children"),
        Input(ids.REPLAY_PLAY, "n_clicks"), State(ids.I18N, "data"),
    )
    app.clientside_callback(
        "function (n, second, speed) { return window.onemap.replay.step(n, second, speed); }",
        Output(ids.REPLAY_SLIDER, "value"), Input(ids.REPLAY_CLOCK, "n_intervals"),
        State(ids.REPLAY_SLIDER, "value"), State(ids.REPLAY_SPEED, "value"),
    )
