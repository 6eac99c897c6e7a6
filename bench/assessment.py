"""Benchmark: the townships' assessment and its trend read from the ledger, against the same figures from a full scan.

`python bench/assessment.py [--days 365] [--rounds 5]`: generates a year of the demo district's past (about 2,000
incidents a day with their lives, plus hall tickets and gauge readings: 24,000 events a day, 8.76 M in a year) and
folds it into a projection that keeps every incident (so the scan has them all; the ledger is the same either way).
Then, in interleaved rounds, it times (1) a month's assessment, (2) the year's assessment and its twelve months'
trend, each from the ledger as a page reads it (a settled copy under the store's lock, then the figures), and
(3) the same figures from a full scan of every incident (each incident's part summed, the baseline); and (4) the
recurring problems at the log's end read from the folds' book against the same placed again from every report of
the log (the scan); it checks the answers are equal and prints the medians, their range and the ratio. The fold's
own time is printed too.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as `python bench/assessment.py` from anywhere

from application.bootstrap import boundaries_of, district_of  # noqa: E402
from application.history import History  # noqa: E402
from config import Settings  # noqa: E402
from domain import events as ev  # noqa: E402
from domain import ledger, recurbook, recurring  # noqa: E402
from domain.assessment import Books, assess, trend  # noqa: E402
from domain.periods import Period, period  # noqa: E402
from domain.projection import Projection  # noqa: E402
from domain.scoring import AssessmentPolicy  # noqa: E402
from domain.sla import SlaPolicy  # noqa: E402

PER_DAY = 2000  # incidents a day: a district's year is ~730,000 incidents
SIDE_EVENTS = 7000  # hall tickets (issued, served) and gauge readings a day: 24,000 events a day with the lives
LAST_DAY = date(2026, 11, 30)
POLICY = AssessmentPolicy()


def year_of_events(district: Any, days: int) -> Iterator[list[ev.Event]]:
    """Yield the past day by day: the demo history's lives with the halls' tickets and the stations' readings."""
    rng = random.Random(3)
    points = {
        t.id: [(t.lon + rng.gauss(0, 0.01), t.lat + rng.gauss(0, 0.01)) for _ in range(200)]
        for t in district.townships.values()
    }
    history = History(district, points, SlaPolicy(), PER_DAY)
    first = LAST_DAY - timedelta(days=days - 1)
    until = datetime(LAST_DAY.year, LAST_DAY.month, LAST_DAY.day, tzinfo=history.zone).timestamp() + 86400
    halls, stations, n = sorted(district.halls), sorted(district.stations), 0
    for batch in history.days(first, until):
        if not batch:
            continue
        day0 = batch[0].at // 86400 * 86400
        side: list[ev.Event] = []
        for _ in range(SIDE_EVENTS // 3):
            n, at = n + 1, day0 + rng.uniform(0, 86400)
            side.append(ev.HallTicketRecorded(f"hall:{n}", at, rng.choice(halls), "issued", f"A{n}"))
            side.append(
                ev.HallTicketRecorded(f"served:{n}", at + rng.uniform(60, 900), rng.choice(halls), "served", f"A{n}")
            )
            side.append(ev.StationReadingRecorded(f"hyd:{n}", at, rng.choice(stations), rng.uniform(1, 3)))
        yield sorted(batch + side, key=lambda e: e.at)


def scan(state: Projection, periods: list[Period]) -> list[dict[str, list[int]]]:
    """The baseline: every incident's part (computed once), summed over each period's days, per township."""
    out: list[dict[str, list[int]]] = [{} for _ in periods]
    spans = [p.days for p in periods]
    for inc in state.incidents.values():
        cells, _ = ledger.contribution(inc, state.touched[inc.id], state.district.utc_offset_h)
        for (day, town, _, i), n in cells.items():
            for k, (first, end) in enumerate(spans):
                if first <= day < end:
                    out[k].setdefault(town, [0] * len(ledger.FIELDS))[i] += n
    return out


def scan_scores(state: Projection, periods: list[Period]) -> list[dict[str, Any]]:
    """Score each period from one scan of every incident, as `assess` and `trend` do from the ledger."""
    from domain.assessment import figures, rank, score

    out = []
    for sums in scan(state, periods):
        rows = [
            {
                "id": t,
                **figures(sums.get(t, [0] * len(ledger.FIELDS))),
                **score(sums.get(t, [0] * len(ledger.FIELDS)), POLICY),
            }
            for t in state.district.townships
        ]
        rank(rows, POLICY.board)
        out.append({r["id"]: (r["score"], r["rank"]) for r in rows})
    return out


def recurring_scan(state: Projection, reports: list[ev.IncidentReported], now: float) -> list[Any]:
    """The baseline of the recurring problems: every report of the log placed again into a fresh book, each given its
    incident's standing, then the problems at now (what a product without the folds' book would do per read)."""
    fresh = Projection(state.district)
    for e in reports:
        recurbook.place(fresh, e)
    for report in list(fresh.recur_reports.values()):
        inc = state.incidents.get(report.id)
        if inc is not None:
            recurbook.restand(fresh, report, inc)
    return _problems(fresh, now)


def _problems(state: Projection, now: float) -> list[Any]:
    """Return the recurring problems at now as comparable rows: group, its reports, how many open."""
    return sorted((p.group.id, tuple(r.id for r in p.reports), p.open) for p in recurring.problems(state, now))


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def months_of(year_end: date) -> list[Period]:
    out = [period("month", year_end)]
    while len(out) < 12:
        out.append(out[-1].before())
    return out[::-1]


def main() -> None:
    args = parse()
    settings = Settings(simulator=False)
    district = district_of(settings, boundaries_of(settings))
    state = Projection(district)
    state.retention_s = float("inf")  # the scan needs every incident; the ledger is the same with the retention
    fold_s, seq, reports = 0.0, 0, list[ev.IncidentReported]()
    for batch in year_of_events(district, args.days):
        t0 = time.perf_counter()
        for e in batch:
            seq += 1
            state.apply(e, seq)
        fold_s += time.perf_counter() - t0
        reports += (e for e in batch if isinstance(e, ev.IncidentReported))
    now = state.last_event_at
    month, year, months = period("month", LAST_DAY), period("year", LAST_DAY), months_of(LAST_DAY)

    def ledger_month() -> Any:
        return assess(Books.of(state), month, POLICY)

    def ledger_year() -> Any:
        books = Books.of(state)
        return assess(books, year, POLICY), trend(books, months, POLICY)

    rounds: dict[str, list[float]] = {
        k: [] for k in ("month", "year", "scan month", "scan year", "recurring", "scan recurring")
    }
    answers: dict[str, Any] = {}
    for _ in range(args.rounds):  # interleaved: each side sees the same machine in each round
        for name, fn in (
            ("month", ledger_month),
            ("scan month", lambda: scan_scores(state, [month])),
            ("year", ledger_year),
            ("scan year", lambda: scan_scores(state, [year, *months])),
            ("recurring", lambda: _problems(state, now)),
            ("scan recurring", lambda: recurring_scan(state, reports, now)),
        ):
            s, answers[name] = timed(fn)
            rounds[name].append(s)
    same = _same(answers, month, year, months)
    incidents = len(state.incidents)
    print(f"log: {seq:,} events over {args.days} days, {incidents:,} incidents; folded in {fold_s:.0f} s "
          f"({fold_s / seq * 1e6:.1f} µs an event); ledger {len(state.ledger):,} keys")  # fmt: skip
    for side, base, book in (("month", "scan month", "ledger"), ("year", "scan year", "ledger"),
                             ("recurring", "scan recurring", "book")):  # fmt: skip
        a, b = rounds[side], rounds[base]
        ratio = statistics.median(b) / statistics.median(a)
        print(f"{side:<9} from the {book:<6} {_ms(a)}   full scan {_ms(b)}   scan / {book} {ratio:.0f}x")
    print(f"year = the year's assessment and its 12 months' trend; {args.rounds} interleaved rounds, median (min-max)")
    print(f"same answers (scores and ranks of every township, every period): {'yes' if same else 'NO'}")
    problems = answers["recurring"]
    print(f"recurring problems at the log's end: {len(problems):,} from the book, the same from the scan: "
          f"{'yes' if problems == answers['scan recurring'] else 'NO'} (groups, their reports, how many open)")  # fmt: skip


def _same(answers: dict[str, Any], month: Period, year: Period, months: list[Period]) -> bool:
    got_month = {r["id"]: (r["score"], r["rank"]) for r in answers["month"]["townships"]}
    year_cards, months_trend = answers["year"]
    got_year = [{r["id"]: (r["score"], r["rank"]) for r in year_cards["townships"]}]
    got_year += [{t: (v["score"], v["rank"]) for t, v in r["townships"].items()} for r in months_trend]
    return [got_month] == answers["scan month"] and got_year == answers["scan year"]


def _ms(xs: list[float]) -> str:
    return f"{statistics.median(xs) * 1000:8.1f} ms ({min(xs) * 1000:.1f}-{max(xs) * 1000:.1f})"


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--days", type=int, default=365, help="days of log ending 2026-11-30 (default %(default)s)")
    p.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default %(default)s)")
    return p.parse_args()


if __name__ == "__main__":
    main()
