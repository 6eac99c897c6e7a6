"""Sources through the one ingest path: flood incidents with hysteresis, alerts that expire, every source taken."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams import feeds
from streams.simulator import Simulator
from tests.support import T0
from tests.unit.test_sources_hostile import GOOD, hostile  # the same hostile values as the adapter tests


def test_readings_hovering_on_a_line_within_one_batch_open_one_flood_incident(ingestor, store, district):
    station = next(iter(district.stations.values()))
    w = station.warning_level
    readings = [
        {
            "source": "hydrology",
            "source_id": f"R{i}",
            "station_id": station.id,
            "level": w + (0.02 if i % 2 else -0.02),
            "observed_at": T0 - 600 + i,
        }
        for i in range(40)
    ]
    ingestor.ingest(readings[:20])
    ingestor.ingest(readings[20:] + readings[:5])  # later readings, and a redelivered stretch
    floods = store.read(lambda state: [i for i in state.incidents.values() if i.category == "flood_risk"])
    assert len(floods) == 1 and floods[0].township == station.township
    assert store.read(lambda state: state.flood[station.id].stage) == 1


def test_a_cap_alert_is_on_the_map_until_it_expires_and_a_cancel_removes_its_target(ingestor, store, clock):
    ingestor.ingest(
        [
            feeds.cap_alert("W-1", 120.15, 30.25, T0, "暴雨", expires_in_s=600),
            feeds.cap_alert("W-2", 120.15, 30.25, T0, "大风"),
        ]
    )
    assert store.read(lambda state: set(state.alerts)) == {"W-1", "W-2"}
    ingestor.ingest([feeds.cap_alert("W-3", 120.15, 30.25, T0, "解除", "Cancel", "weather@district.example,W-2,x")])
    assert store.read(lambda state: set(state.alerts)) == {"W-1"}
    clock.advance(601)
    assert ingestor.tick() == 1 and store.read(lambda state: state.alerts) == {}


def test_the_demo_feed_of_every_source_is_taken(ingestor, store, district, boundaries):
    from geo.locate import Locator

    sim = Simulator(district, Locator(boundaries).assign, rate_per_min=200, seed=3, malformed_share=0.02)
    sim.tick(T0 - 1800)
    records = sim.tick(T0)
    results = ingestor.ingest(records)
    by_source = Counter(r["source"] for r, res in zip(records, results) if res.status == "accepted")
    assert {"110", "12345", "grid", "open311", "security", "hydrology", "cap"} <= set(by_source)
    rejected = [res for res in results if res.status == "rejected"]
    assert rejected and all(res.reason for res in rejected)
    assert len(store.log.dead_letters(limit=10_000)) == len(rejected)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(hostile, st.sampled_from(list(GOOD.values()))), min_size=1, max_size=8))
def test_a_batch_of_hostile_records_is_answered_record_by_record(ingestor, store, records):
    results = ingestor.ingest(records)
    assert len(results) == len(records)
    assert all(r.status in ("accepted", "duplicate") or r.reason for r in results)
