"""The figures the district is judged by, for one day window, district-wide and per township (docs/glossary.md)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from domain.model import TIMED_STEPS, VERIFIED, Incident, Order, Stage
from domain.sla import dispatch_verdict, stage_lateness, stage_verdict
from domain.state import State

DONE_STAGES = frozenset({Stage.RESOLVED, Stage.CLOSED, Stage.TRANSFERRED})
VOID_STAGES = frozenset({Stage.CANCELLED, Stage.MERGED})  # not the district's work: out of the rates


@dataclass
class Tally:
    """On time and late counts of one clock (a stage, dispatch or the whole order)."""

    on_time: int = 0
    late: int = 0

    def add(self, verdict: bool | None) -> None:
        """Count a verdict: True on time, False late, None undecided (not counted)."""
        if verdict is not None:
            self.on_time += verdict
            self.late += not verdict

    def as_dict(self) -> dict[str, Any]:
        """Return the counts and the on-time rate (None when nothing was decided)."""
        return {
            "on_time": self.on_time,
            "late": self.late,
            "on_time_rate": _ratio(self.on_time, self.on_time + self.late),
        }


@dataclass
class Figures:
    """Counts and rates for one township or the district; rates are None when nothing was counted."""

    received: int = 0
    ordered: int = 0
    resolved: int = 0
    satisfied: int = 0
    rated: int = 0
    open: int = 0
    waiting: int = 0
    waiting_late: int = 0
    in_progress: int = 0
    breached_open: int = 0
    awaiting_callback: int = 0
    on_site_done: int = 0  # orders of the window whose on-site step was taken
    on_site_verified: int = 0  # and proven by the team's phone at the site (domain/positions.py)
    orders: Tally = field(default_factory=Tally)
    stages: dict[str, Tally] = field(default_factory=lambda: {s: Tally() for s in TIMED_STEPS})
    dispatch: Tally = field(default_factory=Tally)
    dispatch_waits: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Return every figure under its glossary name."""
        waits = sorted(self.dispatch_waits)
        return {
            "received": self.received,
            "ordered": self.ordered,
            **self.orders.as_dict(),
            "resolved": self.resolved,
            "completion_rate": _ratio(self.resolved, self.ordered),
            "satisfied": self.satisfied,
            "rated": self.rated,
            "satisfaction_rate": _ratio(self.satisfied, self.rated),
            "open": self.open,
            "waiting": self.waiting,
            "waiting_late": self.waiting_late,
            "in_progress": self.in_progress,
            "breached_open": self.breached_open,
            "awaiting_callback": self.awaiting_callback,
            "on_site_done": self.on_site_done,
            "on_site_verified": self.on_site_verified,
            "on_site_verified_rate": _ratio(self.on_site_verified, self.on_site_done),
            "stages": {s: t.as_dict() for s, t in self.stages.items()},
            "dispatch": {
                **self.dispatch.as_dict(),
                "median_s": _round(statistics.median(waits)) if waits else None,
                "p90_s": _round(_percentile(waits, 0.9)) if waits else None,
            },
        }


class _ByTownship(dict[str | None, Figures]):
    """Figures per township id; an id outside the district's townships counts in the None bucket."""

    def __missing__(self, key: str | None) -> Figures:
        return self[None]


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _round(x: float) -> float:
    return round(x, 1)


def _percentile(ordered: list[float], q: float) -> float:
    """Return the q-quantile by linear interpolation between closest ranks (Excel PERCENTILE.INC, numpy's default)."""
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _orders(inc: Incident) -> tuple[Order, ...]:
    return inc.history + ((inc.order,) if inc.order else ())


def _now_counts(per: _ByTownship, inc: Incident, now: float) -> None:
    """Count an open incident where it stands now, in the township accountable for it now."""
    order = inc.order
    f = per[order.township if order else inc.township]
    f.open += 1
    if order is None:
        f.waiting += 1
        f.waiting_late += now > inc.dispatch_due
    elif inc.stage is Stage.RESOLVED:
        f.awaiting_callback += 1
    else:
        f.in_progress += 1
        f.breached_open += bool(stage_lateness(order, now))


def _day_counts(per: _ByTownship, inc: Incident, start: float, end: float, now: float) -> None:
    """Count an incident's part in the day: each clock in the day it started, in the township that ran it."""
    if start <= inc.received_at < end:
        per[inc.township].received += 1
    if inc.stage in VOID_STAGES:
        return
    for order in _orders(inc):
        if start <= order.issued_at < end:
            for step in TIMED_STEPS:
                per[order.township].stages[step].add(stage_verdict(order, step, now))
            if "on_site" in order.done:
                per[order.township].on_site_done += 1
                per[order.township].on_site_verified += order.proof == VERIFIED
        if order.dispatch_since is not None and start <= order.dispatch_since < end:
            per[inc.township].dispatch.add(dispatch_verdict(inc, order, now))
            per[inc.township].dispatch_waits.append(order.issued_at - order.dispatch_since)
    if inc.order is None and start <= inc.dispatch_since < end:
        per[inc.township].dispatch.add(dispatch_verdict(inc, None, now))
    _outcome(per, inc, start, end, now)


def _outcome(per: _ByTownship, inc: Incident, start: float, end: float, now: float) -> None:
    """Count the last order's outcome for the township that worked it: ordered, on time, resolved, rated."""
    last = inc.order or (inc.history[-1] if inc.history else None)
    if last is None or not start <= last.issued_at < end:
        return
    f = per[last.township]
    f.ordered += 1
    verdicts = [stage_verdict(last, s, now) for s in TIMED_STEPS]
    f.orders.add(False if False in verdicts else True if all(verdicts) else None)
    f.resolved += inc.stage in DONE_STAGES
    # Each reopening was an unsatisfied call-back; the current feedback counts once more.
    f.rated += inc.reopened + (inc.feedback in ("satisfied", "unsatisfied"))
    f.satisfied += inc.feedback == "satisfied"


def day_figures(state: State, start: float, end: float, now: float) -> dict[str, Any]:
    """Return {"district": figures, "townships": [figures with id and rank]} for [start, end) as of now."""
    # None holds what happened outside every township: the district counts it, no township row shows it.
    towns = _ByTownship({t: Figures() for t in state.district.townships} | {None: Figures()})
    district = Figures()
    for inc in _relevant(state.changed_since(start), start):
        if inc.is_open:
            _now_counts(towns, inc, now)
        _day_counts(towns, inc, start, end, now)
    for f in towns.values():
        _merge(district, f)
    rows = [{"id": t, **f.as_dict()} for t, f in towns.items() if t is not None]
    return {"start": start, "end": end, "now": now, "district": district.as_dict(), "townships": rank(rows)}


def _merge(into: Figures, f: Figures) -> None:
    for name in (
        "received",
        "ordered",
        "resolved",
        "satisfied",
        "rated",
        "open",
        "waiting",
        "waiting_late",
        "in_progress",
        "breached_open",
        "awaiting_callback",
        "on_site_done",
        "on_site_verified",
    ):
        setattr(into, name, getattr(into, name) + getattr(f, name))
    for mine, theirs in [
        (into.orders, f.orders),
        (into.dispatch, f.dispatch),
        *((into.stages[s], f.stages[s]) for s in TIMED_STEPS),
    ]:
        mine.on_time, mine.late = mine.on_time + theirs.on_time, mine.late + theirs.late
    into.dispatch_waits += f.dispatch_waits


def rank(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rank townships by on-time rate, then completion rate; equal figures share a rank (1, 1, 3);
    a township with no decided order has no rank (None) and is listed after the ranked ones by id."""
    ranked = sorted(
        (r for r in rows if r["on_time_rate"] is not None),
        key=lambda r: (-r["on_time_rate"], -(r["completion_rate"] or 0), r["id"]),
    )
    for i, row in enumerate(ranked):
        prev = ranked[i - 1] if i else None
        same = prev is not None and (prev["on_time_rate"], prev["completion_rate"]) == (
            row["on_time_rate"],
            row["completion_rate"],
        )
        row["rank"] = prev["rank"] if prev is not None and same else i + 1
    rest = sorted((r for r in rows if r["on_time_rate"] is None), key=lambda r: r["id"])
    for row in rest:
        row["rank"] = None
    return ranked + rest


def _relevant(incidents: Iterable[Incident], start: float) -> Iterable[Incident]:
    """Keep those that count for a window from start: open, or received, dispatched or ordered since then."""
    # State.changed_since(start) is a superset of these, with no walk over every incident kept.
    return (
        i
        for i in incidents
        if i.is_open or i.received_at >= start or i.dispatch_since >= start or (i.order and i.order.issued_at >= start)
    )
