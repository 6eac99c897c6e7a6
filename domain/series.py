"""The analytics charts' history: bounded rolling buckets the projection's folds keep, and the series read from them.

Pure and clock-free: a bucket's time comes from its event, a chart's window from the `now` passed in. The buckets
live in `State` as dicts of frozen values (so `domain.replay.checkpoint` copies them whole), and each fold
prunes what fell out of its window, so memory stays bounded however long the log grows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain import kpi
from domain.catalog import CATEGORIES
from domain.state import Sample, State

HOUR_S = 3600
HOURS_KEPT = 48  # today and yesterday, whatever the local offset
SAMPLE_S = 600  # gauges and halls: one sample per 10-minute slot, the slot's last value
SAMPLES_KEPT_S = 86400  # a day of samples per station and hall
GAP_S = 3 * SAMPLE_S  # a gauge silent longer than this shows a gap, never a line drawn across the silence
CHART_SOURCES = ("110", "12345", "grid", "open311")
OTHER = "other"  # incidents from every other source (hydrology, security...): the bars add up to `received`
TOP_CATEGORIES = 10
Changed = set[str]
# The charts drawn from the day's figures: they change whenever `kpi:today` does.
FIGURE_CHARTS = ("chart:stages", "chart:ranking", "chart:categories")


def source_bucket(source: str) -> str:
    """Return the hourly chart's stack a report's source goes in."""
    return source if source in CHART_SOURCES else OTHER


def count_report(s: State, source: str, at: float) -> Changed:
    """Count a report in its hour's bucket; drop the hours that left the last 48."""
    key = (at // HOUR_S * HOUR_S, source_bucket(source))
    if key not in s.hourly:
        oldest = key[0] - (HOURS_KEPT - 1) * HOUR_S
        for old in [k for k in s.hourly if k[0] < oldest]:
            del s.hourly[old]
    s.hourly[key] = s.hourly.get(key, 0) + 1
    return {"chart:hourly"}


def sampled(samples: tuple[Sample, ...], at: float, value: float) -> tuple[Sample, ...] | None:
    """Return the samples with (at, value) as its slot's sample, a day kept; None when nothing changed."""
    if samples and samples[-1][0] // SAMPLE_S > at // SAMPLE_S:
        return None  # a reading older than the slot already kept: that slot has a later one
    same_slot = bool(samples) and samples[-1][0] // SAMPLE_S == at // SAMPLE_S
    if same_slot and samples[-1][1] == value:
        return None
    head = samples[:-1] if same_slot else samples
    cut = at - SAMPLES_KEPT_S - SAMPLE_S  # keep one slot before the day: the value a day's chart starts from
    if head and head[0][0] < cut:
        head = tuple(x for x in head if x[0] >= cut)
    return head + ((at, value),)


def gauge_read(s: State, station_id: str, at: float, level: float) -> Changed:
    """Keep a station's reading as its slot's sample."""
    new = sampled(s.gauge_samples.get(station_id, ()), at, level)
    if new is None:
        return set()
    s.gauge_samples[station_id] = new
    return {"chart:gauges"}


def hall_moved(s: State, hall_id: str, at: float, waiting: int) -> Changed:
    """Keep a hall's queue length after a ticket event as its slot's sample."""
    new = sampled(s.hall_samples.get(hall_id, ()), at, waiting)
    if new is None:
        return set()
    s.hall_samples[hall_id] = new
    return {"chart:halls"}


# ---- reading the series for a window (the views call these with the local day and now) ----


def hourly(buckets: dict[tuple[float, str], int], start: float, now: float) -> dict[str, Any]:
    """Return reports per hour by source: today's hours up to now, and the same 24 hours of yesterday."""
    stacks = (*CHART_SOURCES, OTHER)
    hours_done = min(24, int((now - start) // HOUR_S) + 1) if now >= start else 0

    def day(first: float, count: int) -> dict[str, list[int]]:
        return {src: [buckets.get((first + h * HOUR_S, src), 0) for h in range(count)] for src in stacks}

    return {
        "sources": list(stacks),
        "start": start,
        "today": day(start, hours_done),
        "yesterday": day(start - 24 * HOUR_S, 24),
    }


def gauge_line(samples: Iterable[Sample], now: float) -> dict[str, list[Any]]:
    """Return a station's samples of the last 24 hours as x/y, with None where it fell silent."""
    t: list[float | None] = []
    y: list[float | None] = []
    last = None
    for at, value in samples:
        if not now - SAMPLES_KEPT_S <= at <= now:
            continue
        if last is not None and at - last > GAP_S:
            t.append(None)
            y.append(None)
        t.append(at)
        y.append(value)
        last = at
    return {"t": t, "level": y}


def slots(samples: Iterable[Sample], start: float, now: float) -> list[float | None]:
    """Return a hall's queue at the end of each 10-minute slot of the day [start, now] (the last one: now), held
    between samples; None before the first sample known. The day starts empty: a sample from before start counts 0
    (a ticket from an earlier day is not waiting, domain.halls.waiting)."""
    count = max(0, int((now - start) // SAMPLE_S) + 1)
    out: list[float | None] = [None] * count
    ordered = list(samples)
    i, value = 0, None
    for n in range(count):
        end = start + (n + 1) * SAMPLE_S
        while i < len(ordered) and ordered[i][0] < end and ordered[i][0] <= now:
            value = ordered[i][1] if ordered[i][0] >= start else 0
            i += 1
        out[n] = value
    return out


def categories(state: State, start: float, end: float, now: float, top: int = TOP_CATEGORIES) -> list[dict[str, Any]]:
    """Return the day's figures per category (kpi's definitions, counted by category), the busiest first."""
    # kpi's own counting, each category a one-bucket tally: the same definition as the district's figures.
    per: dict[str, kpi._ByTownship] = {}
    for inc in kpi._relevant(state.changed_since(start), start):
        bucket = per.get(inc.category)
        if bucket is None:
            bucket = per[inc.category] = kpi._ByTownship({None: kpi.Figures()})
        if inc.is_open:
            kpi._now_counts(bucket, inc, now)
        kpi._day_counts(bucket, inc, start, end, now)
    rows = [
        {"code": code, **_picked(b[None].as_dict())} for code, b in per.items() if b[None].received or b[None].ordered
    ]
    rows.sort(
        key=lambda r: (
            -r["received"],
            -r["ordered"],
            list(CATEGORIES).index(r["code"]) if r["code"] in CATEGORIES else 99,
        )
    )
    return rows[:top]


def _picked(f: dict[str, Any]) -> dict[str, Any]:
    return {k: f[k] for k in ("received", "ordered", "on_time", "late", "on_time_rate", "open")}
