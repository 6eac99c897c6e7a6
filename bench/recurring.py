"""Benchmark: what the recurring problems' book (domain/recurbook.py) costs the fold, and what it holds.

`python bench/recurring.py` folds bench/replay.py's day of events (50,000: about 4,500 incidents, each reported at its
team's base, so a few dozen places take every report: the book's worst case) into a fresh projection, with the book
and without it (the same fold table, the book's wrappers taken off), in interleaved rounds; it prints the median
time of each, the cost per report, and the book's size. `--spread M` scatters each report up to M metres from its
team's base (a district's reports are spread: most groups hold one report). `--days N` folds N such days for the
book's size after them (memory: its pickled bytes and its entries).
"""

from __future__ import annotations

import argparse
import gc
import math
import pickle
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as `python bench/recurring.py` from anywhere

from application.bootstrap import boundaries_of, district_of  # noqa: E402
from bench.replay import N_EVENTS, day_of_events  # noqa: E402
from config import Settings  # noqa: E402
from domain import events as ev  # noqa: E402
from domain import projection, recurbook  # noqa: E402
from domain.recurgrid import M_PER_DEGREE  # noqa: E402

BOOK = ("recur_reports", "recur_groups", "recur_cells", "recur_callers", "recur_shown")
DAY_S = 86400.0


def spread(events: list[ev.Event], metres: float) -> list[ev.Event]:
    """Return the events with each report moved up to `metres` from where it was, at random (seeded)."""
    if not metres:
        return events
    rng, out = random.Random(7), []
    for e in events:
        if isinstance(e, ev.IncidentReported):
            r, a = metres * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
            dlat = r * math.cos(a) / M_PER_DEGREE
            dlon = r * math.sin(a) / (M_PER_DEGREE * math.cos(math.radians(e.lat)))
            e = replace(e, lon=e.lon + dlon, lat=e.lat + dlat)
        out.append(e)
    return out


def fold_s(district, events: list[ev.Event], table) -> tuple[float, projection.Projection]:
    """Fold the events into a fresh projection with a fold table; return the seconds it took and the state."""
    projection.FOLDS = table
    state = projection.Projection(district)
    gc.collect()
    t0 = time.process_time()  # this process's CPU time: other work on a shared machine does not count in it
    for seq, e in enumerate(events, 1):
        state.apply(e, seq)
    return time.process_time() - t0, state


def without_book(table):
    """Return the fold table with the book's wrappers taken off (each keeps the fold it wraps)."""
    return {cls: recurbook.WRAPPED.get(fold, fold) for cls, fold in table.items()}


def shifted(events: list[ev.Event], days: int) -> list[ev.Event]:
    """Return the day's events `days` days later, with ids of that day (so the days do not repeat one another)."""
    suffix, dt = f"~{days}", days * DAY_S
    return [
        replace(
            e,
            event_id=e.event_id + suffix,
            at=e.at + dt,
            **({"incident_id": e.incident_id + suffix} if hasattr(e, "incident_id") else {}),
        )
        for e in events
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description="The recurring problems' book: its cost on the fold and its size.")
    ap.add_argument("--rounds", type=int, default=7, help="interleaved rounds of each fold (default 7)")
    ap.add_argument("--spread", type=float, default=0.0, help="scatter each report up to M metres (default 0)")
    ap.add_argument("--days", type=int, default=1, help="days folded for the book's size (default 1)")
    args = ap.parse_args()
    settings = Settings(simulator=False)
    district = district_of(settings, boundaries_of(settings))
    start = 1_795_000_000.0 // DAY_S * DAY_S
    events = spread(day_of_events(district, start, N_EVENTS), args.spread)
    reports = sum(isinstance(e, ev.IncidentReported) for e in events)
    full = projection.FOLDS
    plain = without_book(full)
    timings: dict[str, list[float]] = {"without": [], "with": []}
    for _ in range(args.rounds):
        for name, table in (("without", plain), ("with", full)):
            timings[name].append(fold_s(district, events, table)[0])
    projection.FOLDS = full
    a, b = statistics.median(timings["without"]), statistics.median(timings["with"])
    print(f"events folded          {len(events):>10,}   reports {reports:,}   spread {args.spread:g} m")
    print(f"fold without the book  {a:>10.3f} s CPU   ({min(timings['without']):.3f}-{max(timings['without']):.3f})")
    print(f"fold with the book     {b:>10.3f} s CPU   ({min(timings['with']):.3f}-{max(timings['with']):.3f})")
    print(
        f"the book's cost        {b - a:>10.3f} s   {(b - a) / reports * 1e6:.1f} µs a report, {(b / a - 1) * 100:.1f} %"
    )
    days = [e for d in range(args.days) for e in (events if d == 0 else shifted(events, d))]
    state = fold_s(district, days, full)[1]
    size = len(pickle.dumps({f: getattr(state, f) for f in BOOK}, protocol=pickle.HIGHEST_PROTOCOL))
    counts = ", ".join(f"{f} {len(getattr(state, f)):,}" for f in BOOK)
    print(f"book after {args.days} day(s)    {size / 1e6:>10.2f} MB pickled   {counts}")


if __name__ == "__main__":
    main()
