"""The assessment page's trend: every township's score over the last periods of the picked kind, and the district's
score and 三源 per period.

The caller is resolved and checked ("read_assessment", in its own scope) before the read: the center sees every
township's line, a township's operator its own and the district's figures; another township's score is dropped here,
on the server, before anything is drawn. The answer is the table's description, which assets/keyed.js draws into the
page: as Dash components its 200-odd cells cost the renderer 0.7 s a load (it waited behind them to show the ranking).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import Input, Output, State, html

from application.services import Services
from callbacks.assessment import CARD, BadPeriod, page_rule, period_of
from callbacks.common import lang_of, page_actor
from callbacks.guard import Access, Guarded
from domain.access import authorize
from domain.model import Role
from layouts import ids, trend
from layouts.common import error_message, township_name


def heat(services: Services, day: Any, kind: Any, i18n: Any) -> html.Table | html.Div:
    """Return the trend's heat table for the picked period's kind, ending with it; a township's: its own line."""
    actor, lang = page_actor(), lang_of(i18n)
    own = actor.township if actor.role is Role.TOWNSHIP else None
    authorize(actor, "read_assessment", own)  # before any read; a room is only ever in its own scope
    try:
        which = period_of(services, kind, day, lang)
    except BadPeriod as exc:
        return error_message(str(exc), "bad_request")
    rows = only(services.assessments.trend(which, trend.COUNTS[which.kind]), own)
    names = {tid: township_name(services, tid, lang) for tid in rows[-1]["townships"]}
    return trend.heat(rows, names, lang)


def only(rows: Sequence[Mapping[str, Any]], township: str | None) -> list[dict[str, Any]]:
    """Return the trend with one township's line and the district's figures (every line when township is None)."""
    if township is None:
        return [dict(r) for r in rows]
    return [{**r, "townships": {k: v for k, v in r["townships"].items() if k == township}} for r in rows]


def register(app: Guarded, services: Services) -> None:
    """Register the trend's server callback (named by its first input in docs/api.md: the picked day) and its drawing:
    its answer, a refusal included, is what the table's place shows."""
    app.callback(
        Output(ids.ASSESS_HEAT_DATA, "data"),
        Input(ids.ASSESS_DAY, "value"),
        Input(ids.ASSESS_KIND, "value"),
        State(ids.I18N, "data"),
        access=Access(CARD, page_rule),
    )(lambda day, kind, i18n: heat(services, day, kind, i18n))
    app.clientside_callback(
        f"function (drawn) {{ window.onemap.keyed.render('{ids.ASSESS_HEAT}', drawn ? [drawn] : []);"
        " return window.dash_clientside.no_update; }",
        Output(ids.ASSESS_HEAT_DRAWN, "data"),
        Input(ids.ASSESS_HEAT_DATA, "data"),
    )
