"""The assessment's trend from the server's answer, as a heat table: a row per township, a column per period, each
cell its score tinted by its band; under them the district's score and on-spot share (三源) per period.

A table rather than lines: eleven townships' lines over twelve periods cross into a tangle no one reads across a
room, while a cell holds the number itself, and a row that is never judged reads "—", not a line at zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import html

from i18n import t
from layouts.common import attrs
from layouts.scores import NONE, rate, score

# Periods the trend shows per kind: twelve weeks or months; quarters and years only as far back as the ledger reaches
# (LEDGER_DAYS, 800: domain/ledger.py; the oldest year in part), not columns empty for want of the days kept.
COUNTS = {"week": 12, "month": 12, "quarter": 8, "year": 3}
BANDS = (90, 80, 70, 60)  # a cell's tint: at or above each bound, else the lowest band


def heat(trend: Sequence[Mapping[str, Any]], names: Mapping[str, str], lang: str) -> html.Table:
    """Return the table: the periods oldest first, the townships ranked as in the last period, then the district."""
    head = html.Tr([html.Th(t("assess.trend.row", lang)), *[html.Th(p["period"]) for p in trend]])
    towns = [_township(tid, names.get(tid, tid), trend) for tid in _order(trend[-1]["townships"])]
    return html.Table(
        [html.Thead(head), html.Tbody(towns, className="om-heat-towns"), html.Tbody(_district(trend, lang))],
        className="om-heat",
        **attrs({"data-count": str(len(trend))}),
    )


def _order(last: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Return the townships in the last period's rank order, the unranked after them by id."""
    return sorted(last, key=lambda tid: (last[tid]["rank"] is None, last[tid]["rank"] or 0, tid))


def _township(township: str, label: str, trend: Sequence[Mapping[str, Any]]) -> html.Tr:
    scores = [p["townships"][township]["score"] for p in trend]
    cells = [_cell(p["period"], score(s), band(s)) for p, s in zip(trend, scores)]
    return html.Tr([html.Th(label), *cells], className="om-heat-town", **attrs({"data-township": township}))


def _district(trend: Sequence[Mapping[str, Any]], lang: str) -> list[html.Tr]:
    """Return the district's rows: its score and its on-spot share (三源 per period)."""
    labels, figures = [p["period"] for p in trend], [p["district"] for p in trend]
    rows = (
        ("score", [_cell(at, score(d["score"]), band(d["score"])) for at, d in zip(labels, figures)]),
        (
            "on_spot_share",
            [_cell(at, rate(d["on_spot_share"]), band(_percent(d["on_spot_share"]))) for at, d in zip(labels, figures)],
        ),
    )
    return [
        html.Tr(
            [html.Th(t(f"assess.trend.{key}", lang)), *cells], className="om-heat-district", **attrs({"data-row": key})
        )
        for key, cells in rows
    ]


def _cell(period: str, text: str, tint: str) -> html.Td:
    return html.Td(text, className=f"om-heat-cell om-heat-{tint}", **attrs({"data-period": period}))


def _percent(share: float | None) -> float | None:
    return None if share is None else 100 * share


def band(value: float | None) -> str:
    """Return the band a value out of 100 falls in: b90, b80, b70, b60, low, or none."""
    if value is None:
        return "none"
    return next((f"b{bound}" for bound in BANDS if value >= bound), "low")


def legend(lang: str) -> html.Div:
    """Return the bands' key: the tint of each, and "—" for nothing judged."""
    keys = [(f"b{b}", f"≥{b}") for b in BANDS] + [("low", f"<{BANDS[-1]}"), ("none", NONE)]
    swatches = [html.Span(text, className=f"om-heat-key om-heat-{key}") for key, text in keys]
    return html.Div([html.Span(t("assess.trend.bands", lang)), *swatches], className="om-heat-legend")
