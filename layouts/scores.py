"""How the assessment's numbers read on a screen: a score, a rate, a change, a local day; None is "—", never 0."""

from __future__ import annotations

from datetime import date

from dash import html

from domain.periods import EPOCH_ORDINAL

NONE = "—"  # nothing judged: no score, rate or rank; a 0 would read as a township that failed everything


def score(value: float | None) -> str:
    """Return a score or points out of 100 with one or two decimals (90.0, 73.75)."""
    if value is None:
        return NONE
    text = f"{value:.2f}"
    return text[:-1] if text.endswith("0") else text


def rate(value: float | None) -> str:
    """Return a rate as a percentage with one decimal."""
    return NONE if value is None else f"{value * 100:.1f}%"


def count(n: int) -> str:
    """Return a count with thousands separated."""
    return f"{n:,}"


def score_change(change: float | None) -> html.Span:
    """Return a score's change against the period before: ▲ up, ▼ down, = the same, — nothing to compare."""
    if change is None:
        return html.Span(NONE, className="om-chg om-chg-none")
    if change == 0:
        return html.Span("= 0.0", className="om-chg om-chg-same")
    arrow, tone = ("▲", "up") if change > 0 else ("▼", "down")
    return html.Span(f"{arrow} {score(abs(change))}", className=f"om-chg om-chg-{tone}")


def rank_change(change: int | None) -> html.Span:
    """Return a rank's change (positive: moved up): ↑2, ↓1, = the same, — nothing to compare."""
    if change is None:
        return html.Span(NONE, className="om-chg om-chg-none")
    if change == 0:
        return html.Span("=", className="om-chg om-chg-same")
    arrow, tone = ("↑", "up") if change > 0 else ("↓", "down")
    return html.Span(f"{arrow}{abs(change)}", className=f"om-chg om-chg-{tone}")


def breaches(n: int) -> html.Span:
    """Return a count of late stages: in the alarm colour when there is one, so late never looks on time."""
    return html.Span(count(n), className="om-assess-late" if n else "om-assess-none-late")


def left_open(n: int | None) -> html.Span | str:
    """Return recurring problems left open now (— for a period that is not the current one), marked when any is."""
    return NONE if n is None else breaches(n)


def local_day(day: int) -> str:
    """Return a ledger day (days since 1970-01-01, local) as the local date YYYY-MM-DD."""
    return date.fromordinal(day + EPOCH_ORDINAL).isoformat()
