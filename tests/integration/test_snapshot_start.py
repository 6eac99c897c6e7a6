"""Start-up from a projection snapshot and the log's tail, on SQLite and PostgreSQL; archived incidents read back."""

from __future__ import annotations

import pickle
import zlib
from dataclasses import fields

import pytest
from sqlalchemy import select, update

from config import Settings, secret_key
from domain.kpi import day_figures
from domain.projection import Projection
from domain.replay import fold_until
from store.log import EventLog, make_engine
from store.snapshots import KEEP, MAC_BYTES
from store.store import Store
from store.tables import snapshots
from tests.conftest import T0
from tests.unit.lives import DAY, district_log

DAYS, PER_DAY, BATCH = 11, 40, 400


def as_dict(state: Projection) -> dict:
    return {f.name: getattr(state, f.name) for f in fields(state) if f.name != "district"}


def fill(store: Store, events: list) -> None:
    for i in range(0, len(events), BATCH):
        store.append(events[i : i + BATCH])


@pytest.fixture(scope="module")
def events(district) -> list:
    return district_log(district, DAYS, PER_DAY, T0)


def test_a_store_started_from_a_snapshot_and_the_tail_equals_a_full_replay(engine, district, events):
    first = Store(EventLog(engine), district)
    fill(first, events[: len(events) // 2])
    seq, size = first.take_snapshot(T0)
    assert seq == first.read(lambda state: state.seq) and size > 0
    fill(first, events[len(events) // 2 :])
    started = Store(EventLog(engine), district)
    replayed = Store(EventLog(engine), district, snapshots=False)
    assert started.started_from == seq and replayed.started_from == 0
    assert started.read(as_dict) == replayed.read(as_dict) == first.read(as_dict)
    assert started.read(lambda state: list(state.touched)) == replayed.read(lambda state: list(state.touched))


def test_an_unreadable_or_foreign_snapshot_falls_back_to_an_older_one_or_a_full_replay(engine, district, events):
    store = Store(EventLog(engine), district)
    fill(store, events[:3000])
    older, _ = store.take_snapshot(T0)
    fill(store, events[3000:4000])
    newer, _ = store.take_snapshot(T0 + 1)
    with engine.begin() as conn:
        conn.execute(update(snapshots).where(snapshots.c.seq == newer).values(blob=b"not zlib at all"))
    assert Store(EventLog(engine), district).started_from == older
    with engine.begin() as conn:
        conn.execute(update(snapshots).values(format="v0:from another release"))
    again = Store(EventLog(engine), district)
    assert again.started_from == 0 and again.read(as_dict) == store.read(as_dict)
    other_targets = Store(EventLog(engine), district, {1: 30.0, 2: 180.0, 3: 600.0})
    assert other_targets.started_from == 0  # a snapshot folded with other dispatch targets is not this fold's


UNPICKLED: list[str] = []


def _planted() -> dict:
    """What a pickle planted in the database would run when unpickled (here: only noted)."""
    UNPICKLED.append("ran")
    return {}


class _Planted:
    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (_planted, ())


def test_a_snapshot_not_signed_with_the_installations_secret_is_skipped_and_never_unpickled(engine, district, events):
    ours = Store(EventLog(engine), district, snapshot_key=b"the installation's secret")
    fill(ours, events[:3000])
    signed, _ = ours.take_snapshot(T0)
    fill(ours, events[3000:4000])
    Store(EventLog(engine), district, snapshot_key=b"another secret").take_snapshot(T0 + 1)  # a newer, foreign one
    assert Store(EventLog(engine), district, snapshot_key=b"the installation's secret").started_from == signed
    planted = zlib.compress(pickle.dumps(_Planted()))
    with engine.begin() as conn:  # someone with the database but not the secret: the blobs replaced, formats kept
        conn.execute(update(snapshots).values(blob=b"\0" * MAC_BYTES + planted))
    started = Store(EventLog(engine), district, snapshot_key=b"the installation's secret")
    assert UNPICKLED == [] and started.started_from == 0
    assert started.read(as_dict) == ours.read(as_dict)


def test_only_the_newest_few_snapshots_are_kept_and_one_is_taken_when_due(engine, district, events):
    store = Store(EventLog(engine), district)
    for k in range(KEEP + 2):
        fill(store, events[k * 100 : (k + 1) * 100])
        store.take_snapshot(T0 + k)
    with engine.connect() as conn:
        assert len(conn.execute(select(snapshots.c.id)).all()) == KEEP
    store.snapshot_due(T0 + 10)  # nothing appended since the last one
    fill(store, events[1000:1100])
    store.snapshot_due(T0 + 20)  # within ten minutes, under 20,000 events
    assert store.snapshots.newest()[0] < store.read(lambda state: state.seq)
    store.snapshot_due(T0 + 10 + 600)
    assert store.snapshots.newest() == (store.read(lambda state: state.seq), T0 + 610)


def test_an_archived_incident_is_read_from_its_stream_and_an_old_day_from_the_log(tmp_path, clock, district, events):
    from app import create_app

    tokens = {"cmd-token": "commander", "t01-token": "township:T01", "t02-token": "township:T02"}
    settings = Settings(data_dir=tmp_path, simulator=False, api_tokens=tokens)
    fill(Store(EventLog(make_engine(settings.db_url)), district), events)
    clock.now = events[-1].at + 60
    onemap = create_app(settings, clock=clock)
    store, client = onemap.services.store, onemap.server.test_client()
    kept = Projection(district)
    kept.retention_s = float("inf")
    for seq, e in store.log.read():
        kept.apply(e, seq)
    held = store.read(lambda state: set(state.incidents))
    gone = next(i for i in kept.incidents.values() if i.id not in held and i.township == "T01")
    assert store.incident(gone.id) == gone
    reported = next(e for _, e in store.log.stream(gone.id))
    assert store.append([reported]).events == []  # a redelivery
    assert store.read(lambda state: gone.id not in state.incidents)
    timeline = onemap.services.replayer.timeline(gone.id, clock.now, settings.utc_offset_h)
    assert timeline is not None and timeline["incident"] == gone.id
    body = client.get(f"/api/v1/incidents/{gone.id}", headers={"Authorization": "Bearer cmd-token"}).get_json()
    assert body["archived"] and body["stage"] == gone.stage.value and len(body["timeline"]) >= 2
    assert client.get(f"/api/v1/incidents/{gone.id}", headers={"Authorization": "Bearer t01-token"}).status_code == 200
    assert client.get(f"/api/v1/incidents/{gone.id}", headers={"Authorization": "Bearer t02-token"}).status_code == 403
    # A day older than the retention is counted from the log as of its end, as its daily report is.
    start = store.read(lambda state: state.kept_since) - 2 * DAY
    day = _local_day(start + 3 * 3600, settings.utc_offset_h)
    got = client.get(f"/api/v1/kpi?day={day}", headers={"Authorization": "Bearer cmd-token"}).get_json()
    kept_at_end = Projection(district)
    kept_at_end.retention_s = float("inf")
    fold_until(kept_at_end, store.log.read(), got["end"])
    assert got == day_figures(kept_at_end, got["start"], got["end"], got["end"])
    assert got["district"]["received"] > 0


def _local_day(t: float, utc_offset_h: float) -> str:
    from datetime import datetime, timedelta, timezone

    return datetime.fromtimestamp(t, timezone(timedelta(hours=utc_offset_h))).strftime("%Y-%m-%d")


def test_a_snapshots_format_is_the_same_in_every_process_whatever_its_string_hashing():
    """The district holds frozensets, whose repr follows PYTHONHASHSEED: the fingerprint must not."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "from application.district import build_district, load_fixtures\n"
        "from geo.boundaries import demo_boundaries\nfrom store.snapshots import format_of\n"
        "b = demo_boundaries()\n"
        "print(format_of(build_district(b.townships, b.neighbours(), load_fixtures()), {1: 60.0}, 8.0))"
    )
    root = Path(__file__).resolve().parents[2]
    formats = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(formats) == 1


def test_a_replayer_seeded_with_a_snapshot_rebuilds_moments_before_and_after_it_as_a_full_fold(
    engine, district, events
):
    from application.replay import Replayer
    from domain.replay import moment

    store = Store(EventLog(engine), district)
    fill(store, events[:3000])
    store.take_snapshot(T0)
    fill(store, events[3000:])
    replayer = Replayer(store.log, district, every=400)
    replayer.extend()
    assert replayer._points[1].seq == 3000  # seeded: following the log folded only the tail
    for t in (events[700].at, events[1500].at, events[2900].at, events[3500].at, events[-1].at + 1):
        assert as_dict(replayer.at(t)) == as_dict(moment(district, store.log.read(), t))
    assert [p.seq for p in replayer._points if 0 < p.seq < 3000]  # the gap before the snapshot got checkpoints


def test_manage_snapshot_saves_the_state_the_next_start_begins_from(tmp_path, monkeypatch, capsys, district, events):
    import manage

    monkeypatch.setenv("ONEMAP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(data_dir=tmp_path, simulator=False)
    fill(Store(EventLog(make_engine(settings.db_url)), district), events[:2000])
    assert manage.main(["snapshot"]) == 0
    assert "snapshot at seq 2000" in capsys.readouterr().out
    key = secret_key(settings).encode()  # the secret manage.py signed with, kept in the data dir
    started = Store(EventLog(make_engine(settings.db_url)), district, settings.sla_policy.dispatch_s, snapshot_key=key)
    assert started.started_from == 2000
