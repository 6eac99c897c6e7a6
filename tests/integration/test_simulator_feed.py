"""The demo feed: seedable, believable, and its occasional broken record is dead-lettered, not lost."""

from __future__ import annotations

from collections import Counter

from geo.locate import Locator
from store.log import EventLog, make_engine
from store.store import Store
from streams.ingest import Ingestor
from streams.simulator import Simulator
from tests.conftest import T0


def feed(district, boundaries, seed: int, minutes: int = 30, malformed: float = 0.005) -> list[dict]:
    sim = Simulator(district, Locator(boundaries).assign, rate_per_min=60, seed=seed, malformed_share=malformed)
    sim.tick(T0)
    return [r for m in range(1, minutes + 1) for r in sim.tick(T0 + 60 * m)]  # faster than real time


def test_the_same_seed_gives_the_same_feed_and_another_seed_another(district, boundaries):
    assert feed(district, boundaries, 1) == feed(district, boundaries, 1)
    assert feed(district, boundaries, 1) != feed(district, boundaries, 2)


def test_the_feed_mixes_sources_categories_stations_and_halls(tmp_path, district, boundaries, clock):
    records = feed(district, boundaries, 3, malformed=0)
    sources = Counter(r["source"] for r in records)
    assert {"110", "12345", "grid", "hydrology"} <= set(sources) and sources["12345"] > sources["110"]
    clock.now = T0 + 1800
    store = Store(EventLog(make_engine(f"sqlite:///{tmp_path / 'x.db'}")), district)
    Ingestor(store, Locator(boundaries), clock).ingest(records)
    assert store.read(lambda state: len({i.category for i in state.incidents.values()})) >= 12


def test_every_simulated_record_is_taken_or_dead_lettered_with_its_reason(tmp_path, district, boundaries, clock):
    clock.now = T0 + 1800
    store = Store(EventLog(make_engine(f"sqlite:///{tmp_path / 'x.db'}")), district)
    records = feed(district, boundaries, 4, malformed=0.2)
    results = Ingestor(store, Locator(boundaries), clock).ingest(records)
    statuses = Counter(r.status for r in results)
    assert statuses["rejected"] > 0 and sum(statuses.values()) == len(records)
    assert set(statuses) <= {"accepted", "duplicate", "rejected"}
    assert len(store.log.dead_letters(limit=10_000)) == statuses["rejected"]
    assert all(d["reason"] and d["raw"] for d in store.log.dead_letters(limit=10_000))


def test_the_first_tick_starts_the_clock_and_the_next_ones_give_what_came_since(district, boundaries):
    sim = Simulator(district, Locator(boundaries).assign, rate_per_min=60, seed=5)
    assert sim.tick(T0) == [] and sim.tick(T0) == []  # the clock has not moved: nothing is due
    later = [r for r in sim.tick(T0 + 3600) if r["source"] in ("110", "12345", "grid")]
    assert len(later) > 20


def test_the_recent_past_reaches_back_further_at_night_for_the_same_number_of_reports():
    from streams.simulator import warmup_span

    day = warmup_span(T0 - T0 % 86400 + 2 * 3600, 1.5, 90, 8.0)  # 10:00 in a district at UTC+8
    night = warmup_span(T0 - T0 % 86400 + 19 * 3600, 1.5, 90, 8.0)  # 03:00
    assert 1800 <= day <= 3600 and night > 3 * day
    assert warmup_span(T0 - T0 % 86400 + 10 * 3600, 1.5, 90, -7.0) == night  # 03:00 in a district at UTC-7


def test_an_empty_demo_district_opens_with_its_recent_past_received_and_worked_at_their_own_times(tmp_path, clock):
    from app import create_app
    from config import Settings

    onemap = create_app(Settings(data_dir=tmp_path, simulator_rate_per_min=1.5, history_days=0), clock=clock)
    onemap.warmup()
    incidents = onemap.services.store.read(lambda state: list(state.incidents.values()))
    received = sorted(i.received_at for i in incidents)
    assert 60 <= len(incidents) <= 130 and received[-1] <= clock.now
    assert received[-1] - received[0] > 1200 and len(set(received)) > len(received) // 2  # spread, not one instant
    ordered = [
        (i.received_at, (i.history + ((i.order,) if i.order else ()))[0].issued_at)
        for i in incidents
        if i.order or i.history
    ]
    assert len(ordered) > len(incidents) // 2  # the other rooms worked most of it, as they went
    assert all(received_at < issued_at < clock.now for received_at, issued_at in ordered)
    assert onemap.services.clock() == clock.now  # the played past is over: the clock is the real one again


def test_a_district_an_hour_east_of_greenwich_has_its_halls_opened_at_its_own_nine_not_chinas(district, boundaries):
    from dataclasses import replace
    from datetime import datetime, timedelta, timezone

    sim = Simulator(replace(district, utc_offset_h=1.0), Locator(boundaries).assign, rate_per_min=0, seed=1)
    monday = datetime(2026, 11, 16, tzinfo=timezone(timedelta(hours=1))).timestamp()  # its own midnight

    def opened(records: list[dict]) -> set[str]:
        return {r["hall_id"] for r in records if r.get("action") == "window_opened"}

    sim.tick(monday + 8 * 3600)
    assert not opened(sim.tick(monday + 8.5 * 3600))  # 08:30 there, 15:30 in China
    assert opened(sim.tick(monday + 9.25 * 3600)) == {h.id for h in district.halls.values() if h.hours}


def test_an_empty_demo_district_first_writes_its_past_then_plays_its_recent_hours_in_time_order(tmp_path, clock):
    from app import create_app
    from config import Settings
    from domain.assessment import Books, assess
    from domain.periods import period
    from domain.scoring import AssessmentPolicy

    onemap = create_app(Settings(data_dir=tmp_path, simulator_rate_per_min=1.5, history_days=3), clock=clock)
    onemap.warmup()
    store = onemap.services.store
    times = [e.at for _, e in store.log.read(0)]
    assert times == sorted(times) and times[0] < clock.now - 2.5 * 86400 and times[-1] <= clock.now
    books = store.read(lambda state: Books.of(state, clock.now))
    which = period("month", onemap.services.assessments.today())
    scored = [r for r in assess(books, which, AssessmentPolicy())["townships"] if r["score"] is not None]
    assert len(scored) == len(onemap.services.district.townships)  # three days of past: every township judged
    again = create_app(Settings(data_dir=tmp_path, simulator_rate_per_min=1.5, history_days=3), clock=clock)
    assert again.warmup is None  # not empty: no second past
