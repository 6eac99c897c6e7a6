"""The console's suggested teams: each with its ETA against the on-site target, the top one a one-click order."""

from __future__ import annotations

import math
from typing import Any

from dash import html

from application.services import Services
from domain.dispatch import Suggestion
from i18n import name, t
from layouts import ids
from layouts.common import attrs, township_name

SUGGESTIONS_SHOWN = 3


def _eta(s: Suggestion, lang: str) -> str:
    km = t("unit.km", lang, km=f"{s.distance_m / 1000:.1f}")
    return f"{km} · {t('unit.min', lang, min=max(1, round(s.eta_s / 60)))}"


def _minutes(seconds: float) -> int:
    return max(1, round(seconds / 60))


def _fit(s: Suggestion, on_site_s: float, lang: str) -> html.Span:
    """Return the ETA against the on-site target: fits, or too far by how many minutes (rounded up)."""
    if s.fits:
        return html.Span(t("cmd.fits", lang), className="om-fit om-fit-yes")
    over = max(1, math.ceil((s.eta_s - on_site_s) / 60))  # 10 s too far is still "1 minute" too far
    return html.Span(t("cmd.too_far", lang, min=over), className="om-fit om-fit-no")


def team_name(services: Services, team_id: str, lang: str) -> str:
    team = services.district.teams.get(team_id)
    return (team.name_en if lang == "en" else team.name_zh) if team else team_id


def suggestion_row(
    services: Services, incident_id: str, s: Suggestion, lang: str, first: bool, k: int, on_site_s: float
) -> html.Div:
    """Return one suggested team, its ETA against the on-site target and its issue button (the top one: Enter)."""
    where = township_name(services, s.team.township, lang)
    label = t("cmd.issue" if first else "cmd.issue_other", lang)
    extra = attrs({"data-shortcut": "issue"} if first else {})
    button = html.Button(
        label,
        id={"type": ids.ISSUE_BTN, "incident": incident_id, "team": s.team.id, "k": k},
        className="om-btn om-btn-primary" if first else "om-btn",
        n_clicks=0,
        **extra,
    )
    meta = f"{where} · {name('team_kind', s.team.kind, lang)} · {_eta(s, lang)} "
    return html.Div(
        className="om-suggestion" + ("" if s.fits else " om-sugg-far"),
        **attrs({"data-fits": "1" if s.fits else "0"}),
        children=[
            html.Div(
                [
                    html.Div(team_name(services, s.team.id, lang), className="om-sugg-team"),
                    html.Div([meta, _fit(s, on_site_s, lang)], className="om-sugg-meta"),
                ]
            ),
            button,
        ],
    )


def issue_section(services: Services, incident: Any, suggestions: list[Suggestion], lang: str, k: int) -> html.Div:
    on_site_s = services.settings.sla_policy.targets_for(incident.category)["on_site"]
    target = html.Small(t("cmd.on_site_target", lang, min=_minutes(on_site_s)), className="om-sugg-target")
    rows: list[Any] = [html.H3([t("cmd.suggest", lang), target])]
    if suggestions and not any(s.fits for s in suggestions):  # the domain ranks teams that fit first
        rows.append(html.P(t("cmd.none_fits", lang, min=_minutes(on_site_s)), className="om-none-fits", role="alert"))
    rows += [
        suggestion_row(services, incident.id, s, lang, i == 0, k, on_site_s)
        for i, s in enumerate(suggestions[:SUGGESTIONS_SHOWN])
    ]
    if not suggestions:
        rows.append(html.P(t("cmd.no_teams", lang), className="om-hint om-hint-tight"))
    if incident.township in services.district.townships:
        town = township_name(services, incident.township, lang)
        rows.append(
            html.Div(
                className="om-suggestion om-room-choice",
                children=[
                    html.Div(
                        [
                            html.Div(t("town.room", lang, name=town), className="om-sugg-team"),
                            html.Div(t("cmd.issue_room_hint", lang), className="om-sugg-meta"),
                        ]
                    ),
                    html.Button(
                        t("cmd.issue_room", lang),
                        n_clicks=0,
                        className="om-btn om-btn-room",
                        **attrs({"data-shortcut": "room"}),
                        id={"type": ids.ISSUE_ROOM_BTN, "incident": incident.id, "township": incident.township, "k": k},
                    ),
                ],
            )
        )
    return html.Div(rows, className="om-suggestions")
