"""The commander console: the queue awaiting an order, the selected incident, one-click orders."""
from __future__ import annotations

from typing import Any

from dash import dcc, html

from commands import Outcome
from domain.dispatch import Suggestion
from i18n import error, name, t
from layouts import ids
from layouts.common import district_name, panel, title_bar, township_name
from layouts.maps import district_map

SUGGESTIONS_SHOWN = 3


def layout(services: Any, lang: str, path: str) -> html.Div:
    """Return the console page; the queue is rendered clientside, the detail panel by the server."""
    head = title_bar(t("nav.command", lang), f"{district_name(services, lang)} · {t('app.title', lang)}", lang, path)
    queue = panel(t("cmd.queue", lang), html.Div(id=ids.CMD_QUEUE, className="om-queue"), "om-grow",
                  extra=html.Span(id=ids.CMD_QUEUE_COUNT, className="om-panel-count"))
    detail = panel(t("cmd.detail", lang), [
        html.Div(id=ids.CMD_RESULT, className="om-result", role="status"),
        html.Div(html.P(t("cmd.select", lang), className="om-hint"), id=ids.CMD_DETAIL),
    ], "om-grow")
    the_map = panel(t("cmd.map", lang), district_map(
        services, ids.CMD_MAP, f"{ids.CMD_MAP}-boundaries", [ids.CMD_INCIDENTS], lang, interactive=True), "om-grow")
    return html.Div(className="om-console", children=[
        head, dcc.Store(id=ids.CMD_SELECTED), dcc.Store(id=ids.CMD_DONE, data=0),
        html.Div(className="om-console-main", children=[
            html.Div(queue, className="om-col om-col-queue"),
            html.Div(detail, className="om-col om-col-detail"),
            html.Div(the_map, className="om-col om-col-map"),
        ]),
    ])


def _fact(label: str, value: Any) -> html.Div:
    return html.Div([html.Dt(label), html.Dd(value)], className="om-fact")


def _eta(s: Suggestion, lang: str) -> str:
    km = t("unit.km", lang, km=f"{s.distance_m / 1000:.1f}")
    return f"{km} · {t('unit.min', lang, min=max(1, round(s.eta_s / 60)))}"


def suggestion_row(services: Any, incident_id: str, s: Suggestion, lang: str, first: bool) -> html.Div:
    """Return one suggested team with its issue button (the top one is the one-click order)."""
    team = s.team.name_en if lang == "en" else s.team.name_zh
    where = township_name(services, s.team.township, lang)
    label = t("cmd.issue" if first else "cmd.issue_other", lang)
    button = html.Button(label, id={"type": ids.ISSUE_BTN, "incident": incident_id, "team": s.team.id},
                         className="om-btn om-btn-primary" if first else "om-btn", n_clicks=0)
    return html.Div(className="om-suggestion", children=[
        html.Div([html.Div(team, className="om-sugg-team"),
                  html.Div(f"{where} · {name('team_kind', s.team.kind, lang)} · {_eta(s, lang)}", className="om-sugg-meta")]),
        button,
    ])


def detail(services: Any, incident: Any, suggestions: list[Suggestion], lang: str) -> html.Div:
    """Return the selected incident's facts and its suggested teams (or who it was ordered to)."""
    if incident is None:
        return html.P(t("cmd.gone", lang), className="om-hint")
    facts = html.Dl(className="om-facts", children=[
        _fact(t("col.category", lang), name("category", incident.category, lang)),
        _fact(t("col.source", lang), name("source", incident.source, lang)),
        _fact(t("col.priority", lang), t(f"priority.{incident.priority}", lang)),
        _fact(t("col.township", lang), township_name(services, incident.township, lang)),
        _fact(t("col.address", lang), incident.address or "—"),
    ])
    if incident.order is None:  # the wait counts only until the order is issued
        facts.children.append(_fact(t("cmd.waited", lang),
                                    html.Span(className="om-since", **{"data-since": str(incident.received_at)})))
    head = html.Div([html.Div(incident.summary, className="om-detail-summary"),
                     html.Div(incident.id, className="om-detail-id")], className="om-detail-head")
    if incident.order is not None:
        team = services.district.teams.get(incident.order.team_id)
        who = (team.name_en if lang == "en" else team.name_zh) if team else incident.order.team_id
        tail: Any = html.P(t("cmd.ordered_to", lang, team=who, township=township_name(
            services, incident.order.township, lang)), className="om-ordered")
    elif not suggestions:
        tail = html.P(t("cmd.no_teams", lang), className="om-hint")
    else:
        tail = html.Div([html.H3(t("cmd.suggest", lang))] + [
            suggestion_row(services, incident.id, s, lang, i == 0)
            for i, s in enumerate(suggestions[:SUGGESTIONS_SHOWN])], className="om-suggestions")
    return html.Div([head, facts, tail], className="om-detail", **{"data-incident": incident.id})


def result(services: Any, outcome: Outcome, team_id: str, lang: str) -> html.Div:
    """Return the message after an order: issued, already issued, or why it was refused."""
    team = services.district.teams.get(team_id)
    if outcome.status == "rejected":
        return html.Div(error(outcome.code, lang, **outcome.params), className="om-msg om-msg-error")
    who = (team.name_en if lang == "en" else team.name_zh) if team else team_id
    text = t("cmd.issued" if outcome.status == "done" else "cmd.duplicate", lang, team=who)
    return html.Div(text, className="om-msg om-msg-ok",
                    **{"data-team": team_id, "data-township": team.township if team else ""})
