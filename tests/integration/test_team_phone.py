"""The team on the street, through its own HTTP calls: its orders only, on site proven, positions, steps sent late, photos."""

from __future__ import annotations

import io
import math

import pytest

from domain.model import Actor, Role
from tests.integration.world import ORIGIN, PASSWORD, command_id, jpeg, record

EARTH_M_PER_DEG = 6_371_008.8 * math.pi / 180


def north(lon: float, lat: float, metres: float) -> tuple[float, float]:
    """Return the point that many metres north."""
    return lon, lat + metres / EARTH_M_PER_DEG


@pytest.fixture
def street(onemap, clock):
    """T01 with an incident ordered to one of its teams, signed, responded and routed; members of that team and of
    another T01 team, and of a T02 team; the clock at the route."""
    s = onemap.services
    teams = [t for t in s.district.teams.values() if t.township == "T01"]
    mine, other = teams[0], teams[1]
    far = next(t for t in s.district.teams.values() if t.township == "T02")
    for name, team in (("crew", mine), ("crew2", other), ("crew9", far)):
        s.accounts.create_user(name, PASSWORD, Role.TEAM, team.township, team=team.id)
    s.ingestor.ingest([record("street-1", mine.lon + 0.01, mine.lat)])
    iid = s.store.read(lambda st: next(iter(st.incidents)))
    cmd, room = Actor("cmd", Role.COMMANDER), Actor("t01", Role.TOWNSHIP, "T01")
    assert s.commands.issue_order(cmd, iid, mine.id, command_id()).ok
    for step in ("sign", "respond", "route"):
        clock.advance(20)
        assert s.commands.advance(room, iid, step, command_id()).ok
    inc = s.store.read(lambda st: st.incidents[iid])
    return {"incident": inc, "team": mine, "other": other, "far": far}


def phone(onemap, user: str):
    """Return a test client signed in as a team member, the way a phone does (the sign-in form)."""
    client = onemap.server.test_client()
    client.get("/login")
    with client.session_transaction() as sess:
        csrf = sess["csrf"]
    r = client.post("/login", data={"username": user, "password": PASSWORD, "csrf": csrf})
    assert r.status_code == 302 and r.headers["Location"] == "/team"
    return client


def step(client, incident_id: str, name: str, **body):
    body.setdefault("command_id", command_id())
    return client.post(f"/team/orders/{incident_id}/{name}", json=body, headers=ORIGIN)


def fix_at(lon: float, lat: float, at: float, accuracy_m: float = 15.0) -> dict[str, float]:
    return {"lon": lon, "lat": lat, "accuracy_m": accuracy_m, "at": at}


def order_of(onemap, incident_id: str):
    return onemap.services.store.read(lambda st: st.incidents[incident_id].order)


def test_a_team_member_sees_its_own_order_with_the_running_clock_and_map_links_in_each_apps_datum(onemap, street):
    inc = street["incident"]
    state = phone(onemap, "crew").get("/team/state").get_json()
    (order,) = state["orders"]
    assert order["incident_id"] == inc.id and order["team_step"] == "on_site"
    assert order["clock"]["name"] == "on_site" and order["clock"]["due"] == inc.order.deadlines["on_site"]
    assert "coordinate=gaode" in order["nav"]["amap"] and "coord_type=bd09ll" in order["nav"]["baidu"]
    # GCJ-02 and BD-09 are shifted from WGS-84 by some hundreds of metres in China: the links must differ from it.
    assert f"{inc.lon:.6f},{inc.lat:.6f}" not in order["nav"]["amap"]
    assert order["distance_from"] == "base" and order["distance_m"] > 500


def test_another_team_and_another_townships_team_neither_see_nor_act_on_the_order(onemap, street):
    inc = street["incident"]
    for user in ("crew2", "crew9"):
        client = phone(onemap, user)
        assert client.get("/team/state").get_json()["orders"] == []
        r = step(client, inc.id, "on_site", fix=fix_at(inc.lon, inc.lat, onemap.services.clock()))
        assert r.status_code == 403 and r.get_json()["error"]["code"] == "out_of_scope"
        assert client.get(f"/api/v1/incidents/{inc.id}").status_code == 401  # no token: the API is not for phones
        assert client.get("/command").headers["Location"] == "/team"
    assert order_of(onemap, inc.id).next_step() == "on_site"


def test_a_team_takes_only_its_own_steps_the_room_signs_responds_and_routes(onemap, street):
    inc = street["incident"]
    r = step(phone(onemap, "crew"), inc.id, "sign")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "room_step"


def test_on_site_at_the_site_is_verified_and_2_km_away_is_not(onemap, street, clock):
    inc, now = street["incident"], onemap.services.clock()
    crew = phone(onemap, "crew")
    lon, lat = north(inc.lon, inc.lat, 2000)
    far = step(crew, inc.id, "on_site", fix=fix_at(lon, lat, now), device_at=now)
    assert far.status_code == 200
    order = order_of(onemap, inc.id)
    assert order.proof == "not_verified" and order.proof_m == pytest.approx(2000, abs=2)
    entity = onemap.services.store.read(lambda st: st.incidents[inc.id])
    assert entity.order.done["on_site"] == now


@pytest.mark.parametrize(
    ("metres", "accuracy", "proof"),
    [(0, 10, "verified"), (290, 50, "verified"), (310, 10, "not_verified"), (50, 120, "not_verified")],
)
def test_on_site_is_verified_within_300_m_with_a_fix_of_100_m_or_better(onemap, street, metres, accuracy, proof):
    inc, now = street["incident"], onemap.services.clock()
    lon, lat = north(inc.lon, inc.lat, metres)
    assert step(phone(onemap, "crew"), inc.id, "on_site", fix=fix_at(lon, lat, now, accuracy)).status_code == 200
    assert order_of(onemap, inc.id).proof == proof


def test_on_site_with_no_position_is_not_verified_and_the_rooms_marking_is_by_the_room(onemap, street):
    inc = street["incident"]
    assert step(phone(onemap, "crew"), inc.id, "on_site").status_code == 200
    assert order_of(onemap, inc.id).proof == "not_verified"


def test_the_room_marking_on_site_for_its_team_is_recorded_as_by_the_room(onemap, street):
    inc, s = street["incident"], onemap.services
    assert s.commands.advance(Actor("t01", Role.TOWNSHIP, "T01"), inc.id, "on_site", command_id()).ok
    assert order_of(onemap, inc.id).proof == "by_room"
    figures = onemap.server.test_client().get("/api/v1/kpi", headers={"Authorization": "Bearer x"})
    assert figures.status_code == 401


def test_the_days_figures_count_on_site_verified_of_on_site_done(onemap, street):
    inc, now = street["incident"], onemap.services.clock()
    step(phone(onemap, "crew"), inc.id, "on_site", fix=fix_at(inc.lon, inc.lat, now))
    from web.kinds.base import day_window

    start, end = day_window(now, onemap.services.district.utc_offset_h)
    from domain.kpi import day_figures

    figures = onemap.services.store.read(lambda st: day_figures(st, start, end, now))["district"]
    assert (figures["on_site_done"], figures["on_site_verified"], figures["on_site_verified_rate"]) == (1, 1, 1.0)


def test_a_step_pressed_offline_is_sent_once_with_both_times_and_judged_at_the_servers_time(onemap, street, clock):
    inc, crew = street["incident"], phone(onemap, "crew")
    pressed = onemap.services.clock()
    clock.advance(600)  # ten minutes in a dead zone: the on-site deadline passed meanwhile
    body = {"command_id": "offline-step-0001", "device_at": pressed, "fix": fix_at(inc.lon, inc.lat, pressed)}
    first, again = step(crew, inc.id, "on_site", **body), step(crew, inc.id, "on_site", **body)
    assert first.get_json()["status"] == "done" and again.get_json()["status"] == "duplicate"
    (event,) = first.get_json()["events"]
    assert event["device_at"] == pressed and event["at"] == onemap.services.clock() and event["proof"] == "verified"
    order = order_of(onemap, inc.id)
    assert order.done["on_site"] == onemap.services.clock() and "on_site" in order.late


def test_a_device_time_in_the_future_or_kept_too_long_is_refused_with_its_reason(onemap, street):
    inc, crew, now = street["incident"], phone(onemap, "crew"), onemap.services.clock()
    ahead = step(crew, inc.id, "on_site", device_at=now + 600)
    old = step(crew, inc.id, "on_site", device_at=now - 3600)
    assert ahead.status_code == 409 and ahead.get_json()["error"]["code"] == "device_time_ahead"
    assert old.status_code == 409 and old.get_json()["error"]["code"] == "device_time_old"
    assert "on_site" not in order_of(onemap, inc.id).done


def test_positions_are_thinned_poor_fixes_refused_and_the_team_is_drawn_where_it_is(onemap, street, clock):
    team, crew = street["team"], phone(onemap, "crew")
    now = onemap.services.clock()
    kept = [crew.post("/team/position", json=fix_at(team.lon, team.lat, now + dt), headers=ORIGIN) for dt in (0, 5, 15)]
    assert [r.get_json()["kept"] for r in kept] == [True, False, True]  # on an order: every 15 s or 30 m
    poor = crew.post("/team/position", json=fix_at(team.lon, team.lat, now + 30, 150), headers=ORIGIN)
    assert poor.status_code == 409 and poor.get_json()["error"]["code"] == "inaccurate_fix"
    entity = onemap.services.store.read(lambda st: st.team_fix[team.id])
    assert entity.at == now + 15
    track = onemap.services.store.read(lambda st: st.tracks[street["incident"].id])
    assert [p[2] for p in track] == [now, now + 15]


def test_the_suggestion_measures_from_where_a_team_is_while_its_fix_is_fresh(onemap, clock):
    s = onemap.services
    s.accounts.create_user("crew", PASSWORD, Role.TEAM, "T01", team=next(iter(s.district.teams)))
    team = s.district.teams[next(iter(s.district.teams))]
    s.ingestor.ingest([record("far-1", team.lon + 0.05, team.lat)])
    iid = s.store.read(lambda st: next(iter(st.incidents)))
    before = {x.team.id: x.distance_m for x in s.commands.suggest(iid)}[team.id]
    at = s.clock()
    r = phone(onemap, "crew").post("/team/position", json=fix_at(team.lon + 0.05, team.lat, at), headers=ORIGIN)
    assert r.get_json()["kept"]
    assert {x.team.id: x.distance_m for x in s.commands.suggest(iid)}[team.id] < 50 < before
    clock.advance(301)  # stale: from its base again
    assert {x.team.id: x.distance_m for x in s.commands.suggest(iid)}[team.id] == pytest.approx(before)


def test_a_photo_goes_in_resized_and_is_shown_to_the_room_but_not_to_another_team(onemap, street):
    inc, crew = street["incident"], phone(onemap, "crew")
    form = {"incident_id": inc.id, "step": "on_site", "photo": (io.BytesIO(jpeg(3200, 2400)), "site.jpg")}
    r = crew.post("/team/evidence", data=form, headers=ORIGIN)
    assert r.status_code == 200 and (r.get_json()["width"], r.get_json()["height"]) == (1600, 1200)
    photo_id = r.get_json()["id"]
    assert crew.get(f"/evidence/{photo_id}").mimetype == "image/jpeg"
    assert phone(onemap, "crew2").get(f"/evidence/{photo_id}").status_code == 403
    done = step(crew, inc.id, "on_site", photos=[photo_id]).get_json()
    assert done["events"][0]["photos"] == [photo_id]


@pytest.mark.parametrize(
    ("content", "name", "status", "code"),
    [
        (b"#!/bin/sh\nrm -rf /\n", "site.jpg", 409, "photo_not_image"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "site.svg",
            409,
            "photo_not_image",
        ),
        (b"\xff\xd8\xff" + bytes(50 * 1024 * 1024), "big.jpg", 413, "too_large"),
    ],
)
def test_what_is_not_a_photo_or_too_big_is_refused_with_a_clear_error_and_nothing_is_stored(
    onemap, street, content, name, status, code
):
    inc = street["incident"]
    form = {"incident_id": inc.id, "step": "on_site", "photo": (io.BytesIO(content), name)}
    r = phone(onemap, "crew").post("/team/evidence", data=form, headers=ORIGIN)
    assert r.status_code == status and r.get_json()["error"]["code"] == code and r.get_json()["error"]["message"]
    assert onemap.services.evidence.for_incident(inc.id) == []


def test_an_admin_makes_a_team_member_whose_township_is_its_teams(onemap):
    from tests.integration.test_access import login

    admin, _ = login(onemap, "boss")
    with admin.session_transaction() as sess:
        csrf = sess["csrf"]
    team = next(t for t in onemap.services.district.teams.values() if t.township == "T03")
    form = {"action": "user", "username": "crew-x", "password": PASSWORD, "role": "team", "township": "T01"}
    admin.post("/admin", data={**form, "team": team.id, "csrf": csrf}, headers=ORIGIN)
    member = onemap.services.accounts.verify("crew-x", PASSWORD)
    assert (member.role, member.team, member.township) == (Role.TEAM, team.id, "T03")
    with pytest.raises(ValueError):
        onemap.services.accounts.create_token("crew-token", "api", Role.TEAM, "T03")  # a token stands for no team


def test_a_late_on_site_shows_in_the_reports_breach_table_with_its_proof_and_photos(onemap, street, clock):
    from domain.report import breaches

    inc, crew = street["incident"], phone(onemap, "crew")
    form = {"incident_id": inc.id, "step": "on_site", "photo": (io.BytesIO(jpeg()), "site.jpg")}
    photo_id = crew.post("/team/evidence", data=form, headers=ORIGIN).get_json()["id"]
    clock.advance(600)  # past the on-site deadline
    now = onemap.services.clock()
    assert step(crew, inc.id, "on_site", fix=fix_at(inc.lon, inc.lat, now), photos=[photo_id]).status_code == 200
    rows = onemap.services.store.read(lambda st: breaches(st.incidents.values(), now - 3600, now + 1, now + 1))
    (row,) = [r for r in rows if r["stage"] == "on_site"]
    assert (row["proof"], row["photos"]) == ("verified", [photo_id])


def test_the_consoles_detail_shows_the_proof_and_the_teams_photos(onemap, street):
    from layouts.incident import detail

    inc, crew = street["incident"], phone(onemap, "crew")
    form = {"incident_id": inc.id, "step": "on_site", "photo": (io.BytesIO(jpeg()), "site.jpg")}
    photo_id = crew.post("/team/evidence", data=form, headers=ORIGIN).get_json()["id"]
    now = onemap.services.clock()
    step(crew, inc.id, "on_site", fix=fix_at(inc.lon, inc.lat, now), photos=[photo_id])
    shown = onemap.services.store.read(lambda st: st.incidents[inc.id])
    text = str(detail(onemap.services, shown, [], "zh"))
    assert "om-proof-verified" in text and "定位核验" in text
    assert f"/evidence/{photo_id}?size=thumb" in text


def test_a_team_member_joins_no_live_feed_neither_the_districts_nor_its_townships(onemap, street):
    crew = phone(onemap, "crew")
    for scope in ("all", "T01"):
        sock = onemap.socketio.test_client(onemap.server, query_string=f"scope={scope}", flask_test_client=crew)
        assert not sock.is_connected()


def test_the_demos_teams_drive_to_the_site_sending_fixes_and_are_verified_on_site(onemap, clock):
    from application.autopilot import Autopilot

    s = onemap.services
    team = next(iter(s.district.teams.values()))
    s.ingestor.ingest([record("demo-1", team.lon + 0.01, team.lat)])
    iid = s.store.read(lambda st: next(iter(st.incidents)))
    pilot, seen = Autopilot(s.commands, s.settings.sla_policy), []
    for _ in range(200):  # ten seconds a tick: the dispatch round, the room's steps, the drive, the arrival
        pilot.tick(clock.advance(10))
        order = s.store.read(lambda st: st.incidents[iid].order)
        fix = s.store.read(lambda st: st.team_fix.get(order.team_id) if order else None)
        if fix is not None and (not seen or seen[-1] != (fix.lon, fix.lat)):
            seen.append((fix.lon, fix.lat))
        if order is not None and "on_site" in order.done:
            break
    inc = s.store.read(lambda st: st.incidents[iid])
    assert inc.order.proof == "verified" and len(seen) >= 3
    assert seen[-1] == (inc.lon, inc.lat)  # ends at the site, having come from elsewhere


def test_a_fix_that_is_not_finite_is_a_bad_request_and_no_step_is_taken(onemap, street):
    inc, crew = street["incident"], phone(onemap, "crew")
    body = '{"command_id": "nan-step-0001", "fix": {"lon": NaN, "lat": 31.2, "accuracy_m": 5, "at": 1}}'
    r = crew.post(f"/team/orders/{inc.id}/on_site", data=body, content_type="application/json", headers=ORIGIN)
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "bad_request"
    assert "on_site" not in order_of(onemap, inc.id).done
