"""Benchmark: rebuild any moment of a 50,000-event day, and build the day's report, against a full replay from seq 0."""
from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as `python bench/replay.py` from anywhere

from application.replay import Replayer  # noqa: E402
from application.report_files import render  # noqa: E402
from application.reports import Reports  # noqa: E402
from config import Settings  # noqa: E402
from domain import events as ev  # noqa: E402
from domain.catalog import CATEGORIES, SOURCES  # noqa: E402
from domain.replay import moment  # noqa: E402
from domain.sla import SlaPolicy  # noqa: E402
from streams.wiring import build_district  # noqa: E402
from store.log import EventLog, make_engine  # noqa: E402
from store.store import Store  # noqa: E402
from web import views  # noqa: E402

N_EVENTS = 50_000
DAY = date(2026, 11, 18)
UTC_OFFSET_H = 8.0
MOMENTS = 12
BATCH = 500
# Each step's time after the one before (s): mostly within the 1/2/3/10 promise, a few late, as a real day.
STEPS = (("sign", ev.OrderSigned, 5, 64), ("respond", ev.OrderResponded, 5, 60), ("route", ev.OrderRouted, 5, 58),
         ("on_site", ev.TeamOnSite, 30, 430), ("resolve", ev.OrderResolved, 60, 1200))


def incident_events(rng: random.Random, district, policy: SlaPolicy, n: int, at: float) -> list[ev.Event]:
    """One incident's life, as the rooms would work it: reported, ordered, four steps, resolved, called back, closed."""
    town = rng.choice(sorted(district.townships))
    team = rng.choice([t for t in district.teams.values() if t.township == town])
    cat = rng.choice(sorted(CATEGORIES))
    iid, oid = f"B{n:06d}", f"B{n:06d}-1"
    out: list[ev.Event] = [ev.IncidentReported(
        event_id=f"rep:{iid}", at=at, incident_id=iid, source=rng.choices(("12345", "110", "grid", "security"), (50, 25, 22, 3))[0],
        source_id=f"bench-{n}", category=cat, township=town, lon=team.lon, lat=team.lat,
        priority=CATEGORIES[cat].priority, summary="基准事件", address="人民路1号", reported_at=at)]
    at += rng.uniform(10, 200)
    out.append(ev.OrderIssued(event_id=f"ord:{iid}", at=at, incident_id=iid, order_id=oid, actor="bench",
                              team_id=team.id, township=town, deadlines=policy.deadlines(cat, at)))
    for step, cls, low, high in STEPS:
        at += rng.uniform(low, high)
        out.append(cls(event_id=f"{step}:{iid}", at=at, incident_id=iid, order_id=oid, actor="bench",
                       note="已处理" if step == "resolve" else ""))
    at += rng.uniform(60, 900)
    out.append(ev.FeedbackRecorded(event_id=f"fb:{iid}", at=at, incident_id=iid, order_id=oid, actor="bench",
                                   result=rng.choice(("satisfied", "satisfied", "unreached"))))
    out.append(ev.IncidentClosed(event_id=f"close:{iid}", at=at + 5, incident_id=iid, order_id=oid, actor="bench"))
    return out


def day_of_events(district, start: float, n: int) -> list[ev.Event]:
    """About n events over the day: incidents' lives, hall tickets and gauge readings, in time order."""
    rng, policy, out, i = random.Random(13), SlaPolicy(), [], 0
    halls, stations = sorted(district.halls), sorted(district.stations)
    while len(out) < n:
        at = start + rng.uniform(0, 86400 - 4000)
        out += incident_events(rng, district, policy, i, at)
        out.append(ev.HallTicketRecorded(event_id=f"hall:{i}", at=at, hall_id=rng.choice(halls), action="issued",
                                         ticket=f"A{i}"))
        out.append(ev.StationReadingRecorded(event_id=f"hyd:{i}", at=at, station_id=rng.choice(stations),
                                             level=rng.uniform(1, 3)))
        i += 1
    return sorted(out[:n], key=lambda e: e.at)


def timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> None:
    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="bench-replay-")), simulator=False)
    district, _ = build_district(settings)
    log = EventLog(make_engine(settings.db_url))
    store = Store(log, district)
    start = Reports(None, time.time, UTC_OFFSET_H, settings.data_dir).day_start(DAY)  # type: ignore[arg-type]
    made = day_of_events(district, start, N_EVENTS)
    load_s, _ = timed(lambda: [store.append(made[i:i + BATCH]) for i in range(0, len(made), BATCH)])
    moments = sorted(random.Random(5).uniform(start, start + 86400) for _ in range(MOMENTS))

    def full(t: float) -> float:  # the baseline: fold the log from seq 0, no checkpoints
        return timed(lambda: views.snapshot(moment(district, log.read(), t), t, UTC_OFFSET_H, "all"))[0]

    replayer = Replayer(log, district)
    cold_s, _ = timed(lambda: replayer.extend())
    fast = [timed(lambda t=t: views.snapshot(replayer.at(t), t, UTC_OFFSET_H, "all"))[0] for t in moments]
    slow = [full(t) for t in moments]
    reports = Reports(replayer, lambda: start + 86400 + 3600, UTC_OFFSET_H, settings.data_dir)
    json_s, data = timed(lambda: reports.daily(DAY))
    files = {fmt: timed(lambda f=fmt: render(data, district, f, "zh"))[0] for fmt in ("pdf", "xlsx", "csv")}
    print(f"events in the day                        {len(made):>10,}  (SQLite, appended in {load_s:.1f} s)")
    print(f"checkpoints built once (whole log)       {cold_s:>10.2f} s   every {replayer.every} events")
    print(f"moment with checkpoints, {MOMENTS} random     p50 {statistics.median(fast):.3f} s   max {max(fast):.3f} s")
    print(f"baseline: full replay from seq 0         p50 {statistics.median(slow):.3f} s   max {max(slow):.3f} s")
    print(f"ratio baseline / checkpoints (p50)       {statistics.median(slow) / statistics.median(fast):>10.1f}x")
    print(f"report json (replay + figures)           {json_s:>10.2f} s   {len(data['breaches'])} breaches")
    for fmt, s in files.items():
        print(f"report {fmt:<4} (render)                    {s:>10.2f} s")
    total = json_s + sum(files.values())
    print(f"report, all formats                      {total:>10.2f} s   target < 10 s; moment target < 1 s: "
          f"{'met' if max(fast) < 1 and total < 10 else 'MISSED'}")


if __name__ == "__main__":
    main()
