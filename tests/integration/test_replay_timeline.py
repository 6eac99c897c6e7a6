"""An incident's own timeline on the scripted day: where each step happened, which team, when, how late (worked answers)."""

from __future__ import annotations

import pytest

from config import Settings
from tests.integration import scenario_day as day

CMD = {"Authorization": "Bearer cmd"}


@pytest.fixture
def played(tmp_path, clock, district):
    return day.play_day(Settings(data_dir=tmp_path, simulator=False, api_tokens=day.TOKENS), clock, district)


def _timeline(p, letter, token="cmd", at=""):
    query = f"&at={p.start + at}" if at != "" else ""
    return p.client.get(f"/api/v1/replay?incident={p.ids[letter]}{query}", headers={"Authorization": f"Bearer {token}"})


def _rows(p, body):
    """Return (kind, seconds after 09:00, district time, team, late, seconds late) of every step."""
    return [(s["kind"], s["at"] - p.start, s["local"], s["team_id"], s["late"], s["lateness_s"]) for s in body["steps"]]


def test_a_transferred_incident_s_steps_have_their_times_teams_and_lateness_as_worked_out(played, district):
    p = played
    body = _timeline(p, "D").get_json()
    d1, d2 = f"{p.ids['D']}-1", f"{p.ids['D']}-2"
    # D: ordered 60 to T09-A; signed 90; transferred 150 to T10, whose room signed 40 s late (due 210; the ticker
    # marked it overdue at its first tick after, 215), routed 300 to T10-A, on site 500, resolved 600.
    assert _rows(p, body) == [
        ("received", 30, "09:00:30", "", False, None),
        ("ordered", 60, "09:01:00", "T09-A", False, 0.0),
        ("signed", 90, "09:01:30", "T09-A", False, 0.0),
        ("transferred", 150, "09:02:30", "T09-A", False, None),
        ("ordered", 150, "09:02:30", "", False, None),  # a transfer's order ends no dispatch round
        ("overdue", 215, "09:03:35", "", True, 5.0),
        ("signed", 250, "09:04:10", "", True, 40.0),
        ("responded", 260, "09:04:20", "", False, 0.0),
        ("routed", 300, "09:05:00", "T10-A", False, 0.0),
        ("on_site", 500, "09:08:20", "T10-A", False, 0.0),
        ("resolved", 600, "09:10:00", "T10-A", False, None),
    ]
    assert [s["n"] for s in body["steps"]] == list(range(1, 12))
    assert [s["order_id"] for s in body["steps"]] == [None, d1, d1, d1, d2, d2, d2, d2, d2, d2, d2]
    # Every team it was ordered to, each drawn from its base to the site; T09 answers for nothing late.
    tracks = [
        (t["order_id"], t["team_id"], t["township"], t["lateness"], t["on_site_at"] and t["on_site_at"] - p.start)
        for t in body["tracks"]
    ]
    assert tracks == [(d1, "T09-A", "T09", {}, None), (d2, "T10-A", "T10", {"sign": 40.0}, 500)]
    t10a, site = district.teams["T10-A"], tuple(body["site"])
    assert body["tracks"][1]["start"] == [t10a.lon, t10a.lat]
    # Where: until the room named its team, T10's own seat; from the routing, T10-A's base; from on site, the site.
    town = district.townships["T10"]
    where = {s["n"]: (s["lon"], s["lat"]) for s in body["steps"]}
    assert where[1] == site and where[6] == where[7] == (town.lon, town.lat)
    assert where[9] == (t10a.lon, t10a.lat) and where[10] == where[11] == site


def test_a_late_order_s_undone_stage_is_late_on_the_timeline_until_it_is_done(played):
    p = played
    body = _timeline(p, "B").get_json()
    # B: ordered 200 to T01-B, signed 300 (due 260: 40 s late), on site due 800 and still undone at 1000.
    assert _rows(p, body) == [
        ("received", 10, "09:00:10", "", False, None),
        ("ordered", 200, "09:03:20", "T01-B", False, 0.0),
        ("overdue", 265, "09:04:25", "T01-B", True, 5.0),
        ("signed", 300, "09:05:00", "T01-B", True, 40.0),
        ("responded", 310, "09:05:10", "T01-B", False, 0.0),
        ("routed", 330, "09:05:30", "T01-B", False, 0.0),
        ("overdue", 805, "09:13:25", "T01-B", True, 5.0),
        ("escalated", 925, "09:15:25", "T01-B", True, None),
    ]
    assert body["tracks"][0]["lateness"] == {"sign": 40.0, "on_site": 200.0}  # GET /incidents' order.lateness
    listed = p.client.get(f"/api/v1/incidents/{p.ids['B']}", headers=CMD).get_json()
    assert body["tracks"][0]["lateness"] == listed["order"]["lateness"]


def test_an_order_late_on_the_center_s_dispatch_clock_is_a_late_ordered_step(played):
    p = played
    rows = _rows(p, _timeline(p, "C").get_json())
    # C: dispatch due 80, breached at the ticker's 85, ordered at 200: 120 s late; reordered at 930 in time.
    assert rows[1] == ("overdue", 85, "09:01:25", "", True, 5.0)
    assert rows[2] == ("ordered", 200, "09:03:20", "T02-A", True, 120.0)
    assert [r[0] for r in rows[7:]] == ["resolved", "called_back", "reopened", "ordered", "signed"]
    assert rows[10] == ("ordered", 930, "09:15:30", "T02-A", False, 0.0)


def test_a_timeline_at_a_moment_holds_only_what_happened_by_then(played):
    p = played
    body = _timeline(p, "D", at=255).get_json()
    assert [s["kind"] for s in body["steps"]][-1] == "signed" and len(body["steps"]) == 7
    assert body["tracks"][1]["team_id"] == "" and body["tracks"][1]["lateness"] == {"sign": 40.0}
    # The page's server function is the API's: the same data for the same moment.
    assert p.onemap.services.replayer.timeline(p.ids["D"], p.start + 255, 8.0) == body


def test_a_township_reads_only_the_timeline_of_an_incident_of_its_own(played):
    p = played
    assert _timeline(p, "D", token="t10").status_code == 200  # its room holds D's order
    assert _timeline(p, "D", token="t09").status_code == 200  # D happened there
    refused = _timeline(p, "D", token="t01")
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "out_of_scope"
    unknown = p.client.get("/api/v1/replay?incident=I000", headers={"Authorization": "Bearer t01"})
    assert unknown.status_code == 403  # to a township, unknown looks the same as another's
    assert p.client.get("/api/v1/replay?incident=I000", headers=CMD).status_code == 404
    assert _timeline(p, "D", token="sys").status_code == 403
