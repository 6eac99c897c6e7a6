"""A township command room: its orders, one button for each order's next step, its teams."""
from __future__ import annotations

from typing import Any

from dash import html

from commands import Outcome
from i18n import error, t
from layouts import ids
from layouts.common import district_name, lang_link, panel, title_bar, township_name, with_lang


def unknown(township_id: str, lang: str, default_lang: str) -> html.Div:
    """Return the page for a township id the district does not have."""
    return html.Div(className="om-page om-message-page", children=[
        html.H1(t("town.unknown", lang, id=township_id)),
        html.P(t("town.unknown_hint", lang)),
        html.A(t("nav.home", lang), href=with_lang("/", lang, default_lang), className="om-btn"),
        lang_link(f"/township/{township_id}", lang),
    ])


def layout(services: Any, township_id: str, lang: str, path: str) -> html.Div:
    """Return the room of one township; rows and buttons are rendered clientside from the live state."""
    if township_id not in services.district.townships:
        return unknown(township_id, lang, services.settings.lang)
    title = t("town.room", lang, name=township_name(services, township_id, lang))
    head = title_bar(title, f"{district_name(services, lang)} · {t('app.title', lang)}", lang, path)
    orders = panel(t("town.orders", lang), [
        html.Div(id=ids.TOWN_RESULT, className="om-result", role="status"),
        html.Div(id=ids.TOWN_ORDERS, className="om-orders"),
    ], "om-grow", extra=html.Span(id=ids.TOWN_COUNT, className="om-panel-count"))
    side = html.Div(className="om-col om-col-side", children=[
        panel(t("town.today", lang), html.Div(id=ids.TOWN_KPI, className="om-town-kpi")),
        panel(t("town.teams", lang), html.Div(id=ids.TOWN_TEAMS, className="om-teams"), "om-grow"),
    ])
    return html.Div(className="om-room", **{"data-township": township_id}, children=[
        head, html.Div(className="om-room-main", children=[html.Div(orders, className="om-col om-col-orders"), side]),
    ])


def result(outcome: Outcome, step: str, lang: str) -> html.Div:
    """Return the message after a step: done, already done, or why it was refused."""
    if outcome.status == "rejected":
        return html.Div(error(outcome.code, lang, **outcome.params), className="om-msg om-msg-error")
    key = "town.step_done" if outcome.status == "done" else "town.duplicate"
    return html.Div(t(key, lang, step=t(f"step.{step}", lang)), className="om-msg om-msg-ok")
