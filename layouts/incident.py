"""The console's detail panel: the selected incident, its one-click orders, progress, duplicates and cancel."""
from __future__ import annotations

from typing import Any

from dash import dcc, html

from application.commands import Outcome
from domain.dispatch import Suggestion
from domain.model import STEPS, Stage
from i18n import name, t
from layouts import ids
from layouts.common import outcome_message, township_name

SUGGESTIONS_SHOWN = 3


def _fact(label: str, value: Any) -> html.Div:
    return html.Div([html.Dt(label), html.Dd(value)], className="om-fact")


def _eta(s: Suggestion, lang: str) -> str:
    km = t("unit.km", lang, km=f"{s.distance_m / 1000:.1f}")
    return f"{km} · {t('unit.min', lang, min=max(1, round(s.eta_s / 60)))}"


def _minutes(seconds: float) -> int:
    return max(1, round(seconds / 60))


def _fit(s: Suggestion, on_site_s: float, lang: str) -> html.Span:
    """Return the ETA against the on-site target: fits, or too far by how many minutes (rounded up)."""
    if s.fits:
        return html.Span(t("cmd.fits", lang), className="om-fit om-fit-yes")
    return html.Span(t("cmd.too_far", lang, min=_minutes(max(60.0, s.eta_s - on_site_s))), className="om-fit om-fit-no")


def _team_name(services: Any, team_id: str, lang: str) -> str:
    team = services.district.teams.get(team_id)
    return (team.name_en if lang == "en" else team.name_zh) if team else team_id


def suggestion_row(services: Any, incident_id: str, s: Suggestion, lang: str, first: bool, k: int,
                   on_site_s: float) -> html.Div:
    """Return one suggested team, its ETA against the on-site target and its issue button (the top one: Enter)."""
    where = township_name(services, s.team.township, lang)
    label = t("cmd.issue" if first else "cmd.issue_other", lang)
    extra = {"data-shortcut": "issue"} if first else {}
    button = html.Button(label, id={"type": ids.ISSUE_BTN, "incident": incident_id, "team": s.team.id, "k": k},
                         className="om-btn om-btn-primary" if first else "om-btn", n_clicks=0, **extra)
    meta = f"{where} · {name('team_kind', s.team.kind, lang)} · {_eta(s, lang)} "
    return html.Div(className="om-suggestion" + ("" if s.fits else " om-sugg-far"), **{"data-fits": "1" if s.fits else "0"},
                    children=[
        html.Div([html.Div(_team_name(services, s.team.id, lang), className="om-sugg-team"),
                  html.Div([meta, _fit(s, on_site_s, lang)], className="om-sugg-meta")]),
        button,
    ])


def _issue_section(services: Any, incident: Any, suggestions: list[Suggestion], lang: str, k: int) -> html.Div:
    on_site_s = services.settings.sla_policy.targets_for(incident.category)["on_site"]
    target = html.Small(t("cmd.on_site_target", lang, min=_minutes(on_site_s)), className="om-sugg-target")
    rows: list[Any] = [html.H3([t("cmd.suggest", lang), target])]
    if suggestions and not any(s.fits for s in suggestions):  # the domain ranks teams that fit first
        rows.append(html.P(t("cmd.none_fits", lang, min=_minutes(on_site_s)), className="om-none-fits", role="alert"))
    rows += [suggestion_row(services, incident.id, s, lang, i == 0, k, on_site_s)
             for i, s in enumerate(suggestions[:SUGGESTIONS_SHOWN])]
    if not suggestions:
        rows.append(html.P(t("cmd.no_teams", lang), className="om-hint om-hint-tight"))
    if incident.township in services.district.townships:
        town = township_name(services, incident.township, lang)
        rows.append(html.Div(className="om-suggestion om-room-choice", children=[
            html.Div([html.Div(t("town.room", lang, name=town), className="om-sugg-team"),
                      html.Div(t("cmd.issue_room_hint", lang), className="om-sugg-meta")]),
            html.Button(t("cmd.issue_room", lang), n_clicks=0, className="om-btn om-btn-room", **{"data-shortcut": "room"},
                        id={"type": ids.ISSUE_ROOM_BTN, "incident": incident.id, "township": incident.township, "k": k})]))
    return html.Div(rows, className="om-suggestions")


def _progress(services: Any, incident: Any, lang: str) -> html.Div:
    """Return who has the order and each step: done at, or the countdown of the current one."""
    order = incident.order
    who = _team_name(services, order.team_id, lang) if order.team_id else t("cmd.room_picks", lang)
    head = html.P(t("cmd.ordered_to", lang, team=who, township=township_name(services, order.township, lang)),
                  className="om-ordered")
    current = order.next_step()
    steps = []
    for step in STEPS:
        late = step in order.late or step in order.breached
        if step in order.done:
            value: Any = html.Span(**{"data-at": str(order.done[step])})  # assets/ui.js writes the time
        elif step == current and step in order.deadlines:
            value = html.Span(className="om-cd om-cd-small", **{"data-deadline": str(order.deadlines[step]),
                                                                 "data-issued": str(order.issued_at)})
        else:
            value = "—"
        cls = "om-step" + (" om-step-done" if step in order.done else "") + (" om-step-now" if step == current else "")
        steps.append(html.Li([html.Span(t(f"step.{step}", lang)), html.Span(value, className="om-step-at"),
                              html.Span(t("town.late", lang), className="om-late-tag") if late else None],
                             className=cls + (" om-step-late" if late else "")))
    parts: list[Any] = [head, html.Ol(steps, className="om-steps")]
    if incident.escalated:
        parts.append(html.P(t("cmd.escalated", lang), className="om-escalated"))
    if incident.stage is Stage.RESOLVED and incident.note:
        parts.append(html.P([html.B(t("cmd.result", lang) + "："), incident.note], className="om-result-note"))
    return html.Div(parts, className="om-progress")


def _merge_section(services: Any, incident: Any, candidates: list[Any], lang: str) -> html.Div | None:
    if not candidates:
        return None
    rows = [html.Div(className="om-dup", **{"data-dup": c.id}, children=[
        html.Div([html.Div(f"{name('source', c.source, lang)} · {c.address or c.summary}", className="om-sugg-team"),
                  html.Div([f"{c.id} · ", html.Span(**{"data-at": str(c.received_at)})], className="om-sugg-meta")]),
        html.Button(t("cmd.merge_btn", lang), id={"type": ids.MERGE_BTN, "dup": c.id, "into": incident.id},
                    className="om-btn om-btn-merge", n_clicks=0)]) for c in candidates]
    reason = dcc.Input(id={"type": ids.MERGE_REASON, "incident": incident.id}, type="text", debounce=False,
                       value=t("cmd.merge_default", lang), className="om-input", maxLength=500)
    return html.Div([html.H3([t("cmd.merge", lang), html.Span(str(len(candidates)), className="om-count-tag")]),
                     reason, *rows], className="om-merge")


def _cancel_section(incident: Any, lang: str, k: int) -> html.Details:
    return html.Details(className="om-cancel", children=[
        html.Summary(t("cmd.cancel", lang)),
        html.Div(className="om-inline-form", children=[
            dcc.Input(id={"type": ids.CANCEL_REASON, "incident": incident.id}, type="text", className="om-input",
                      placeholder=t("cmd.reason_ph", lang), maxLength=500, debounce=False),
            html.Button(t("cmd.cancel_btn", lang), id={"type": ids.CANCEL_BTN, "incident": incident.id, "k": k},
                        className="om-btn om-btn-danger", n_clicks=0)]),
    ])


def select_hint(lang: str) -> html.P:
    """Return the detail panel's text while nothing is selected."""
    return html.P(t("cmd.select", lang), className="om-hint")


def detail(services: Any, incident: Any, suggestions: list[Suggestion], lang: str,
           candidates: list[Any] | None = None) -> html.Div:
    """Return the selected incident: facts; suggested teams or the room while it awaits an order; progress after."""
    if incident is None or not incident.is_open:
        return html.P(t("cmd.gone", lang), className="om-hint")
    k = len(incident.history) + (incident.order is not None)  # orders so far: the idempotency key's counter
    tags = [html.Span(t("cmd.reopened", lang), className="om-tag om-tag-reopened")] if incident.reopened else []
    if incident.merged:
        tags.append(html.Span(t("cmd.merged_list", lang, n=len(incident.merged)), className="om-tag"))
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
    head = html.Div([html.Div([html.Span(incident.summary, className="om-detail-summary"), *tags]),
                     html.Div(incident.id, className="om-detail-id")], className="om-detail-head")
    body: list[Any] = [head, facts]
    body.append(_issue_section(services, incident, suggestions, lang, k) if incident.order is None
                else _progress(services, incident, lang))
    if incident.stage is not Stage.RESOLVED:
        body += [_merge_section(services, incident, candidates or [], lang), _cancel_section(incident, lang, k)]
    return html.Div(body, className="om-detail", **{"data-incident": incident.id, "data-stage": incident.stage.value})


def result(services: Any, outcome: Outcome, team_id: str, lang: str) -> html.Div:
    """Return the message after an order to a team: issued, already issued, or why it was refused."""
    team = services.district.teams.get(team_id)
    return outcome_message(outcome, t("cmd.issued", lang, team=_team_name(services, team_id, lang)), lang,
                   team=team_id, township=team.township if team else "")
