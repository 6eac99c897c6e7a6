"""A township's assessment card from the server's answer: score and rank, each indicator, the points it lost."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from dash import html

from domain.scoring import INDICATORS
from i18n import t
from layouts.common import attrs
from layouts.endings import endings
from layouts.scores import NONE, breaches, count, left_open, local_day, rank_change, rate, score, score_change

LATE_REASONS = frozenset({"sign", "respond", "route", "on_site"})  # a stage done late: the alarm colour
FIGURES = (("received", count), ("orders", count), ("completion_rate", rate), ("reopen_rate", rate))


def card(row: Mapping[str, Any], name: str, lang: str, replay_links: bool) -> html.Div:
    """Return the card: who and how it stands, its figures, each indicator's part, where its incidents ended (三源),
    every incident that lost points."""
    ends = [html.H4(t("assess.end.title", lang), className="om-card-ends-head"), endings(row, lang)]
    stands = [_head(row, name, lang), _figures(row, lang), _indicators(row["indicators"], lang), *ends]
    return html.Div(
        [
            html.Div(stands, className="om-card-stands"),
            html.Div(_lost(row, lang, replay_links), className="om-card-lost"),
        ],
        className="om-assess-card",
        **attrs({"data-township": row["id"]}),
    )


def _head(row: Mapping[str, Any], name: str, lang: str) -> html.Div:
    place = t("assess.rank_n", lang, rank=row["rank"]) if row["rank"] else t("assess.unranked", lang)
    return html.Div(
        className="om-card-head",
        children=[
            html.H3(name, className="om-card-name"),
            html.Div([html.B(score(row["score"]), className="om-card-score"), html.Span(t("assess.of_100", lang))]),
            html.Span(place, className="om-card-place"),
            html.Div(_before(row, lang), className="om-card-before"),
        ],
    )


def _before(row: Mapping[str, Any], lang: str) -> list[Any]:
    """Return the period before's score and rank and the changes since; only words when nothing was judged then."""
    prev = row["previous"]
    if prev["score"] is None:
        return [html.Span(t("assess.previous_none", lang))]
    before = t("assess.previous", lang, score=score(prev["score"]), rank=prev["rank"])
    return [html.Span(before), score_change(row["score_change"]), rank_change(row["rank_change"])]


def _figures(row: Mapping[str, Any], lang: str) -> html.Div:
    tiles: list[tuple[str, Any]] = [(key, show(row[key])) for key, show in FIGURES]
    tiles += [("breaches", breaches(row["breaches"])), ("recurring_open", left_open(row["recurring_open"]))]
    return html.Div(
        [
            html.Div([html.B(value), html.Span(t(f"assess.fig.{key}", lang))], className="om-assess-fig")
            for key, value in tiles
        ],
        className="om-card-figures",
    )


def _indicators(indicators: Mapping[str, Any], lang: str) -> html.Table:
    """Return each indicator's weight, good of judged, rate, points and points lost (an unweighted one: not scored)."""
    cols = ("indicator", "weight", "judged", "rate", "points", "lost")
    head = html.Thead(html.Tr([html.Th(t(f"assess.ind_col.{c}", lang)) for c in cols]))
    body = [_indicator(name, indicators[name], lang) for name in INDICATORS]
    return html.Table([head, html.Tbody(body)], className="om-assess-indicators")


def _indicator(name: str, ind: Mapping[str, Any], lang: str) -> html.Tr:
    scored = ind["points"] is not None
    lost = score(ind["lost_points"]) if scored else NONE
    cells = (
        t(f"assess.ind.{name}", lang),
        f"{ind['weight']:g}" if ind["weight"] else t("assess.not_scored", lang),
        f"{ind['good']}/{ind['judged']}" if ind["judged"] else NONE,
        rate(ind["rate"]),
        score(ind["points"]),
        html.Span(lost, className="om-lost" if scored and ind["lost_points"] else ""),
    )
    return html.Tr(
        [html.Td(c) for c in cells],
        className="om-ind" + ("" if scored else " om-ind-unscored"),
        **attrs({"data-ind": name}),
    )


def _lost(row: Mapping[str, Any], lang: str, replay_links: bool) -> list[Any]:
    """Return the heading with the total and the table of the incidents that lost points (the day, why, how many)."""
    entries = row["lost"]
    total = sum(e["points"] for e in entries)
    head = html.H4(
        [t("assess.lost_title", lang), html.Span(t("assess.lost_total", lang, n=len(entries), points=score(total)))],
        className="om-card-lost-head",
    )
    if not entries:
        return [head, html.P(t("assess.lost_none", lang), className="om-assess-empty")]
    cols = html.Thead(html.Tr([html.Th(t(f"assess.lost_col.{c}", lang)) for c in ("day", "incident", "why", "points")]))
    rows = [_lost_row(e, lang, replay_links) for e in entries]
    return [head, html.Table([cols, html.Tbody(rows)], className="om-assess-lost")]


def _lost_row(entry: Mapping[str, Any], lang: str, replay_links: bool) -> html.Tr:
    iid = entry["incident"]
    # A link only for whoever may open the replay: a township's room is sent home from it (web/security.py).
    ident = html.A(iid, href=f"/replay?incident={quote(iid)}") if replay_links else html.Span(iid)
    reasons = [
        html.Span(
            t(f"assess.reason.{w}", lang), className="om-reason" + (" om-reason-late" if w in LATE_REASONS else "")
        )
        for w in entry["reasons"]
    ]
    return html.Tr(
        [
            html.Td(local_day(entry["day"])),
            html.Td(ident),
            html.Td(reasons),
            html.Td(html.Span(score(entry["points"]), className="om-lost" if entry["points"] else "")),
        ],
        **attrs({"data-incident": iid}),
    )
