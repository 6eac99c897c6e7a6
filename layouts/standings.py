"""The assessment's district view from the server's answer: the ranking table, the red and black lists, the figures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dash import html

from i18n import t
from layouts import ids
from layouts.common import attrs
from layouts.scores import NONE, breaches, count, left_open, rank_change, rate, score, score_change

COLUMNS = (
    "rank",
    "township",
    "score",
    "score_change",
    "rank_change",
    "response",
    "resolution",
    "satisfaction",
    "reopen",
    "return",
    "on_spot",
    "breaches",
)
# The district's figures, each with how it reads (docs/api.md: the district's counts and rates).
FIGURES: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("score", score),
    ("received", count),
    ("orders", count),
    ("completion_rate", rate),
    ("satisfaction_rate", rate),
    ("reopen_rate", rate),
    ("return_rate", rate),
    ("breaches", breaches),
    ("on_site_verified_rate", rate),
    ("recurring_open", left_open),
)


def ranking(data: Mapping[str, Any], names: Mapping[str, str], lang: str) -> html.Table:
    """Return the townships ranked (those with nothing judged last, unranked), one clickable row each."""
    head = html.Thead(html.Tr([html.Th(t(f"assess.col.{c}", lang), className=f"om-at-{c}") for c in COLUMNS]))
    rows = sorted(data["townships"], key=lambda r: (r["rank"] is None, r["rank"] or 0, r["id"]))
    return html.Table([head, html.Tbody([_row(r, names) for r in rows])], className="om-assess-ranking")


def _row(row: Mapping[str, Any], names: Mapping[str, str]) -> html.Tr:
    ind = row["indicators"]
    cells = (
        _rank(row["rank"]),
        names.get(row["id"], row["id"]),
        html.B(score(row["score"])),
        score_change(row["score_change"]),
        rank_change(row["rank_change"]),
        rate(ind["response"]["rate"]),
        rate(ind["resolution"]["rate"]),
        rate(ind["satisfaction"]["rate"]),
        rate(row["reopen_rate"]),
        rate(row["return_rate"]),
        rate(row["on_spot_share"]),
        breaches(row["breaches"]),
    )
    return html.Tr(
        [html.Td(cell, className=f"om-at-{c}") for c, cell in zip(COLUMNS, cells)],
        id={"type": ids.ASSESS_ROW, "township": row["id"]},
        n_clicks=0,
        className="om-assess-row" + ("" if row["rank"] else " om-assess-unranked"),
        **attrs({"data-township": row["id"]}),
    )


def _rank(rank: int | None) -> html.Span:
    top = " om-assess-top" if rank is not None and rank <= 3 else ""
    return html.Span(str(rank) if rank else NONE, className=f"om-assess-rank{top}")


def boards(data: Mapping[str, Any], names: Mapping[str, str], lang: str) -> list[html.Section]:
    """Return the red list (the top) and the black list (the bottom, the last first), each with its scores."""
    rows = {r["id"]: r for r in data["townships"]}
    return [_board(kind, data[kind], rows, names, lang) for kind in ("red", "black")]


def _board(kind: str, ranked: list[str], rows: Mapping[str, Any], names: Mapping[str, str], lang: str) -> html.Section:
    items = [
        html.Li(
            [
                html.Span(str(rows[tid]["rank"]), className="om-assess-rank"),
                html.Span(names.get(tid, tid), className="om-board-name"),
                html.B(score(rows[tid]["score"])),
            ],
            **attrs({"data-township": tid}),
        )
        for tid in ranked
    ]
    body = html.Ol(items) if items else html.P(t("assess.board_none", lang), className="om-assess-empty")
    return html.Section([html.H2(t(f"assess.{kind}", lang)), body], className=f"om-assess-board om-assess-{kind}")


def figures(data: Mapping[str, Any], lang: str) -> list[html.Div]:
    """Return the district's figures as tiles, with how many townships had anything judged."""
    d, rows = data["district"], data["townships"]
    ranked = sum(r["score"] is not None for r in rows)
    tiles = [(key, show(d[key])) for key, show in FIGURES] + [("ranked", f"{ranked}/{len(rows)}")]
    return [
        html.Div(
            [html.B(value, className="om-fig-value"), html.Span(t(f"assess.fig.{key}", lang))],
            className=f"om-assess-fig om-fig-{key}",
        )
        for key, value in tiles
    ]
