"""The replay bar: the moment it points at, the entities at that moment (server, role-checked), play and pause."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, no_update

from application.services import Services
from callbacks.common import lang_of, page_actor
from callbacks.guard import Access, Guarded, Target
from domain.access import authorize, authorize_incident
from domain.model import Role
from i18n import t
from layouts import ids
from layouts.maps import EMPTY
from layouts.timeline import features, step_list
from web import timeparams, views

REPLAY_ROLES = frozenset({Role.COMMANDER, Role.DUTY_LEADER, Role.ADMIN, Role.WALL})  # the district-wide views


def snapshot(services: Services, at: Any) -> Any:
    """Return the entities at a moment as the live snapshot has them; the signed-in actor is checked first."""
    authorize(page_actor(), "replay")  # domain/access decides the role; the guard checked the page
    if not isinstance(at, (int, float)) or isinstance(at, bool):
        return no_update
    try:
        moment = min(timeparams.seconds(float(at)), services.clock())
    except timeparams.BadTime:  # the bar sends moments it drew; anything else is not one
        return no_update
    state = services.replayer.at(moment)
    return {**views.snapshot(state, moment, services.settings.utc_offset_h, "all"), "replay": True}


def timeline(services: Services, incident_id: Any, i18n: Any) -> Any:
    """Return the incident's own timeline as of now: its steps as links to their moments, and its map layer."""
    if not isinstance(incident_id, str) or not incident_id:
        return no_update, no_update
    # The guard checked the scope too: a township sees only an incident of its own.
    authorize_incident(page_actor(), "replay", services.store.read(lambda state: state.incidents.get(incident_id)))
    lang = lang_of(i18n)
    data = services.replayer.timeline(incident_id, services.clock(), services.settings.utc_offset_h)
    if data is None:
        return t("tl.not_found", lang), EMPTY
    return step_list(data, services.district, lang), features(data, services.district, lang)


def register(app: Guarded, services: Services) -> None:
    """Register the bar's callbacks: one on the server (the snapshot), the rest in the browser."""
    app.callback(
        Output(ids.REPLAY_SNAP, "data"),
        Input(ids.REPLAY_AT, "data"),
        access=Access(REPLAY_ROLES, lambda _at: [Target("page", "/replay")]),
    )(lambda at: snapshot(services, at))
    app.callback(
        Output(ids.REPLAY_TIMELINE, "children"),
        Output(ids.REPLAY_TRACK, "data"),
        Input(ids.REPLAY_INCIDENT, "data"),
        State(ids.I18N, "data"),
        access=Access(
            REPLAY_ROLES | {Role.TOWNSHIP},  # a township: only an incident of its own (the guard's scope)
            lambda iid, _i18n: [Target("incident", iid if isinstance(iid, str) else "")],
        ),
    )(lambda iid, i18n: timeline(services, iid, i18n))
    app.clientside_callback(
        "function (at, data, hideout) { return window.onemap.timeline.moment(at, data, hideout); }",
        Output(ids.REPLAY_TRACK, "hideout"),
        Input(ids.REPLAY_AT, "data"),
        Input(ids.REPLAY_TRACK, "data"),
        State(ids.REPLAY_TRACK, "hideout"),
    )
    app.clientside_callback(
        "function (day, second, cfg) { return window.onemap.replay.at(day, second, cfg); }",
        Output(ids.REPLAY_AT, "data"),
        Input(ids.REPLAY_DAY, "value"),
        Input(ids.REPLAY_SLIDER, "value"),
        State(ids.REPLAY_CFG, "data"),
    )
    app.clientside_callback(
        "function (snap) { return window.onemap.replay.show(snap); }",
        Output(ids.REPLAY_SHOWN, "data"),
        Input(ids.REPLAY_SNAP, "data"),
    )
    app.clientside_callback(
        "function (clicks, i18n) { return window.onemap.replay.toggle(clicks, i18n); }",
        Output(ids.REPLAY_CLOCK, "disabled"),
        Output(ids.REPLAY_PLAY, "children"),
        Input(ids.REPLAY_PLAY, "n_clicks"),
        State(ids.I18N, "data"),
    )
    app.clientside_callback(
        "function (n, second, speed) { return window.onemap.replay.step(n, second, speed); }",
        Output(ids.REPLAY_SLIDER, "value"),
        Input(ids.REPLAY_CLOCK, "n_intervals"),
        State(ids.REPLAY_SLIDER, "value"),
        State(ids.REPLAY_SPEED, "value"),
    )
