"""The analytics charts of a hand-computed day: each series equals the worked answer, the API's figures where they
overlap, a replay of any moment, and a restart; the kiosk opens the wall's views and nothing else."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from app import create_app
from config import Settings
from domain import series
from domain.model import Role
from tests.integration import scenario_charts as charts
from tests.integration import scenario_day as day
from tests.integration.scenario_day import DISTRICT_TZ, api_caller, nine_am
from web import views

REPLAY_AT = 500  # a moment inside the day: after J's, K's and D's on-site steps and H's report


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, simulator=False, api_tokens=day.TOKENS)


@pytest.fixture
def played(settings, clock, district):
    """Play the charts day through the API; keep the charts the live push would send at S+REPLAY_AT."""
    start = nine_am(clock.now)
    clock.now = start - 2 * charts.DAY_S
    onemap = create_app(settings, clock=clock)
    client, call = onemap.server.test_client(), api_caller(onemap)
    live_at: dict[str, Any] = {}

    def set_clock(at):
        clock.now = at

    def tick(at):
        if clock.now == start + REPLAY_AT and at > REPLAY_AT and not live_at:
            live_at.update(chart_entities(onemap, start + REPLAY_AT))  # every event by then is in, none later
        while clock.now < start + at:
            clock.now = min(clock.now + 5, start + at)
            onemap.services.commands.sla_tick()

    def place(township):
        team = district.teams[f"{township}-A"]
        return team.lon, team.lat

    charts.play(call, set_clock, tick, place, start)
    return onemap, client, start, live_at


def chart_entities(onemap, now: float, state=None) -> dict[str, dict[str, Any]]:
    """Return the chart entities of the live snapshot (or of a given state) at a moment."""
    offset = onemap.services.settings.utc_offset_h
    snap = (
        views.snapshot(state, now, offset, "all")
        if state is not None
        else onemap.services.store.read(lambda live: views.snapshot(live, now, offset, "all"))
    )
    return {e["id"]: e for e in snap["entities"] if e["kind"] == "chart"}


def kpi(client, day_text=None):
    r = client.get(f"/api/v1/kpi{'?day=' + day_text if day_text else ''}", headers={"Authorization": "Bearer cmd"})
    assert r.status_code == 200
    return r.get_json()


def test_reports_per_hour_by_source_equal_the_hand_count_for_today_and_yesterday(played):
    onemap, client, start, _ = played
    hourly = chart_entities(onemap, start + day.READ_AT)["hourly"]
    assert hourly["sources"] == charts.SOURCES
    assert hourly["today"] == charts.EXPECTED_TODAY
    assert hourly["yesterday"] == charts.EXPECTED_YESTERDAY
    # Where they overlap the API's figures: today's bars add up to `received`, and so do yesterday's.
    yesterday = datetime.fromtimestamp(start - charts.DAY_S, DISTRICT_TZ).strftime("%Y-%m-%d")
    assert sum(map(sum, hourly["today"].values())) == kpi(client)["district"]["received"] == 11
    assert sum(map(sum, hourly["yesterday"].values())) == kpi(client, yesterday)["district"]["received"] == 4


def test_the_stage_and_ranking_charts_are_the_days_figures_of_the_api(played):
    onemap, client, start, _ = played
    got = chart_entities(onemap, start + day.READ_AT)
    api, d = kpi(client), day.EXPECTED_DISTRICT
    expected_stages = [{"stage": "dispatch", **{k: d["dispatch"][k] for k in ("on_time", "late", "on_time_rate")}}]
    expected_stages += [{"stage": s, **d["stages"][s]} for s in ("sign", "respond", "route", "on_site")]
    assert [
        {k: s[k] for k in ("stage", "on_time", "late", "on_time_rate")} for s in got["stages"]["stages"]
    ] == expected_stages
    assert got["stages"]["stages"][0] == {"stage": "dispatch", **api["district"]["dispatch"]}
    assert [
        {"stage": s["stage"], **{k: s[k] for k in ("on_time", "late", "on_time_rate")}}
        for s in got["stages"]["stages"][1:]
    ] == [{"stage": s, **api["district"]["stages"][s]} for s in ("sign", "respond", "route", "on_site")]
    rows = got["ranking"]["rows"]
    assert [(r["id"], r["rank"]) for r in rows] == day.EXPECTED_RANKS
    for r in rows:
        assert {k: r[k] for k in ("on_time_rate", "completion_rate", "satisfaction_rate")} == {
            k: day.EXPECTED_TOWNSHIPS[r["id"]][k] for k in ("on_time_rate", "completion_rate", "satisfaction_rate")
        }
    assert rows == [
        {k: r[k] for k in ("id", "rank", "on_time_rate", "completion_rate", "satisfaction_rate")}
        for r in api["townships"]
    ]


def test_the_categories_chart_counts_each_category_by_the_figures_definitions(played):
    onemap, client, start, _ = played
    rows = chart_entities(onemap, start + day.READ_AT)["categories"]["rows"]
    assert [{k: r[k] for k in charts.EXPECTED_CATEGORIES[0]} for r in rows] == charts.EXPECTED_CATEGORIES
    district = kpi(client)["district"]
    for name in ("received", "ordered", "on_time", "late"):
        assert sum(r[name] for r in rows) == district[name], name  # every category shown: they add up to the district


def test_a_gauges_last_24_hours_keep_one_reading_per_slot_with_gaps_where_it_fell_silent(played):
    onemap, _client, start, _ = played
    stations = {s["id"]: s for s in chart_entities(onemap, start + day.READ_AT)["gauges"]["stations"]}
    s01 = stations[charts.STATION]
    assert {"t": s01["t"], "level": s01["level"]} == charts.expected_gauge(start)
    assert (s01["warning_level"], s01["guarantee_level"]) == (4.08, 4.76)
    assert stations["S02"]["t"] == [] and len(stations) == 12
    # The readings more than a day (and a slot) old are gone from the state, not only from the chart.
    samples = onemap.services.store.read(lambda state: list(state.gauge_samples[charts.STATION]))
    assert [at for at, _ in samples][0] == start - charts.DAY_S + 3600


def test_a_halls_queue_through_the_day_is_its_length_at_each_ten_minute_slots_end(played):
    onemap, _client, start, _ = played
    halls = chart_entities(onemap, start + day.READ_AT)["halls"]
    by_id = {h["id"]: h["waiting"] for h in halls["halls"]}
    assert by_id[charts.HALL] == charts.EXPECTED_HALL_SLOTS
    assert by_id["H02"] == [None] * 56
    assert halls["start"] == start - 9 * 3600 and halls["step"] == 600


def test_a_replay_of_a_moment_gives_the_charts_the_live_push_had_at_that_moment(played):
    onemap, _client, start, live_at = played
    assert set(live_at) == {"hourly", "stages", "categories", "ranking", "gauges", "halls"}
    replayed = chart_entities(onemap, start + REPLAY_AT, onemap.services.replayer.at(start + REPLAY_AT))
    assert replayed == live_at
    assert live_at["hourly"]["today"]["12345"] == [0] * 9 + [10]  # I (700) not yet reported
    end = start + day.READ_AT
    assert chart_entities(onemap, end, onemap.services.replayer.at(end)) == chart_entities(onemap, end)


def test_the_charts_are_the_same_after_a_restart(played, settings, clock):
    onemap, _client, start, _ = played
    again = create_app(settings, clock=clock)
    assert chart_entities(again, start + day.READ_AT) == chart_entities(onemap, start + day.READ_AT)


def test_a_township_room_receives_no_chart_and_the_wall_receives_each_changed_one(played):
    onemap, _client, _start, _ = played
    pusher = onemap.services.pusher
    pusher.scopes |= {"T01"}
    pusher.deltas()
    charts.reading(
        lambda *a: (
            onemap.server.test_client()
            .post("/api/v1/records", json=a[2], headers={"Authorization": "Bearer sys"})
            .get_json()
        ),
        "r-more",
        3.6,
    )
    out = pusher.deltas()
    assert [e["id"] for e in out["all"]["upsert"] if e["kind"] == "chart"] == ["gauges"]
    assert not [e for e in out["T01"]["upsert"] if e["kind"] == "chart"]
    snap = onemap.services.store.read(lambda state: views.snapshot(state, onemap.services.clock(), 8, "T01"))
    assert [e["id"] for e in snap["entities"] if e["kind"] == "chart"] == []


@pytest.mark.parametrize("path", ["/wall", "/wall/analytics", "/wall/situation"])
def test_one_kiosk_token_opens_each_of_the_walls_views(played, path):
    onemap, _client, _start, _ = played
    token = onemap.services.accounts.create_token("wall-views", "kiosk", Role.WALL)
    client = onemap.server.test_client()
    assert client.get(f"/wall?kiosk={token}").status_code == 200
    assert client.get(path).status_code == 200  # the same session, no token in the URL


@pytest.mark.parametrize("path", ["/command", "/township/T01", "/admin"])
def test_a_kiosk_opens_no_working_console(played, path):
    onemap, _client, _start, _ = played
    token = onemap.services.accounts.create_token("wall-only", "kiosk", Role.WALL)
    client = onemap.server.test_client()
    r = client.get(f"{path}?kiosk={token}")
    assert r.status_code == 302 and r.headers["Location"].startswith("/wall"), (path, r.status_code)


def test_a_township_operator_is_sent_to_its_room_from_the_analytics_view(played):
    onemap, _client, _start, _ = played
    onemap.services.accounts.create_user("op1", "correct-horse-battery", Role.TOWNSHIP, "T01")
    client = onemap.server.test_client()
    client.get("/login")
    with client.session_transaction() as s:
        csrf = s["csrf"]
    client.post("/login", data={"username": "op1", "password": "correct-horse-battery", "csrf": csrf})
    r = client.get("/wall/analytics")
    assert r.status_code == 302 and r.headers["Location"] == "/township/T01"


def test_the_series_stay_bounded_however_long_the_log_grows(district):
    from domain import events as ev
    from domain.projection import Projection

    state, t0 = Projection(district), 1_795_000_000.0
    for minute in range(0, 5 * 24 * 60, 3):  # five days: a report, a reading and a ticket every 3 minutes
        at = t0 + minute * 60
        state.apply(
            ev.IncidentReported(
                event_id=f"e{minute}",
                at=at,
                incident_id=f"i{minute}",
                source="12345",
                source_id=f"s{minute}",
                category="noise",
                township="T01",
                lon=0,
                lat=0,
                priority=3,
                summary="",
                address="",
            )
        )
        state.apply(
            ev.StationReadingRecorded(event_id=f"r{minute}", at=at, station_id="S01", level=3 + minute % 7 / 10)
        )
        state.apply(
            ev.HallTicketRecorded(event_id=f"h{minute}", at=at, hall_id="H01", action="issued", ticket=f"T{minute}")
        )
    assert len(state.hourly) <= series.HOURS_KEPT
    assert len(state.gauge_samples["S01"]) <= series.SAMPLES_KEPT_S // series.SAMPLE_S + 2
    assert len(state.hall_samples["H01"]) <= series.SAMPLES_KEPT_S // series.SAMPLE_S + 2


def test_the_daily_report_carries_the_analytics_charts_of_its_moment_and_draws_them(played):
    onemap, client, start, _ = played
    day_text = datetime.fromtimestamp(start, DISTRICT_TZ).strftime("%Y-%m-%d")
    body = client.get(f"/api/v1/reports/daily?day={day_text}", headers={"Authorization": "Bearer cmd"}).get_json()
    live = chart_entities(onemap, start + day.READ_AT)
    assert body["charts"]["hourly"] == {k: v for k, v in live["hourly"].items() if k not in ("kind", "id", "now")}
    assert body["charts"]["stages"]["stages"] == live["stages"]["stages"]
    assert body["charts"]["categories"] == {"rows": live["categories"]["rows"]}
    pdf = client.get(f"/api/v1/reports/daily?day={day_text}&format=pdf", headers={"Authorization": "Bearer cmd"})
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_the_charts_figures_and_halls_are_re_sent_when_a_ten_minute_slot_passes_without_any_event(played, clock):
    onemap, _client, _start, _ = played
    pusher = onemap.services.pusher
    pusher.deltas()
    assert pusher.deltas()["all"]["upsert"] == []  # nothing happened, the same slot
    clock.advance(views.TIMED_EVERY_S)
    delta = pusher.deltas()["all"]
    # A recurring problem whose reports no longer count is sent as removed: re-sent all the same.
    sent = {f"{e['kind']}:{e['id']}" for e in delta["upsert"] + delta["remove"]}
    assert sent == onemap.services.store.read(lambda state: set(views.timed_keys(state)))
    assert {e["kind"] for e in delta["upsert"]} >= {"chart", "kpi", "hall"}
