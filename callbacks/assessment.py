"""The assessment page's server side: the district's ranking, boards and figures, and one township's card.

Each callback resolves the signed-in caller and checks "read_assessment" (and, for a card, the township asked for)
before it reads: a township's operator gets its own card and nothing of another township.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from dash import ALL, Input, Output, State, ctx, html

from application.services import Services
from callbacks.common import clicked, lang_of, page_actor
from callbacks.guard import Access, Guarded, Target
from domain.access import authorize
from domain.model import Actor, Role
from domain.periods import KINDS, Period
from i18n import error, t
from layouts import endings, ids, scorecard, standings
from layouts.assessment import PATH
from layouts.common import error_message, township_name
from web import timeparams
from web.security import page_allowed

DISTRICT = frozenset({Role.COMMANDER, Role.DUTY_LEADER, Role.ADMIN})  # the whole district's ranking
CARD = DISTRICT | {Role.TOWNSHIP}  # a card: a township only its own (checked in the body, with the id asked for)


class BadPeriod(ValueError):
    """A period the picker cannot stand for: the message to show instead."""


def period_of(services: Services, kind: Any, day: Any, lang: str) -> Period:
    """Return the period of a kind holding a day (this month when unset); BadPeriod saying what is wrong."""
    kind = kind or "month"
    if kind not in KINDS:
        raise BadPeriod(t("assess.bad_period", lang, kinds=", ".join(KINDS)))
    try:
        when = timeparams.day(day, "day") if isinstance(day, str) and day else services.assessments.today()
    except timeparams.BadTime as exc:
        raise BadPeriod(error(exc.code, lang, **exc.params)) from None
    return services.assessments.period(kind, when)


def ranking(services: Services, kind: Any, day: Any, i18n: Any) -> tuple[Any, Any, Any, Any]:
    """Return the ranking table, the red and black lists, the district's figures and where its incidents ended."""
    authorize(page_actor(), "read_assessment")  # the district's: a township's operator is refused here
    lang = lang_of(i18n)
    try:
        which = period_of(services, kind, day, lang)
    except BadPeriod as exc:
        return error_message(str(exc), "bad_request"), [], [], []
    data = services.assessments.district(which)
    names = {tid: township_name(services, tid, lang) for tid in services.district.townships}
    drawn = standings.ranking(data, names, lang), standings.boards(data, names, lang), standings.figures(data, lang)
    return *drawn, endings.endings(data["district"], lang)


def wanted(actor: Actor, button: dict[str, Any] | None, picked: Any) -> str | None:
    """Return the township whose card is asked for: a row just clicked, else the open one, else a room's own."""
    chosen = (button or {}).get("township") or picked
    if isinstance(chosen, str) and chosen:
        return chosen[:60]
    return actor.township if actor.role is Role.TOWNSHIP else None


def township_card(services: Services, kind: Any, day: Any, picked: Any, i18n: Any) -> tuple[Any, Any, Any]:
    """Return (card, the township it is of, the period's label); a township asking for another's is refused.

    Redrawn rows (another period) call it again with no click: it answers in full, since Dash drops the answer of
    a call still on its way when the same callback is called again (the period's own call, here).
    """
    actor, lang = page_actor(), lang_of(i18n)
    township = wanted(actor, clicked(ctx.triggered), picked)
    authorize(actor, "read_assessment", township)  # before any read: out_of_scope for another township
    try:
        which = period_of(services, kind, day, lang)
    except BadPeriod as exc:
        return error_message(str(exc), "bad_request"), township, ""
    return *card_of(services, actor, township, which, lang), period_label(services, which, lang)


def card_of(services: Services, actor: Actor, township: str | None, which: Period, lang: str) -> tuple[Any, Any]:
    """Return a township's card of a period and the township it is of (None: the hint, or an unknown id)."""
    if township is None:
        return html.P(t("assess.pick_hint", lang), className="om-assess-empty"), None
    if township not in services.district.townships:
        return error_message(error("unknown_township", lang, township=township), "unknown_township"), None
    row = services.assessments.township(which, township)["township"]
    name = township_name(services, township, lang)
    return scorecard.card(row, name, lang, page_allowed(actor, "/replay")), township


def period_label(services: Services, which: Period, lang: str) -> str:
    """Return the period's label, its first and last day, and the local time its figures stand at."""
    tz = timezone(timedelta(hours=services.settings.utc_offset_h))
    as_of = datetime.fromtimestamp(services.clock(), tz).strftime("%Y-%m-%d %H:%M")
    last = (which.end - timedelta(days=1)).isoformat()
    return t("assess.period_label", lang, label=which.label, first=which.first.isoformat(), last=last, as_of=as_of)


def page_rule(*_args: Any) -> list[Target]:
    """Return the page's own rule (web/security.py page_allowed), checked before the body's."""
    return [Target("page", PATH)]


def register(app: Guarded, services: Services) -> None:
    """Register the page's ranking and card callbacks (role and scope checked) and the row marker in the browser."""
    app.callback(
        Output(ids.ASSESS_TABLE, "children"),
        Output(ids.ASSESS_BOARDS, "children"),
        Output(ids.ASSESS_DISTRICT, "children"),
        Output(ids.ASSESS_SOURCES, "children"),
        Input(ids.ASSESS_KIND, "value"),
        Input(ids.ASSESS_DAY, "value"),
        State(ids.I18N, "data"),
        access=Access(DISTRICT, page_rule),
    )(lambda kind, day, i18n: ranking(services, kind, day, i18n))
    app.callback(
        Output(ids.ASSESS_CARD, "children"),
        Output(ids.ASSESS_PICK, "data"),
        Output(ids.ASSESS_LABEL, "children"),
        Input({"type": ids.ASSESS_ROW, "township": ALL}, "n_clicks"),
        Input(ids.ASSESS_KIND, "value"),
        Input(ids.ASSESS_DAY, "value"),
        State(ids.ASSESS_PICK, "data"),
        State(ids.I18N, "data"),
        access=Access(CARD, page_rule),
    )(lambda _clicks, kind, day, picked, i18n: township_card(services, kind, day, picked, i18n))
    app.clientside_callback(
        """function (picked, rows, classes) {
            return rows.map((row, n) => (classes[n] || "").replace(/ om-selected/g, "")
                + (row.township === picked ? " om-selected" : ""));
        }""",
        Output({"type": ids.ASSESS_ROW, "township": ALL}, "className"),
        Input(ids.ASSESS_PICK, "data"),
        State({"type": ids.ASSESS_ROW, "township": ALL}, "id"),
        State({"type": ids.ASSESS_ROW, "township": ALL}, "className"),
    )
