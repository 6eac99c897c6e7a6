"""The assessment page `/assessment` (综合考核): a period's township scores and ranks, the boards, a township's card.

The commanders, duty leaders and admins see the district; a township's operator only its own card. The page is a
skeleton: callbacks/assessment.py fills it from `services.assessments`, checking the caller again each time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

from dash import dcc, html

from application.services import Services
from domain.access import authorize
from domain.errors import Rejected
from domain.model import Actor, Role
from domain.periods import KINDS
from i18n import error, t
from layouts import ids, trend
from layouts.common import district_name, error_message, panel, township_name, with_lang
from web import timeparams
from web.security import home

PATH = "/assessment"


@dataclass(frozen=True)
class Query:
    """The period the address asks for (?period=, ?day=), and why it was not taken ("" when it was)."""

    kind: str
    day: str  # YYYY-MM-DD
    problem: str = ""


def query(services: Services, search: str | None, lang: str) -> Query:
    """Read ?period=week|month|quarter|year and ?day=YYYY-MM-DD; this month by default, and when either is bad."""
    args = parse_qs((search or "").lstrip("?"))
    kind, raw = args.get("period", ["month"])[0], args.get("day", [""])[0]
    today = services.assessments.today().isoformat()
    if kind not in KINDS:
        return Query("month", today, t("assess.bad_period", lang, kinds=", ".join(KINDS)))
    try:
        return Query(kind, timeparams.day(raw, "day").isoformat() if raw else today)
    except timeparams.BadTime as exc:  # a changed link shows this month, and says why
        return Query(kind, today, error(exc.code, lang, **exc.params))


def layout(services: Services, lang: str, path: str, search: str | None, actor: Actor) -> html.Div:
    """Return the district's page, a township operator's own card, or the refusal (the router checked the page)."""
    try:
        authorize(actor, "read_assessment", actor.township)
    except Rejected as exc:
        return html.Div(error_message(error(exc.code, lang, **exc.params), exc.code), className="om-page")
    own = actor.township if actor.role is Role.TOWNSHIP else None
    asked = query(services, search, lang)
    return html.Div(
        className="om-assess" + (" om-assess-own" if own else ""),
        children=[
            _header(services, lang, path, search, actor, own),
            _picker(asked, lang),
            _own(lang) if own else _district(lang),
            dcc.Store(id=ids.ASSESS_PICK, data=own),
        ],
    )


def _header(services: Services, lang: str, path: str, search: str | None, actor: Actor, own: str | None) -> html.Header:
    title = t("assess.title", lang) + (f" · {township_name(services, own, lang)}" if own else "")
    back = html.A(
        t("assess.back", lang), href=with_lang(home(actor), lang, services.settings.lang), className="om-lang"
    )
    return html.Header(
        className="om-titlebar",
        children=[
            html.Div(
                className="om-title-block",
                children=[
                    html.H1(title, className="om-title"),
                    html.Div(f"{district_name(services, lang)} · {t('app.title', lang)}", className="om-subtitle"),
                ],
            ),
            html.Div(
                className="om-title-right",
                children=[back, html.Div(id=ids.USER_BOX, className="om-user"), _lang_link(path, search, lang)],
            ),
        ],
    )


def _lang_link(path: str, search: str | None, lang: str) -> html.A:
    """Return the link to this page in the other language, keeping the period the address asks for."""
    args = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items() if k in ("period", "day")}
    other = "zh" if lang == "en" else "en"
    return html.A(t("nav.switch_lang", lang), href=f"{path}?{urlencode({**args, 'lang': other})}", className="om-lang")


def _picker(asked: Query, lang: str) -> html.Div:
    """Return the period picker (kind and a day of it), the period it stands for, and a bad address's reason."""
    problem = [error_message(asked.problem, "bad_request")] if asked.problem else []
    return html.Div(
        className="om-assess-bar",
        children=[
            html.Span(t("assess.period", lang), className="om-assess-bar-label"),
            dcc.RadioItems(
                id=ids.ASSESS_KIND,
                options=[{"label": t(f"assess.kind.{k}", lang), "value": k} for k in KINDS],
                value=asked.kind,
                inline=True,
                className="om-chips om-assess-kinds",
            ),
            dcc.Input(
                id=ids.ASSESS_DAY,
                type="date",  # type: ignore[arg-type]  # an HTML input type Dash's Literal leaves out
                value=asked.day,
                min=timeparams.FIRST_DAY.isoformat(),
                max=timeparams.LAST_DAY.isoformat(),
                # Not debounced: Dash 4 then restores the caret with setSelectionRange, which a date input throws on.
                # A date input changes only when a whole date is picked or typed, so each change is one request.
                debounce=False,
                className="om-input om-assess-date",
            ),
            html.Div(id=ids.ASSESS_LABEL, className="om-assess-label"),
            *problem,
        ],
    )


def _district(lang: str) -> html.Div:
    """Return the district's view: its figures, the ranking and the trend left (a column per period wants the width);
    the boards, where disputes end (三源) and the open card right."""
    figures = panel(t("assess.district", lang), html.Div(id=ids.ASSESS_DISTRICT, className="om-assess-figures"))
    ends = panel(t("assess.end.title", lang), html.Div(id=ids.ASSESS_SOURCES), "om-assess-ends")
    hint = html.Span(t("assess.pick_hint", lang), className="om-assess-hint")  # in the head: no row's height
    boards = html.Div(id=ids.ASSESS_BOARDS, className="om-assess-boards")
    return html.Div(
        className="om-assess-main",
        children=[
            html.Div(
                [
                    figures,
                    panel(t("assess.ranking", lang), html.Div(id=ids.ASSESS_TABLE), "om-grow", hint),
                    _trend_panel(lang),
                ],
                className="om-col",
            ),
            html.Div([boards, ends, _card_panel(lang)], className="om-col"),
        ],
    )


def _own(lang: str) -> html.Div:
    """Return a township operator's view: its own card and its own line of the trend, nothing of the others."""
    return html.Div([_card_panel(lang), _trend_panel(lang)], className="om-assess-main om-assess-main-own")


def _card_panel(lang: str) -> Any:
    return panel(t("assess.card", lang), html.Div(id=ids.ASSESS_CARD), "om-grow om-assess-card-panel")


def _trend_panel(lang: str) -> Any:
    drawn = [html.Div(id=ids.ASSESS_HEAT), dcc.Store(id=ids.ASSESS_HEAT_DATA), dcc.Store(id=ids.ASSESS_HEAT_DRAWN)]
    return panel(t("assess.trend.title", lang), drawn, "om-assess-trend", trend.legend(lang))
