"""A hand-computed day: every figure of GET /api/v1/kpi equals the worked answer, before and after a restart."""

from __future__ import annotations

from datetime import datetime

import pytest

from app import create_app
from config import Settings
from tests.integration import scenario_day as day
from tests.integration.scenario_day import DISTRICT_TZ


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, simulator=False, api_tokens=day.TOKENS)


@pytest.fixture
def played(settings, clock, district):
    """Play the scripted day through the API, with the SLA ticker running every 5 seconds."""
    p = day.play_day(settings, clock, district)
    return p.onemap, p.client, p.ids, p.start


def kpi(client, day_text=None):
    query = f"?day={day_text}" if day_text else ""
    r = client.get(f"/api/v1/kpi{query}", headers={"Authorization": "Bearer cmd"})
    assert r.status_code == 200
    return r.get_json()


def assert_hand_computed(body):
    rows = {r["id"]: {k: v for k, v in r.items() if k not in ("id", "rank")} for r in body["townships"]}
    for tid, expected in day.EXPECTED_TOWNSHIPS.items():
        assert rows[tid] == expected, tid
    assert body["district"] == day.EXPECTED_DISTRICT
    assert [(r["id"], r["rank"]) for r in body["townships"]] == day.EXPECTED_RANKS


def test_every_figure_of_the_scripted_day_equals_the_hand_computed_answer(played):
    _onemap, client, _ids, _start = played
    assert_hand_computed(kpi(client))


def test_the_figures_are_the_same_after_a_restart_and_for_the_day_asked_by_date(played, settings, clock):
    _onemap, _client, _ids, start = played
    again = create_app(settings, clock=clock).server.test_client()
    assert_hand_computed(kpi(again))
    assert_hand_computed(kpi(again, datetime.fromtimestamp(start, DISTRICT_TZ).strftime("%Y-%m-%d")))


def test_a_dispatch_breach_is_an_event_with_a_stable_id_and_goes_up_to_the_duty_leader(played):
    onemap, client, ids, start = played
    timeline = client.get(f"/api/v1/incidents/{ids['I']}", headers={"Authorization": "Bearer cmd"}).get_json()
    kinds = [(e["type"], e["event_id"]) for e in timeline["timeline"]]
    assert ("DispatchBreached", f"dispatch:{ids['I']}:0") in kinds
    assert ("IncidentEscalated", f"esc:{ids['I']}:dispatch:0") in kinds
    assert [k for k, _ in kinds].count("DispatchBreached") == 1
    # C breached its first round and was ordered in time after the reopening: one breach, of round 0.
    c_events = client.get(f"/api/v1/incidents/{ids['C']}", headers={"Authorization": "Bearer cmd"}).get_json()
    assert [e["event_id"] for e in c_events["timeline"] if e["type"] == "DispatchBreached"] == [
        f"dispatch:{ids['C']}:0"
    ]


def test_an_order_with_an_earlier_late_stage_stays_breached_while_its_current_step_is_in_time(played):
    _onemap, client, ids, _start = played
    listed = client.get("/api/v1/incidents?status=open", headers={"Authorization": "Bearer cmd"}).get_json()
    by_id = {i["id"]: i for i in listed["incidents"]}
    b = by_id[ids["B"]]
    assert b["status"] == "breached" and b["order"]["breached"] == ["sign", "on_site"]
    assert b["order"]["lateness"] == {"sign": 40.0, "on_site": 200.0}
    # H has 100 s of its 600 left: the last quarter, so it warns; I is past its target.
    assert by_id[ids["I"]]["status"] == "waiting_late" and by_id[ids["H"]]["status"] == "waiting_warning"
    assert by_id[ids["C"]]["status"] == "ok"
    # "open" means one thing: the API's open list holds exactly the KPI's open incidents.
    assert len(listed["incidents"]) == kpi(client)["district"]["open"]
