"""A township command room: district broadcasts, its orders with one button for each next step, its map, its teams."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from application.commands import Outcome
from application.services import Services
from domain.model import OUTCOMES
from i18n import t
from layouts import ids
from layouts.common import (
    attrs,
    dialog,
    district_name,
    lang_link,
    operator_tools,
    outcome_message,
    panel,
    title_bar,
    township_name,
    with_lang,
)
from layouts.maps import layer_ids, layered_map
from layouts.wall import legend

MAP_IDS = layer_ids(ids.ROOM_MAP)


def unknown(township_id: str, lang: str, default_lang: str) -> html.Div:
    """Return the page for a township id the district does not have."""
    return html.Div(
        className="om-page om-message-page",
        children=[
            html.H1(t("town.unknown", lang, id=township_id)),
            html.P(t("town.unknown_hint", lang)),
            html.A(t("nav.home", lang), href=with_lang("/", lang, default_lang), className="om-btn"),
            lang_link(f"/township/{township_id}", lang),
        ],
    )


def layout(services: Services, township_id: str, lang: str, path: str) -> html.Div:
    """Return the room of one township; rows and buttons are rendered clientside from the live state."""
    if township_id not in services.district.townships:
        return unknown(township_id, lang, services.settings.lang)
    title = t("town.room", lang, name=township_name(services, township_id, lang))
    assessed = html.A(
        t("assess.open", lang), href=with_lang("/assessment", lang, services.settings.lang), className="om-lang"
    )
    head = title_bar(
        title,
        f"{district_name(services, lang)} · {t('app.title', lang)}",
        lang,
        path,
        extra=[assessed, *operator_tools()],
    )
    orders = panel(
        t("town.orders", lang),
        [
            html.Div(id=ids.TOWN_BANNER, className="om-banner-host", role="alert"),
            html.Div(id=ids.TOWN_RESULT, className="om-result", role="status"),
            html.Div(id=ids.TOWN_ORDERS, className="om-orders"),
        ],
        "om-grow",
        extra=html.Span(id=ids.TOWN_COUNT, className="om-panel-count"),
    )
    broadcasts = html.Div(id=ids.TOWN_BROADCASTS, className="om-town-broadcasts")
    side = html.Div(
        className="om-col om-col-side",
        children=[
            panel(t("town.today", lang), html.Div(id=ids.TOWN_KPI, className="om-town-kpi")),
            panel(t("town.teams", lang), html.Div(id=ids.TOWN_TEAMS, className="om-teams"), "om-grow"),
        ],
    )
    return html.Div(
        className="om-room",
        **attrs({"data-township": township_id}),
        children=[
            head,
            html.Div(
                className="om-room-main",
                children=[
                    html.Div([broadcasts, orders], className="om-col om-col-orders"),
                    room_map(services, township_id, lang),
                    side,
                ],
            ),
            dialog(ids.TOWN_DIALOG, html.Div(id=ids.TOWN_DIALOG_BODY), "om-step-dialog"),
            dcc.Store(id=ids.ROOM_ATTENTION),
            dcc.Store(id=ids.TOWN_STEP),
            dcc.Store(id=ids.TOWN_SIGN),  # the rows' clicks (assets/keyed.js)
        ],
    )


def room_map(services: Services, township_id: str, lang: str) -> html.Div:
    """Return the room's map column: the wall's layers fitted to this township, with the wall's SLA legend."""
    symbols, _shading = legend(lang)  # a room's map has no township shading, so no shading legend
    the_map = layered_map(services, MAP_IDS, lang, interactive=True, township=township_id)
    body = html.Div(className="om-map-body", children=[the_map, symbols, html.Div(id=MAP_IDS.legend, hidden=True)])
    return html.Div(
        panel(t("town.map", lang), body, "om-grow om-room-map"), className="om-col om-col-map om-col-room-map"
    )


def _radio(radio_id: str, options: list[tuple[str, str]], value: str | None, extra: str = "") -> dcc.RadioItems:
    return dcc.RadioItems(
        id=radio_id,
        value=value,
        inline=True,
        className=f"om-chips {extra}".strip(),
        options=[{"label": label, "value": v} for v, label in options],
    )


def _actions(confirm_id: str, lang: str) -> html.Div:
    return html.Div(
        className="om-dialog-actions",
        children=[
            html.Button(
                t("town.cancel", lang), className="om-btn", n_clicks=0, **attrs({"data-close-dialog": ids.TOWN_DIALOG})
            ),
            html.Button(t("town.confirm", lang), id=confirm_id, className="om-btn om-btn-primary", n_clicks=0),
        ],
    )


def route_form(services: Services, incident: Any, free_teams: list[Any], lang: str) -> list[Any]:
    """Return the route dialog: one of the room's free teams (required without a team yet), or a transfer."""
    order = incident.order
    own = services.district.teams.get(order.team_id) if order.team_id else None
    teams = [(own.id, t("town.keep_team", lang, team=own.name_en if lang == "en" else own.name_zh))] if own else []
    teams += [(x.id, x.name_en if lang == "en" else x.name_zh) for x in free_teams if not own or x.id != own.id]
    others = [(x, township_name(services, x, lang)) for x in sorted(services.district.townships) if x != order.township]
    team_part = (
        _radio(ids.TOWN_TEAM_PICK, teams, teams[0][0], "om-team-chips")
        if teams
        else html.Div(
            [
                html.P(t("town.no_free_team", lang), className="om-hint om-hint-tight"),
                _radio(ids.TOWN_TEAM_PICK, [], None),
            ]
        )
    )
    return [
        html.H2(t("town.route_title", lang, summary=incident.summary), className="om-dialog-title"),
        dcc.Store(id=ids.TOWN_ACTION, data={"incident": incident.id, "step": "route"}),
        _radio(
            ids.TOWN_MODE,
            [("team", t("town.mode_team", lang)), ("transfer", t("town.mode_transfer", lang))],
            "team" if teams else "transfer",
            "om-mode",
        ),
        html.Div(
            className="om-mode-team",
            children=[html.Label(t("town.pick_team", lang), className="om-field-label"), team_part],
        ),
        html.Div(
            className="om-mode-transfer",
            children=[
                _radio(
                    ids.TOWN_TRANSFER_TO,
                    [
                        ("township", t("town.transfer_township", lang)),
                        ("department", t("town.transfer_department", lang)),
                    ],
                    "township",
                    "om-target",
                ),
                html.Div(_radio(ids.TOWN_TRANSFER_TOWN, others, None, "om-town-chips"), className="om-target-township"),
                html.Div(
                    dcc.Input(
                        id=ids.TOWN_TRANSFER_DEPT,
                        type="text",
                        className="om-input",
                        maxLength=100,
                        placeholder=t("town.department_ph", lang),
                    ),
                    className="om-target-department",
                ),
                dcc.Input(
                    id=ids.TOWN_REASON,
                    type="text",
                    className="om-input",
                    maxLength=500,
                    placeholder=t("town.reason_ph", lang),
                ),
            ],
        ),
        html.Div(id=ids.TOWN_DIALOG_MSG, className="om-result"),
        _actions(ids.TOWN_CONFIRM_ROUTE, lang),
    ]


def resolve_form(incident: Any, lang: str) -> list[Any]:
    """Return the resolve dialog: how it ended (settled on the spot by default) and the result note, required."""
    return [
        html.H2(t("town.resolve_title", lang, summary=incident.summary), className="om-dialog-title"),
        dcc.Store(id=ids.TOWN_ACTION, data={"incident": incident.id, "step": "resolve"}),
        html.Label(t("town.outcome", lang), className="om-field-label"),
        _radio(ids.TOWN_OUTCOME, [(o, t(f"outcome.{o}", lang)) for o in OUTCOMES], OUTCOMES[0]),
        html.Label(t("town.note", lang), className="om-field-label"),
        dcc.Textarea(
            id=ids.TOWN_NOTE,
            className="om-input om-textarea",
            maxLength=500,
            autoFocus=True,  # type: ignore[arg-type]  # React's own prop is a boolean; Dash types a string
            placeholder=t("town.note_ph", lang),
        ),
        html.Div(id=ids.TOWN_DIALOG_MSG, className="om-result"),
        _actions(ids.TOWN_CONFIRM_RESOLVE, lang),
    ]


def result(outcome: Outcome, step: str, lang: str, text: str = "") -> html.Div:
    """Return the message after a step: done, already done, or why it was refused."""
    done = text or t("town.step_done", lang, step=t(f"step.{step}", lang))
    return outcome_message(outcome, done, lang, duplicate_key="town.duplicate")
