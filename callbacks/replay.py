"""The replay bar: the moment it points at, the entities at that moment (server, role-checked), play and pause."""
from __future__ import annotations

from typing import Any

from datetime import datetime, timedelta, timezone

from dash import Input, Output, State, html, no_update

from callbacks.common import lang_of, page_actor
from callbacks.guard import Access, Target
from domain.access import authorize
from domain.model import Role
from i18n import t
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


EVENT_LABELS = {"IncidentReported": "replay.ev.reported", "OrderIssued": "replay.ev.ordered", "OrderSigned": "step.sign",
                "OrderResponded": "step.respond", "OrderRouted": "step.route", "TeamOnSite": "step.on_site",
                "OrderResolved": "step.resolve", "FeedbackRecorded": "step.feedback", "IncidentClosed": "step.close",
                "OrderTransferred": "step.transfer", "IncidentReopened": "replay.ev.reopened",
                "SlaBreached": "replay.ev.breached", "DispatchBreached": "replay.ev.breached",
                "IncidentEscalated": "replay.ev.escalated", "IncidentCancelled": "stage.cancelled",
                "IncidentMerged": "stage.merged"}


def timeline(services: Any, incident_id: Any, i18n: Any) -> Any:
    """Return an incident's steps as links to their moments: when each was done and which team it went to."""
    if not isinstance(incident_id, str) or not incident_id:
        return no_update
    authorize(page_actor(), "replay")
    lang, tz = lang_of(i18n), timezone(timedelta(hours=services.settings.utc_offset_h))
    rows = []
    for _seq, event in services.store.log.stream(incident_id):
        team = services.district.teams.get(getattr(event, "team_id", "") or "")
        what = t(EVENT_LABELS.get(type(event).__name__, type(event).__name__), lang)
        step = getattr(event, "step", "")
        what += f" · {t(f'step.{step}', lang)}" if step else ""
        what += f" → {team.name_en if lang == 'en' else team.name_zh}" if team else ""
        when = datetime.fromtimestamp(event.at, tz).strftime("%H:%M:%S")
        rows.append(html.A([html.B(when), " ", what], href=f"/replay?at={event.at!r}&incident={incident_id}",
                           className="om-replay-step", **{"data-moment": str(event.at)}))
    return rows or t("report.none", lang)


def register(app: Any, services: Any) -> None:
    """Register the bar's callbacks: one on the server (the snapshot), the rest in the browser."""
    app.callback(
        Output(ids.REPLAY_SNAP, "data"), Input(ids.REPLAY_AT, "data"),
        access=Access(REPLAY_ROLES, lambda _at: [Target("page", "/replay")]),
    )(lambda at: snapshot(services, at))
    app.callback(
        Output(ids.REPLAY_TIMELINE, "children"), Input(ids.REPLAY_INCIDENT, "data"), State(ids.I18N, "data"),
        access=Access(REPLAY_ROLES, lambda iid, _i18n: [Target("incident", iid if isinstance(iid, str) else "")]),
    )(lambda iid, i18n: timeline(services, iid, i18n))
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
