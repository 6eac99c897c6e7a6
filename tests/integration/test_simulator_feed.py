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
    assert len({i.category for i in store.state.incidents.values()}) >= 12


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


def test_a_warm_up_gives_the_first_tick_the_hour_before_it_and_no_warm_up_gives_nothing(district, boundaries):
    warm = Simulator(district, Locator(boundaries).assign, rate_per_min=60, seed=5, warmup_s=3600)
    cold = Simulator(district, Locator(boundaries).assign, rate_per_min=60, seed=5)
    first = [r for r in warm.tick(T0) if r["source"] in ("110", "12345", "grid")]
    assert len(first) > 100 and cold.tick(T0) == []
    assert warm.tick(T0) == []  # the clock has not moved: nothing more is due
