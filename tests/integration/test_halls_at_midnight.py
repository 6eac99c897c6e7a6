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


def test_a_district_set_an_hour_east_of_greenwich_has_its_midnight_its_hall_hours_and_its_clocks_in_its_own_time(
    tmp_path,
):
    from app import create_app
    from config import from_env
    from layouts.common import browser_catalog

    settings = from_env([], {"ONEMAP_TIMEZONE": "+01:00", "ONEMAP_DATA_DIR": str(tmp_path), "ONEMAP_SIMULATOR": "off"})
    local = timezone(timedelta(hours=1))
    now = [datetime(2026, 11, 16, 8, 30, tzinfo=local).timestamp()]  # a Monday, 15:30 in China: halls open there
    services = create_app(settings, clock=lambda: now[0]).services
    hall = next(h for h in services.district.halls.values() if h.hours)
    services.store.append([ev.HallTicketRecorded("issued-A1", now[0], hall.id, "issued", "A1")])  # its call lost
    sent = {e["id"]: e for e in services.pusher.deltas()["all"]["upsert"] if e["kind"] == "hall"}
    assert sent[hall.id]["open"] is False and sent[hall.id]["waiting"] == 1
    assert sent[hall.id]["open_changes"][0] == datetime(2026, 11, 16, 9, 0, tzinfo=local).timestamp()
    assert browser_catalog(services, "en")["utc_offset_h"] == 1.0  # the browser's clocks show the district's time
    now[0] = datetime(2026, 11, 17, 0, 0, tzinfo=local).timestamp()  # its midnight: 07:00 in China
    sent = {e["id"]: e for e in services.pusher.deltas()["all"]["upsert"] if e["kind"] == "hall"}
    assert sent[hall.id]["waiting"] == 0
