"""Benchmark: rebuild any moment of a 50,000-event day, and build the day's report, against a full replay from seq 0.

`python bench/replay.py --start [N ...]` (default 200,000 and 1,000,000 events): start-up of the store on a log of
N events at about 2,000 incidents a day, each start in a process of its own for its peak memory: a full replay
keeping every incident (as before the retention: the baseline), a full replay archiving closed incidents, and the
newest snapshot (taken 10,000 events before the end) plus the log after it; and a year estimated from them
(`--start 8760000` measures one: about 25 minutes and 4 GB).
"""

from __future__ import annotations

import argparse
import atexit
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as `python bench/replay.py` from anywhere

from application.bootstrap import boundaries_of, district_of  # noqa: E402
from application.replay import Replayer  # noqa: E402
from application.report_files import render  # noqa: E402
from application.reports import Reports  # noqa: E402
from config import Settings  # noqa: E402
from domain import events as ev  # noqa: E402
from domain.catalog import CATEGORIES  # noqa: E402
from domain.replay import moment  # noqa: E402
from domain.sla import SlaPolicy  # noqa: E402
from domain.state import RETENTION_S  # noqa: E402
from store.log import EventLog, make_engine  # noqa: E402
from store.store import Store  # noqa: E402
from web import views  # noqa: E402

N_EVENTS = 50_000
DAY = date(2026, 11, 18)
UTC_OFFSET_H = 8.0
MOMENTS = 12
BATCH = 500
T = TypeVar("T")
# Each step's time after the one before (s): mostly within the 1/2/3/10 promise, a few late, as a real day.
STEPS = (
    ("sign", ev.OrderSigned, 5, 64),
    ("respond", ev.OrderResponded, 5, 60),
    ("route", ev.OrderRouted, 5, 58),
    ("on_site", ev.TeamOnSite, 30, 430),
    ("resolve", ev.OrderResolved, 60, 1200),
)


def incident_events(
    rng: random.Random, district, policy: SlaPolicy, n: int, at: float, closed: bool = True
) -> list[ev.Event]:
    """One incident's life, as the rooms would work it: reported, ordered, four steps, resolved, called back, closed
    (or, not closed, left at a random step)."""
    town = rng.choice(sorted(district.townships))
    team = rng.choice([t for t in district.teams.values() if t.township == town])
    cat = rng.choice(sorted(CATEGORIES))
    iid, oid = f"B{n:06d}", f"B{n:06d}-1"
    out: list[ev.Event] = [
        ev.IncidentReported(
            event_id=f"rep:{iid}",
            at=at,
            incident_id=iid,
            source=rng.choices(("12345", "110", "grid", "security"), (50, 25, 22, 3))[0],
            source_id=f"bench-{n}",
            category=cat,
            township=town,
            lon=team.lon,
            lat=team.lat,
            priority=CATEGORIES[cat].priority,
            summary="基准事件",
            address="人民路1号",
            reported_at=at,
        )
    ]
    at += rng.uniform(10, 200)
    out.append(
        ev.OrderIssued(
            event_id=f"ord:{iid}",
            at=at,
            incident_id=iid,
            order_id=oid,
            actor="bench",
            team_id=team.id,
            township=town,
            deadlines=policy.deadlines(cat, at),
        )
    )
    for step, cls, low, high in STEPS if closed else STEPS[: rng.randrange(len(STEPS))]:
        at += rng.uniform(low, high)
        out.append(
            cls(
                event_id=f"{step}:{iid}",
                at=at,
                incident_id=iid,
                order_id=oid,
                actor="bench",
                note="已处理" if step == "resolve" else "",
            )
        )
    if not closed:
        return out
    at += rng.uniform(60, 900)
    out.append(
        ev.FeedbackRecorded(
            event_id=f"fb:{iid}",
            at=at,
            incident_id=iid,
            order_id=oid,
            actor="bench",
            result=rng.choice(("satisfied", "satisfied", "unreached")),
        )
    )
    out.append(ev.IncidentClosed(event_id=f"close:{iid}", at=at + 5, incident_id=iid, order_id=oid, actor="bench"))
    return out


def day_of_events(district, start: float, n: int) -> list[ev.Event]:
    """About n events over the day: incidents' lives, hall tickets and gauge readings, in time order."""
    rng, policy, out, i = random.Random(13), SlaPolicy(), list[ev.Event](), 0
    halls, stations = sorted(district.halls), sorted(district.stations)
    while len(out) < n:
        at = start + rng.uniform(0, 86400 - 4000)
        out += incident_events(rng, district, policy, i, at)
        out.append(
            ev.HallTicketRecorded(
                event_id=f"hall:{i}", at=at, hall_id=rng.choice(halls), action="issued", ticket=f"A{i}"
            )
        )
        out.append(
            ev.StationReadingRecorded(
                event_id=f"hyd:{i}", at=at, station_id=rng.choice(stations), level=rng.uniform(1, 3)
            )
        )
        i += 1
    return sorted(out[:n], key=lambda e: e.at)


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def scratch_dir(prefix: str) -> Path:
    """Return a new temporary directory, removed when the benchmark exits (a year's log takes gigabytes)."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, True)
    return Path(path)


def main() -> None:
    settings = Settings(data_dir=scratch_dir("bench-replay-"), simulator=False)
    district = district_of(settings, boundaries_of(settings))
    log = EventLog(make_engine(settings.db_url))
    store = Store(log, district)
    start = Reports(None, time.time, UTC_OFFSET_H, settings.data_dir).day_start(DAY)  # type: ignore[arg-type]
    made = day_of_events(district, start, N_EVENTS)
    load_s, _ = timed(lambda: [store.append(made[i : i + BATCH]) for i in range(0, len(made), BATCH)])
    moments = sorted(random.Random(5).uniform(start, start + 86400) for _ in range(MOMENTS))

    def full(t: float) -> float:  # the baseline: fold the log from seq 0, no checkpoints
        return timed(lambda: views.snapshot(moment(district, log.read(), t), t, UTC_OFFSET_H, "all"))[0]

    replayer = Replayer(log, district)
    cold_s, _ = timed(lambda: replayer.extend())
    fast = [timed(lambda: views.snapshot(replayer.at(t), t, UTC_OFFSET_H, "all"))[0] for t in moments]  # called now
    slow = [full(t) for t in moments]
    reports = Reports(replayer, lambda: start + 86400 + 3600, UTC_OFFSET_H, settings.data_dir)
    json_s, data = timed(lambda: reports.daily(DAY))
    files = {fmt: timed(lambda: render(data, district, fmt, "zh"))[0] for fmt in ("pdf", "xlsx", "csv")}
    print(f"events in the day                        {len(made):>10,}  (SQLite, appended in {load_s:.1f} s)")
    print(f"checkpoints built once (whole log)       {cold_s:>10.2f} s   every {replayer.every} events")
    print(f"moment with checkpoints, {MOMENTS} random     p50 {statistics.median(fast):.3f} s   max {max(fast):.3f} s")
    print(f"baseline: full replay from seq 0         p50 {statistics.median(slow):.3f} s   max {max(slow):.3f} s")
    print(f"ratio baseline / checkpoints (p50)       {statistics.median(slow) / statistics.median(fast):>10.1f}x")
    print(f"report json (replay + figures)           {json_s:>10.2f} s   {len(data['breaches'])} breaches")
    for fmt, s in files.items():
        print(f"report {fmt:<4} (render)                    {s:>10.2f} s")
    total = json_s + sum(files.values())
    print(
        f"report, all formats                      {total:>10.2f} s   target < 10 s; moment target < 1 s: "
        f"{'met' if max(fast) < 1 and total < 10 else 'MISSED'}"
    )


PER_DAY = 2000  # incidents a day: a district's year is ~730,000 incidents
OPEN_SHARE = 0.004  # incidents left open for good (never closed): a year leaves a few thousand, as a real one might
TAIL = 10_000  # events after the newest snapshot (the web process takes one every 20,000 events or 10 minutes)
YEAR_EVENTS = 365 * PER_DAY * 12  # 12 events: an incident's life, a hall ticket issued and served, a reading


def days_of_events(district, first_day: float, n: int) -> Iterator[list[ev.Event]]:
    """Yield about n events, a day's worth at a time in time order: PER_DAY incidents' lives, tickets, readings."""
    rng, policy, carry, made, i, day = random.Random(17), SlaPolicy(), list[ev.Event](), 0, 0, first_day
    halls, stations = sorted(district.halls), sorted(district.stations)
    while made < n:
        out = carry
        for _ in range(PER_DAY):
            at = day + rng.uniform(0, 86400)
            out += incident_events(rng, district, policy, i, at, closed=rng.random() > OPEN_SHARE)
            hall = rng.choice(halls)  # a ticket issued and served later: a hall's queue is what waits now
            out.append(
                ev.HallTicketRecorded(event_id=f"hall:{i}", at=at, hall_id=hall, action="issued", ticket=f"A{i}")
            )
            out.append(
                ev.HallTicketRecorded(
                    event_id=f"hall:{i}:served",
                    at=at + rng.uniform(60, 1800),
                    hall_id=hall,
                    action="served",
                    ticket=f"A{i}",
                )
            )
            out.append(
                ev.StationReadingRecorded(
                    event_id=f"hyd:{i}", at=at, station_id=rng.choice(stations), level=rng.uniform(1, 3)
                )
            )
            i += 1
        out.sort(key=lambda e: e.at)
        day += 86400
        cut = next((k for k, e in enumerate(out) if e.at >= day), len(out))
        batch, carry = out[:cut][: n - made], out[cut:]
        made += len(batch)
        yield batch


def _child(mode: str, db_url: str) -> None:
    """Start one store as the web process would and print its start time and memory (run in its own process)."""
    settings = Settings(data_dir=scratch_dir("bench-child-"), simulator=False)
    district = district_of(settings, boundaries_of(settings))
    log = EventLog(make_engine(db_url))
    log.last_seq()
    base = _rss("VmRSS")  # the district's fixtures and the libraries are there whatever the log
    t0 = time.perf_counter()
    if mode == "take":
        Store(log, district).take_snapshot(time.time())
        store = Store(log, district, snapshots=False)
    else:
        store = Store(
            log, district, snapshots=mode == "snapshot", retention_s=float("inf") if mode == "keep-all" else RETENTION_S
        )
    took = time.perf_counter() - t0
    print(
        took,
        _rss("VmHWM") - base,
        *store.read(lambda state: (len(state.incidents), len(state.open_ids))),
        store.started_from,
        *store.read(_per_tick_ms),
    )


def _per_tick_ms(state) -> tuple[float, float]:
    """Return the ms of what runs every second or delta (SLA tick and escalations, then the day's figures): with the
    indexes, and walking every incident in memory as before them."""
    from domain.dispatch import breaches
    from domain.kpi import day_figures
    from domain.lifecycle import escalations

    now, policy = state.last_event_at, SlaPolicy()

    def work() -> float:
        return (
            timed(
                lambda: (
                    breaches(state, now),
                    escalations(state, policy, now),
                    day_figures(state, now - 86400, now, now),
                )
            )[0]
            * 1000
        )

    indexed = statistics.median(work() for _ in range(9))
    state.open_incidents = lambda: [i for i in state.incidents.values() if i.is_open]  # as before the indexes
    state.changed_since = lambda t: list(state.incidents.values())
    return indexed, statistics.median(work() for _ in range(9))


def _rss(field: str) -> float:
    """Return this process's resident memory (VmRSS) or its peak (VmHWM) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _run_child(mode: str, db_url: str) -> tuple[float, float, int, int, int, float, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, db_url], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]), int(out[3]), int(out[4]), float(out[5]), float(out[6])


def start_up(sizes: list[int]) -> None:
    """Time the store's start on logs of each size: keep-all replay, archiving replay, snapshot + tail."""
    settings = Settings(data_dir=scratch_dir("bench-start-"), simulator=False)
    district = district_of(settings, boundaries_of(settings))
    first_day = Reports(None, time.time, UTC_OFFSET_H, settings.data_dir).day_start(DAY)  # type: ignore[arg-type]
    print(
        f"{'events':>10} {'start':<34} {'seconds':>8} {'peak MB':>8} {'in memory':>10} {'open':>6} "
        f"{'x time':>7} {'x MB':>6}   (peak MB: above the process's own; tick: SLA check, "
        f"escalations and the day's figures, p50)"
    )
    per_event: dict[str, float] = {}
    keep_mb_per_event = 0.0
    for n in sizes:
        url = f"sqlite:///{settings.data_dir / f'log-{n}.sqlite3'}"
        log, t0 = EventLog(make_engine(url)), time.perf_counter()
        written, held = 0, []  # a day at a time, so a year's log is written without holding it all
        for day in days_of_events(district, first_day, n):
            held += day
            cut = len(held) - TAIL  # the newest TAIL events wait: they come after the snapshot
            for i in range(0, max(cut, 0), 5000):
                log.append(held[i : min(i + 5000, cut)])
            written, held = written + max(cut, 0), held[max(cut, 0) :]
        _run_child("take", url)
        log.append(held)
        written += len(held)
        print(f"{written:>10,} log of {written / (PER_DAY * 12):.0f} days written in {time.perf_counter() - t0:.0f} s")
        del held
        rows = {mode: _run_child(mode, url) for mode in ("keep-all", "full", "snapshot")}
        base_s, base_mb = rows["keep-all"][0], rows["keep-all"][1]
        names = {
            "keep-all": "full replay, every incident kept",
            "full": "full replay, closed archived",
            "snapshot": "snapshot + 10,000-event tail",
        }
        for mode, (secs, mb, kept, open_, since, tick, walked) in rows.items():
            assert (since > 0) == (mode == "snapshot"), "the snapshot start should start from the snapshot"
            print(
                f"{n:>10,} {names[mode]:<34} {secs:>8.2f} {mb:>8.0f} {kept:>10,} {open_:>6,} "
                f"{base_s / secs:>6.1f}x {base_mb / max(mb, 1):>5.1f}x   tick {tick:.1f} ms "
                f"(walking all: {walked:.1f} ms, {walked / tick:.0f}x)"
            )
        per_event = {m: r[0] / n for m, r in rows.items()}
        keep_mb_per_event = rows["keep-all"][1] / n
        snap_s, snap_mb = rows["snapshot"][0], rows["snapshot"][1]
    full_year, keep_mb = per_event["full"] * YEAR_EVENTS, keep_mb_per_event * YEAR_EVENTS
    how = "measured" if sizes[-1] >= YEAR_EVENTS else "estimated from the last size"
    print(
        f"a year (~{YEAR_EVENTS / 1e6:.1f} M events, {365 * PER_DAY:,} incidents), {how}: "
        f"a full replay ~{full_year:.0f} s (linear in the log; keeping every incident also ~{keep_mb:,.0f} MB); "
        f"snapshot start ~{snap_s:.1f} s and ~{snap_mb:.0f} MB (the state holds the open incidents and 8 days, "
        f"whatever the log's length, plus a tail of at most 20,000 events); target <= 10 s: "
        f"{'met' if snap_s <= 10 else 'MISSED'}"
    )


if __name__ == "__main__":
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--start", nargs="*", type=int, help="start-up on logs of these sizes (default 200000 1000000)")
    cli.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = cli.parse_args()
    if args.child:
        _child(*args.child)
    elif args.start is not None:
        start_up(args.start or [200_000, 1_000_000])
    else:
        main()
