"""A scripted district morning with every figure worked out by hand (docs/glossary.md gives the rules).

Times are seconds after S, 09:00 local time on the clock fixture's day; the figures are read at S+1000.
Default policy: stages 60/120/180/600 s from issue; dispatch 60 s (priority 1), 600 s (priority 3).

A  T01 noise    recv 0,   ordered 100 (wait 100); all four stages on time; resolved; satisfied; closed
B  T01 noise    recv 10,  ordered 200 (wait 190); sign 300 late (due 260); on site undone past 800: late
C  T02 elderly  recv 20,  dispatch due 80, ordered 200 (late, wait 180); all on time; resolved 750;
                unsatisfied 900 reopens (due 960); ordered again 930 (wait 30); signed 950; respond undecided
D  T09 noise    recv 30,  ordered 60 to T09 (wait 30); signed 90; transferred 150 to T10 (respond undecided
                for T09); T10's order: sign 250 late (due 210), the rest on time; resolved 600
E  T03 noise    recv 40,  cancelled 100: counted as received only
G  T03 noise    recv 45,  ordered 110 (wait 65); signed 140; respond, route, on site undone past due: late
F  T03 noise    recv 50,  ordered 70, merged into G at 120: counted as received only
H  T04 noise    recv 500, waiting (due 1100)
I  T05 elderly  recv 700, waiting past its dispatch target (due 760): DispatchBreached, escalated after 880
J  T06 noise    recv 300, ordered 320 (wait 20), every stage on time, resolved 520
K  T07 noise    recv 310, ordered 330 (wait 20), every stage on time, resolved 530
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

READ_AT = 1000
DISTRICT_TZ = timezone(timedelta(hours=8))
TICK_S = 5  # the SLA ticker runs every 5 seconds of the script
TOKENS = {f"t{n:02d}": f"township:T{n:02d}" for n in range(1, 12)} | {"sys": "system", "cmd": "commander"}

# (time, who, what, incident, body): who is a token; what a path template filled with the incident's id.
SCRIPT: list[tuple[int, str, str, str, dict[str, Any]]] = [
    (0, "sys", "record", "A", {"category": "noise", "township": "T01"}),
    (10, "sys", "record", "B", {"category": "noise", "township": "T01"}),
    (20, "sys", "record", "C", {"category": "elderly_help", "township": "T02"}),
    (30, "sys", "record", "D", {"category": "noise", "township": "T09"}),
    (40, "sys", "record", "E", {"category": "noise", "township": "T03"}),
    (45, "sys", "record", "G", {"category": "noise", "township": "T03"}),
    (50, "sys", "record", "F", {"category": "noise", "township": "T03"}),
    (60, "cmd", "incidents/{id}/order", "D", {"team_id": "T09-A"}),
    (70, "cmd", "incidents/{id}/order", "F", {"team_id": "T03-A"}),
    (90, "t09", "orders/{id}/sign", "D", {}),
    (100, "cmd", "incidents/{id}/order", "A", {"team_id": "T01-A"}),
    (100, "cmd", "incidents/{id}/cancel", "E", {"reason": "重复来电"}),
    (110, "cmd", "incidents/{id}/order", "G", {"team_id": "T03-B"}),
    (120, "cmd", "incidents/{id}/merge", "F", {"into": "G", "reason": "同一事件"}),
    (130, "t01", "orders/{id}/sign", "A", {}),
    (140, "t03", "orders/{id}/sign", "G", {}),
    (150, "t09", "orders/{id}/route", "D", {"to_township": "T10", "reason": "属T10辖区"}),
    (200, "cmd", "incidents/{id}/order", "B", {"team_id": "T01-B"}),
    (200, "cmd", "incidents/{id}/order", "C", {"team_id": "T02-A"}),
    (200, "t01", "orders/{id}/respond", "A", {}),
    (230, "t02", "orders/{id}/sign", "C", {}),
    (250, "t01", "orders/{id}/route", "A", {}),
    (250, "t10", "orders/{id}/sign", "D", {}),
    (260, "t10", "orders/{id}/respond", "D", {}),
    (300, "t01", "orders/{id}/sign", "B", {}),
    (300, "t02", "orders/{id}/respond", "C", {}),
    (300, "t10", "orders/{id}/route", "D", {"team_id": "T10-A"}),
    (300, "sys", "record", "J", {"category": "noise", "township": "T06"}),
    (310, "sys", "record", "K", {"category": "noise", "township": "T07"}),
    (310, "t01", "orders/{id}/respond", "B", {}),
    (320, "cmd", "incidents/{id}/order", "J", {"team_id": "T06-A"}),
    (330, "t01", "orders/{id}/route", "B", {}),
    (330, "cmd", "incidents/{id}/order", "K", {"team_id": "T07-A"}),
    (340, "t06", "orders/{id}/sign", "J", {}),
    (350, "t02", "orders/{id}/route", "C", {}),
    (350, "t07", "orders/{id}/sign", "K", {}),
    (360, "t06", "orders/{id}/respond", "J", {}),
    (370, "t07", "orders/{id}/respond", "K", {}),
    (380, "t06", "orders/{id}/route", "J", {}),
    (390, "t07", "orders/{id}/route", "K", {}),
    (500, "sys", "record", "H", {"category": "noise", "township": "T04"}),
    (500, "t10", "orders/{id}/on-site", "D", {}),
    (500, "t06", "orders/{id}/on-site", "J", {}),
    (510, "t07", "orders/{id}/on-site", "K", {}),
    (520, "t06", "orders/{id}/resolve", "J", {"note": "已处理"}),
    (530, "t07", "orders/{id}/resolve", "K", {"note": "已处理"}),
    (600, "t01", "orders/{id}/on-site", "A", {}),
    (600, "t10", "orders/{id}/resolve", "D", {"note": "已处理"}),
    (700, "t02", "orders/{id}/on-site", "C", {}),
    (700, "sys", "record", "I", {"category": "elderly_help", "township": "T05"}),
    (750, "t02", "orders/{id}/resolve", "C", {"note": "已处理"}),
    (900, "t01", "orders/{id}/resolve", "A", {"note": "已处理"}),
    (900, "cmd", "orders/{id}/feedback", "C", {"result": "unsatisfied", "note": "仍有问题"}),
    (930, "cmd", "incidents/{id}/order", "C", {"team_id": "T02-A"}),
    (950, "t02", "orders/{id}/sign", "C", {}),
    (980, "cmd", "orders/{id}/feedback", "A", {"result": "satisfied"}),
    (990, "cmd", "orders/{id}/close", "A", {}),
]


def _rate(on_time: int, late: int) -> float | None:
    return round(on_time / (on_time + late), 4) if on_time + late else None


def _tally(on_time: int, late: int) -> dict[str, Any]:
    return {"on_time": on_time, "late": late, "on_time_rate": _rate(on_time, late)}


def figures(
    received=0,
    ordered=0,
    orders=(0, 0),
    resolved=0,
    satisfied=0,
    rated=0,
    waiting=0,
    waiting_late=0,
    in_progress=0,
    breached_open=0,
    awaiting_callback=0,
    sign=(0, 0),
    respond=(0, 0),
    route=(0, 0),
    on_site=(0, 0),
    dispatch=(0, 0),
    median_s=None,
    p90_s=None,
    on_site_done=0,
    on_site_verified=0,
) -> dict[str, Any]:
    """Return one row of figures as GET /api/v1/kpi names them."""
    return {
        "received": received,
        "ordered": ordered,
        **_tally(*orders),
        "resolved": resolved,
        "completion_rate": round(resolved / ordered, 4) if ordered else None,
        "satisfied": satisfied,
        "rated": rated,
        "satisfaction_rate": round(satisfied / rated, 4) if rated else None,
        "open": waiting + in_progress + awaiting_callback,
        "waiting": waiting,
        "waiting_late": waiting_late,
        "in_progress": in_progress,
        "breached_open": breached_open,
        "awaiting_callback": awaiting_callback,
        "on_site_done": on_site_done,  # every on-site step here is a room's (by the room): none verified
        "on_site_verified": on_site_verified,
        "on_site_verified_rate": round(on_site_verified / on_site_done, 4) if on_site_done else None,
        "stages": {
            "sign": _tally(*sign),
            "respond": _tally(*respond),
            "route": _tally(*route),
            "on_site": _tally(*on_site),
        },
        "dispatch": {**_tally(*dispatch), "median_s": median_s, "p90_s": p90_s},
    }


EXPECTED_TOWNSHIPS: dict[str, dict[str, Any]] = {
    "T01": figures(
        on_site_done=1,
        received=2,
        ordered=2,
        orders=(1, 1),
        resolved=1,
        satisfied=1,
        rated=1,
        in_progress=1,
        breached_open=1,
        sign=(1, 1),
        respond=(2, 0),
        route=(2, 0),
        on_site=(1, 1),
        dispatch=(2, 0),
        median_s=145.0,
        p90_s=181.0,
    ),
    "T02": figures(
        on_site_done=1,
        received=1,
        ordered=1,
        rated=1,
        in_progress=1,
        sign=(2, 0),
        respond=(1, 0),
        route=(1, 0),
        on_site=(1, 0),
        dispatch=(1, 1),
        median_s=105.0,
        p90_s=165.0,
    ),
    "T03": figures(
        received=3,
        ordered=1,
        orders=(0, 1),
        in_progress=1,
        breached_open=1,
        sign=(1, 0),
        respond=(0, 1),
        route=(0, 1),
        on_site=(0, 1),
        dispatch=(1, 0),
        median_s=65.0,
        p90_s=65.0,
    ),
    "T04": figures(received=1, waiting=1),
    "T05": figures(received=1, waiting=1, waiting_late=1, dispatch=(0, 1)),
    "T06": figures(
        on_site_done=1,
        received=1,
        ordered=1,
        orders=(1, 0),
        resolved=1,
        awaiting_callback=1,
        sign=(1, 0),
        respond=(1, 0),
        route=(1, 0),
        on_site=(1, 0),
        dispatch=(1, 0),
        median_s=20.0,
        p90_s=20.0,
    ),
    "T07": figures(
        on_site_done=1,
        received=1,
        ordered=1,
        orders=(1, 0),
        resolved=1,
        awaiting_callback=1,
        sign=(1, 0),
        respond=(1, 0),
        route=(1, 0),
        on_site=(1, 0),
        dispatch=(1, 0),
        median_s=20.0,
        p90_s=20.0,
    ),
    "T08": figures(),
    "T09": figures(received=1, sign=(1, 0), dispatch=(1, 0), median_s=30.0, p90_s=30.0),
    "T10": figures(
        on_site_done=1,
        ordered=1,
        orders=(0, 1),
        resolved=1,
        awaiting_callback=1,
        sign=(0, 1),
        respond=(1, 0),
        route=(1, 0),
        on_site=(1, 0),
    ),
    "T11": figures(),
}
EXPECTED_DISTRICT = figures(
    on_site_done=5,
    received=11,
    ordered=7,
    orders=(3, 3),
    resolved=4,
    satisfied=1,
    rated=2,
    waiting=2,
    waiting_late=1,
    in_progress=3,
    breached_open=2,
    awaiting_callback=3,
    sign=(7, 2),
    respond=(6, 1),
    route=(6, 1),
    on_site=(5, 2),
    dispatch=(7, 2),
    median_s=47.5,
    p90_s=183.0,
)
# Ties share a rank; no decided order, no rank (listed after, by id).
EXPECTED_RANKS = [
    ("T06", 1),
    ("T07", 1),
    ("T01", 3),
    ("T10", 4),
    ("T03", 5),
    ("T02", None),
    ("T04", None),
    ("T05", None),
    ("T08", None),
    ("T09", None),
    ("T11", None),
]


def play(
    call: Callable[[str, str, dict[str, Any]], dict[str, Any]],
    tick: Callable[[int], None],
    place: Callable[[str], tuple[float, float]],
) -> dict[str, str]:
    """Run the script: tick(t) moves the clock to S+t (running the SLA ticker on the way); return letter -> id."""
    ids: dict[str, str] = {}
    for at, who, what, letter, body in SCRIPT:
        tick(at)
        if what == "record":
            lon, lat = place(body["township"])
            rec = {
                "source": "12345",
                "source_id": f"scenario-{letter}",
                "category": body["category"],
                "lon": lon,
                "lat": lat,
                "summary": f"事件{letter}",
                "address": f"{letter}路1号",
            }
            result = call(who, "records", rec)["results"][0]
            assert result["status"] == "accepted", result
            ids[letter] = result["incident_id"]
            continue
        sent = {k: ids.get(v, v) if k == "into" else v for k, v in body.items()}
        call(who, what.format(id=ids[letter]), {**sent, "command_id": f"scn.{letter}.{at}.{what.split('/')[-1]}"})
    tick(READ_AT)
    return ids


def nine_am(now: float) -> float:
    """Return 09:00 district time of now's local day: the scripted day's S."""
    local = datetime.fromtimestamp(now, DISTRICT_TZ)
    return local.replace(hour=9, minute=0, second=0, microsecond=0).timestamp()


@dataclass
class Played:
    """The app the day was played into, its test client, letter -> incident id, and S."""

    onemap: Any
    client: Any
    ids: dict[str, str]
    start: float


def api_caller(onemap: Any) -> Callable[[str, str, dict[str, Any]], dict[str, Any]]:
    """Return call(token, path, body): POST to the app's API in this process, asserting it was accepted."""
    client = onemap.server.test_client()

    def call(token: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = client.post(f"/api/v1/{path}", json=body, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200, (path, body, r.get_json())
        return r.get_json()

    return call


def play_day(settings: Any, clock: Any, district: Any, on_tick: Callable[[Any, int], None] | None = None) -> Played:
    """Play the script through the API from 09:00 with the SLA ticker every TICK_S; on_tick(onemap, t) after each tick."""
    from app import create_app

    start = clock.now = nine_am(clock.now)
    onemap = create_app(settings, clock=clock)
    call = api_caller(onemap)

    def tick(at: int) -> None:
        while clock.now < start + at:
            clock.now = min(clock.now + TICK_S, start + at)
            onemap.services.commands.sla_tick()
            if on_tick:
                on_tick(onemap, int(clock.now - start))

    def place(township: str) -> tuple[float, float]:
        team = district.teams[f"{township}-A"]
        return team.lon, team.lat

    return Played(onemap, onemap.server.test_client(), play(call, tick, place), start)


def serve(onemap: Any) -> str:
    """Serve a played app on a free port in this process (its clock stays where the test put it); return its URL
    once it accepts connections."""
    import socket
    import threading
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    onemap.start()
    threading.Thread(
        target=onemap.socketio.run,
        args=(onemap.server,),
        daemon=True,
        kwargs={
            "host": "127.0.0.1",
            "port": port,
            "allow_unsafe_werkzeug": True,
            "use_reloader": False,
            "log_output": False,
        },
    ).start()
    deadline = time.monotonic() + 20
    while True:  # the server thread binds its port a moment after it starts
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return f"http://127.0.0.1:{port}"
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
