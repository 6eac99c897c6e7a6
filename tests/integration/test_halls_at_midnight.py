"""A hall's queue is the district's day's: at midnight the screens hear it without yesterday's tickets, with no event."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from domain import events as ev
from store.log import EventLog, make_engine
from store.store import Store
from web.push import Pusher

CST = timezone(timedelta(hours=8))


def test_at_the_districts_midnight_the_screens_hear_the_halls_queue_without_yesterdays_tickets(tmp_path, district):
    store = Store(EventLog(make_engine(f"sqlite:///{tmp_path / 'log.db'}")), district)
    now = [datetime(2026, 11, 18, 23, 55, tzinfo=CST).timestamp()]
    pusher = Pusher(store, lambda: now[0], 8.0)
    store.append([ev.HallTicketRecorded("issued-A1", now[0], "H01", "issued", "A1")])  # its call will be lost
    [hall] = [e for e in pusher.deltas()["all"]["upsert"] if e["kind"] == "hall"]
    assert hall["waiting"] == 1
    now[0] += 240  # 23:59: nothing happens, nothing is sent
    assert pusher.deltas()["all"]["upsert"] == []
    now[0] += 60  # the district's midnight
    halls = {e["id"]: e for e in pusher.deltas()["all"]["upsert"] if e["kind"] == "hall"}
    assert set(halls) == set(district.halls)  # every hall's "today" starts again
    assert halls["H01"]["waiting"] == 0 and halls["H01"]["oldest_waiting_since"] is None
