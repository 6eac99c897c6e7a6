"""The townships' assessment (综合考核) over a period, read from the ledger: indicators, score, rank, boards."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from domain import recurring
from domain.ledger import FIELDS, INDEX, THREE_SOURCES, Vector, day_of, settled_copy
from domain.model import OUTCOMES
from domain.periods import Period
from domain.scoring import INDICATORS, MINUS, REASONS, AssessmentPolicy
from domain.state import LedgerKey, LostKey, State


@dataclass(frozen=True)
class Books:
    """A copy of the ledger an assessment reads outside the store's lock, and the district's townships."""

    ledger: Mapping[LedgerKey, Vector]
    lost: Mapping[LostKey, tuple[str, ...]]
    townships: tuple[str, ...]
    seq: int = 0  # the log's seq the copy was taken at
    today: int | None = None  # the local day it was taken on (None: no moment given, no "now" figures)
    recurring_open: Mapping[str, int] = field(default_factory=dict)  # township -> recurring problems left open now

    @functools.cached_property
    def by_day(self) -> dict[int, dict[str, list[int]]]:
        """Return the counts per day and township, the categories added up (made once per copy: a year's periods
        then add up days, not the ledger's keys)."""
        out: dict[int, dict[str, list[int]]] = {}
        for (day, township, _), vector in self.ledger.items():
            row = out.setdefault(day, {}).get(township)
            if row is None:
                out[day][township] = list(vector)
            else:
                for i, x in enumerate(vector):
                    row[i] += x
        return out

    @classmethod
    def of(cls, state: State, now: float | None = None) -> Books:
        """Copy the ledger out of a state, settled (run inside the store's read: dict copies and the day's changes),
        with, given the moment, the recurring problems left open then."""
        book = settled_copy(state)
        towns = tuple(state.district.townships)
        if now is None:
            return cls(book.ledger, book.lost, towns, state.seq)
        today = day_of(now, state.district.utc_offset_h)
        return cls(book.ledger, book.lost, towns, state.seq, today, recurring.open_by_township(state, now))


def totals(books: Books, first: int, end: int) -> dict[str, list[int]]:
    """Return the ledger's counts summed over days [first, end), per township ("" outside every township)."""
    out: dict[str, list[int]] = {}
    by_day = books.by_day
    for day in range(first, end):
        for township, vector in by_day.get(day, {}).items():
            row = out.get(township)
            if row is None:
                out[township] = list(vector)
            else:
                for i, x in enumerate(vector):
                    row[i] += x
    return out


def lost(books: Books, first: int, end: int, township: str) -> list[tuple[int, str, tuple[str, ...]]]:
    """Return (day, incident id, reasons) for every incident that lost a township points in days [first, end)."""
    return sorted((d, iid, why) for (d, t, iid), why in books.lost.items() if t == township and first <= d < end)


def figures(v: Vector | list[int]) -> dict[str, Any]:
    """Return the counts under their names with the rates the assessment shows (None when nothing was judged)."""
    named = dict(zip(FIELDS, v))
    late = sum(named[f] for f in FIELDS if f.endswith("_late"))
    return {
        **named,
        "breaches": late,
        "completion_rate": _ratio(named["resolved"], named["ordered"]),
        "satisfaction_rate": _ratio(named["satisfied"], named["rated"]),
        "reopen_rate": _ratio(named["reopened"], named["orders"]),
        "return_rate": _ratio(named["returned"], named["orders"]),
        "on_site_verified_rate": _ratio(named["on_site_verified"], named["on_site_done"]),
        **_three_sources(named),
    }


def _three_sources(named: dict[str, int]) -> dict[str, Any]:
    """Return where the finished incidents ended (三源): the share settled on the spot, the flows out by where they
    went and, for 110, 12345 and the grid, settled and sent on (an outcome not recorded counts in neither)."""
    ended = {o: named[f"ended_{o}"] for o in OUTCOMES}
    recorded = sum(ended.values())
    return {
        "outcomes": ended,
        "outcomes_recorded": recorded,
        "on_spot_share": _ratio(ended["on_spot"], recorded),
        "flows_out": recorded - ended["on_spot"],
        "by_source": {
            src: {
                "settled": named[f"settled_{src}"],
                "out": named[f"out_{src}"],
                "on_spot_share": _ratio(named[f"settled_{src}"], named[f"settled_{src}"] + named[f"out_{src}"]),
            }
            for src in THREE_SOURCES
        },
    }


def score(v: Vector | list[int], policy: AssessmentPolicy) -> dict[str, Any]:
    """Return each indicator (good, judged, rate, weight share, points, points lost, each failure's cost) and the
    score out of 100: the weighted mean of the judged indicators' rates (None when none was judged)."""
    rows: dict[str, dict[str, Any]] = {}
    for name, (good_f, judged_f) in INDICATORS.items():
        judged = sum(v[INDEX[f]] for f in judged_f)
        good = sum(v[INDEX[f]] for f in good_f) - (v[INDEX[MINUS[name]]] if name in MINUS else 0)
        rows[name] = {"good": good, "judged": judged, "rate": _ratio(good, judged), "weight": policy.weights[name]}
    counted = sum(r["weight"] for r in rows.values() if r["judged"] and r["weight"])
    for r in rows.values():
        share = 100.0 * r["weight"] / counted if counted and r["judged"] and r["weight"] else 0.0
        r["points"] = round(share * r["good"] / r["judged"], 2) if share else None
        lost = round(share * (r["judged"] - r["good"]) / r["judged"], 2) if share else 0.0
        r["lost_points"] = lost if r["judged"] else None  # nothing judged: nothing lost, nothing to show
        r["cost_each"] = share / r["judged"] if share else 0.0
    total = sum(100.0 * r["weight"] * r["good"] / r["judged"] for r in rows.values() if r["points"] is not None)
    return {"score": round(total / counted, 2) if counted else None, "indicators": rows}


def rank(rows: list[dict[str, Any]], board: int) -> dict[str, list[str]]:
    """Rank rows by score (equal scores share a rank, no score: no rank); return the red and black lists' ids."""
    ranked = sorted((r for r in rows if r["score"] is not None), key=lambda r: (-r["score"], r["id"]))
    for i, row in enumerate(ranked):
        row["rank"] = ranked[i - 1]["rank"] if i and ranked[i - 1]["score"] == row["score"] else i + 1
    for row in rows:
        row.setdefault("rank", None)
    red = [r["id"] for r in ranked[:board]]
    black = [r["id"] for r in reversed(ranked[board:])][:board]
    return {"red": red, "black": black}


def assess(books: Books, period: Period, policy: AssessmentPolicy) -> dict[str, Any]:
    """Return every township's card for a period and the one before (its change), ranked, with the boards."""
    now, before = _cards(books, period, policy), _cards(books, period.before(), policy)
    for row in now["townships"]:
        prev = next(r for r in before["townships"] if r["id"] == row["id"])
        row["previous"] = {"score": prev["score"], "rank": prev["rank"]}
        row["score_change"] = _diff(row["score"], prev["score"])
        row["rank_change"] = _diff(prev["rank"], row["rank"])  # positive: moved up
    return {"period": period.label, "kind": period.kind, "first": period.first.isoformat(), **now}


def _cards(books: Books, period: Period, policy: AssessmentPolicy) -> dict[str, Any]:
    sums = totals(books, *period.days)
    zero = [0] * len(FIELDS)
    rows = [{"id": t, **figures(sums.get(t, zero)), **score(sums.get(t, zero), policy)} for t in books.townships]
    # Left open is a figure of now (the problems of the last D days): given for the period that holds today only.
    now = books.today is not None and period.days[0] <= books.today < period.days[1]
    for r in rows:
        r["recurring_open"] = books.recurring_open.get(r["id"], 0) if now else None
    boards = rank(rows, policy.board)
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["id"]))  # as the kpi's ranking: ranked, then the rest
    district = [sum(col) for col in zip(zero, *sums.values())]
    left = sum(books.recurring_open.values()) if now else None
    return {
        "district": {**figures(district), **score(district, policy), "recurring_open": left},
        "townships": rows,
        **boards,
    }


def card(books: Books, period: Period, policy: AssessmentPolicy, township: str) -> dict[str, Any]:
    """Return one township's card with every point it lost traced to the incidents (and orders) that lost it."""
    whole = assess(books, period, policy)
    row = next((r for r in whole["townships"] if r["id"] == township), None)
    if row is None:
        raise ValueError(f"unknown township {township!r}")
    row["lost"] = traced(books, period, row)
    return {"period": whole["period"], "kind": period.kind, "first": whole["first"], "township": row}


def traced(books: Books, period: Period, row: dict[str, Any]) -> list[dict[str, Any]]:
    """Return every incident that lost an assessed township's row points in the period, each with what it cost."""
    costs = {name: r["cost_each"] for name, r in row["indicators"].items()}
    return [
        {
            "day": d,
            "incident": iid,
            "reasons": list(why),
            "points": round(sum(costs.get(REASONS[w], 0.0) for w in why), 4),
        }
        for d, iid, why in lost(books, *period.days, row["id"])
    ]


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _diff(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a - b, 2)


def trend(books: Books, periods: list[Period], policy: AssessmentPolicy) -> list[dict[str, Any]]:
    """Return each period's district figures and score and each township's score and rank, in the order given."""
    out = []
    for p in periods:
        cards = _cards(books, p, policy)
        towns = {r["id"]: {"score": r["score"], "rank": r["rank"]} for r in cards["townships"]}
        out.append({"period": p.label, "first": p.first.isoformat(), "district": cards["district"], "townships": towns})
    return out
