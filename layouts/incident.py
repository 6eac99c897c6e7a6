"""The console's detail panel: the selected incident, its one-click orders, progress, duplicates and cancel."""

from __future__ import annotations

import math
from typing import Any

from dash import dcc, html

from application.commands import Outcome
from application.services import Services
from domain.dispatch import Suggestion
from domain.model import STEPS, Stage
from domain.sla import stage_lateness, warning_at
from i18n import name, t
from layouts import ids, suggest
from layouts.common import attrs, outcome_message, township_name
from layouts.timeline import evidence, proof_text


def _fact(label: str, value: Any) -> html.Div:
    return html.Div([html.Dt(label), html.Dd(value)], className="om-fact")


def _late_tag(step: str, lateness: dict[str, float], order: Any, lang: str) -> html.Span:
    """Return a step's late tag: by how much once done (still undone, its countdown shows the overdue)."""
    by = lateness.get(step) if step in order.done else None
    text = t("late.step", lang, step=t(f"step.{step}", lang))
    if by is not None:
        m, sec = divmod(math.ceil(by), 60)
        text += f" +{m:02d}:{sec:02d}"
    return html.Span(text, className="om-late-tag", **attrs({"data-late": step}))


def _progress(services: Services, incident: Any, lang: str) -> html.Div:
    """Return who has the order and each step: done at, or the countdown of the current one."""
    order = incident.order
    who = suggest.team_name(services, order.team_id, lang) if order.team_id else t("cmd.room_picks", lang)
    head = html.P(
        t("cmd.ordered_to", lang, team=who, township=township_name(services, order.township, lang)),
        className="om-ordered",
    )
    current = order.next_step()
    lateness = stage_lateness(order, services.clock())
    steps = []
    for step in STEPS:
        late = step in lateness or step in order.late or step in order.breached
        if step in order.done:
            value: Any = html.Span(**attrs({"data-at": str(order.done[step])}))  # assets/ui.js writes the time
        elif step == current and step in order.deadlines:
            due = order.deadlines[step]
            value = html.Span(
                className="om-cd om-cd-small",
                **attrs({"data-deadline": str(due), "data-warn": str(warning_at(order.issued_at, due))}),
            )
        else:
            value = "—"
        cls = "om-step" + (" om-step-done" if step in order.done else "") + (" om-step-now" if step == current else "")
        steps.append(
            html.Li(
                [
                    html.Span(t(f"step.{step}", lang)),
                    html.Span(value, className="om-step-at"),
                    _late_tag(step, lateness, order, lang) if late else None,
                    html.Span(
                        proof_text(order.proof, order.proof_m, lang), className=f"om-proof om-proof-{order.proof}"
                    )
                    if step == "on_site" and order.proof
                    else None,
                ],
                className=cls + (" om-step-late" if late else ""),
            )
        )
    parts: list[Any] = [head, html.Ol(steps, className="om-steps")]
    photos = [p["id"] for p in services.evidence.for_incident(incident.id)]  # the teams' photos of its work
    if photos:
        parts.append(html.Div([html.Small(t("team.photos", lang)), evidence(photos, lang)], className="om-photos"))
    if incident.escalated:
        parts.append(html.P(t("cmd.escalated", lang), className="om-escalated"))
    if incident.stage is Stage.RESOLVED and incident.note:
        parts.append(html.P([html.B(t("cmd.result", lang) + "："), incident.note], className="om-result-note"))
    return html.Div(parts, className="om-progress")


def _merge_section(services: Services, incident: Any, candidates: list[Any], lang: str) -> html.Div | None:
    if not candidates:
        return None
    rows = [
        html.Div(
            className="om-dup",
            **attrs({"data-dup": c.id}),
            children=[
                html.Div(
                    [
                        html.Div(
                            f"{name('source', c.source, lang)} · {c.address or c.summary}", className="om-sugg-team"
                        ),
                        html.Div(
                            [f"{c.id} · ", html.Span(**attrs({"data-at": str(c.received_at)}))],
                            className="om-sugg-meta",
                        ),
                    ]
                ),
                html.Button(
                    t("cmd.merge_btn", lang),
                    id={"type": ids.MERGE_BTN, "dup": c.id, "into": incident.id},
                    className="om-btn om-btn-merge",
                    n_clicks=0,
                ),
            ],
        )
        for c in candidates
    ]
    reason = dcc.Input(
        id={"type": ids.MERGE_REASON, "incident": incident.id},
        type="text",
        debounce=False,
        value=t("cmd.merge_default", lang),
        className="om-input",
        maxLength=500,
    )
    return html.Div(
        [html.H3([t("cmd.merge", lang), html.Span(str(len(candidates)), className="om-count-tag")]), reason, *rows],
        className="om-merge",
    )


def _cancel_section(incident: Any, lang: str, k: int) -> html.Details:
    return html.Details(
        className="om-cancel",
        children=[
            html.Summary(t("cmd.cancel", lang)),
            html.Div(
                className="om-inline-form",
                children=[
                    dcc.Input(
                        id={"type": ids.CANCEL_REASON, "incident": incident.id},
                        type="text",
                        className="om-input",
                        placeholder=t("cmd.reason_ph", lang),
                        maxLength=500,
                        debounce=False,
                    ),
                    html.Button(
                        t("cmd.cancel_btn", lang),
                        id={"type": ids.CANCEL_BTN, "incident": incident.id, "k": k},
                        className="om-btn om-btn-danger",
                        n_clicks=0,
                    ),
                ],
            ),
        ],
    )


def select_hint(lang: str) -> html.P:
    """Return the detail panel's text while nothing is selected."""
    return html.P(t("cmd.select", lang), className="om-hint")


def detail(
    services: Services, incident: Any, suggestions: list[Suggestion], lang: str, candidates: list[Any] | None = None
) -> html.Div | html.P:
    """Return the selected incident: facts; suggested teams or the room while it awaits an order; progress after."""
    if incident is None or not incident.is_open:
        return html.P(t("cmd.gone", lang), className="om-hint")
    k = len(incident.history) + (incident.order is not None)  # orders so far: the idempotency key's counter
    tags = [html.Span(t("cmd.reopened", lang), className="om-tag om-tag-reopened")] if incident.reopened else []
    if incident.merged:
        tags.append(html.Span(t("cmd.merged_list", lang, n=len(incident.merged)), className="om-tag"))
    facts = html.Dl(
        className="om-facts",
        children=[
            _fact(t("col.category", lang), name("category", incident.category, lang)),
            _fact(t("col.source", lang), name("source", incident.source, lang)),
            _fact(t("col.priority", lang), t(f"priority.{incident.priority}", lang)),
            _fact(t("col.township", lang), township_name(services, incident.township, lang)),
            _fact(t("col.address", lang), incident.address or "—"),
        ],
    )
    if incident.order is None:  # the wait counts only until the order is issued
        since = html.Span(className="om-since", **attrs({"data-since": str(incident.received_at)}))
        facts.children.append(_fact(t("cmd.waited", lang), since))
    head = html.Div(
        [
            html.Div([html.Span(incident.summary, className="om-detail-summary"), *tags]),
            html.Div(incident.id, className="om-detail-id"),
        ],
        className="om-detail-head",
    )
    body: list[Any] = [head, facts]
    body.append(
        suggest.issue_section(services, incident, suggestions, lang, k)
        if incident.order is None
        else _progress(services, incident, lang)
    )
    if incident.stage is not Stage.RESOLVED:
        body += [_merge_section(services, incident, candidates or [], lang), _cancel_section(incident, lang, k)]
    return html.Div(
        body, className="om-detail", **attrs({"data-incident": incident.id, "data-stage": incident.stage.value})
    )


def result(services: Services, outcome: Outcome, team_id: str, lang: str) -> html.Div:
    """Return the message after an order to a team: issued, already issued, or why it was refused."""
    team = services.district.teams.get(team_id)
    return outcome_message(
        outcome,
        t("cmd.issued", lang, team=suggest.team_name(services, team_id, lang)),
        lang,
        team=team_id,
        township=team.township if team else "",
    )
