"""The service team's phone page in real Chromium, on a phone-sized screen with an emulated GPS: a team walks to its
site and the wall follows it; on site is verified where the site is and not 2 km away; a step pressed in a dead zone
arrives once; a photo reaches the timeline and what is not a photo is refused; another team sees and does nothing;
the page fits a phone's width in Chinese and English."""

from __future__ import annotations

import math
import sqlite3
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

import i18n
from application.district import load_fixtures
from tests.e2e.conftest import PASSWORD, api, quiet_env, running_app

pytestmark = pytest.mark.e2e

WAIT_MS = 20_000
MIB = 1024 * 1024
# Long targets: no clock runs out while a test walks; the page shows the on-site countdown all the same.
POLICY = {
    "default": {"sign": 900, "respond": 900, "route": 900, "on_site": 1800},
    "dispatch": {"1": 3600, "2": 3600, "3": 3600},
}
CMD, SYS = "cmd-phone", "sys-phone"
ROOMS = ("T01", "T02", "T03", "T04", "T05", "T06")
TOKENS = {CMD: "commander", SYS: "system", **{f"room-{t}": f"township:{t}" for t in ROOMS}}
TEAMS = {t["id"]: t for t in load_fixtures()["teams"]}
# One team (or two) per test, so the tests share one app and never each other's orders.
WALKER, NEAR, FAR, DEAD_ZONE, PHOTO, REFUSED, OWNER, INTRUDER, LONG_NAME, ENDING = (
    "T01-A",
    "T02-A",
    "T02-B",
    "T03-A",
    "T04-A",
    "T05-A",
    "T06-A",
    "T06-B",
    "T02-Z2",  # the longest English name of the district's teams
    "T03-B",
)
PHONE = {"width": 390, "height": 844}
M_PER_DEG = 6_371_008.8 * math.pi / 180


def member(team_id: str) -> str:
    """Return the e2e user who carries a team's phone."""
    return f"e2e-crew-{team_id}"


def zh(key: str, **params: Any) -> str:
    """Return a catalog string in Chinese, the phones' language here."""
    return i18n.t(key, "zh", **params)


def moved(lon: float, lat: float, east_m: float = 0.0, north_m: float = 0.0) -> tuple[float, float]:
    """Return the point that many metres east and north of (lon, lat)."""
    return lon + east_m / (M_PER_DEG * math.cos(math.radians(lat))), lat + north_m / M_PER_DEG


def gps(lon: float, lat: float, accuracy: float = 10.0) -> dict[str, float]:
    return {"longitude": lon, "latitude": lat, "accuracy": accuracy}


@pytest.fixture(scope="module")
def phone_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Run a quiet app (no simulator) with a member for each team these tests use; yield its URL and data dir."""
    tmp = tmp_path_factory.mktemp("onemap-phone")
    env = quiet_env(tmp, POLICY, TOKENS)
    _seed_members(env)
    with running_app(env, 0) as url:
        yield {"url": url, "db": Path(env["ONEMAP_DATA_DIR"]) / "onemap.sqlite3"}


def _seed_members(env: dict[str, str]) -> None:
    """Create one member of each team the tests use, in the app's database, before it starts."""
    import config
    from domain.model import Role
    from store.accounts import Accounts
    from store.log import make_engine

    accounts = Accounts(make_engine(config.from_env([], env).db_url), time.time)
    for team_id in (WALKER, NEAR, FAR, DEAD_ZONE, PHOTO, REFUSED, OWNER, INTRUDER, LONG_NAME, ENDING):
        accounts.create_user(member(team_id), PASSWORD, Role.TEAM, TEAMS[team_id]["township"], team=team_id)


def order(url: str, team_id: str, lon: float, lat: float, category: str = "road_obstruction") -> str:
    """Report an incident at (lon, lat), order it to the team, and have the team's room sign, respond and route it:
    the team's step is on site next. Return the incident id."""
    township = TEAMS[team_id]["township"]
    rec = {
        "source": "12345",
        "source_id": f"phone-{team_id}",
        "category": category,
        "summary": f"{category} · {team_id}",
        "address": f"新华路{team_id[-1]}号",
        "lon": lon,
        "lat": lat,
    }
    incident = api(url, "/records", SYS, rec)["results"][0]["incident_id"]
    issued = api(url, f"/incidents/{incident}/order", CMD, {"team_id": team_id, "command_id": f"{incident}.order"})
    assert issued["status"] == "done", issued
    for step in ("sign", "respond", "route"):
        done = api(url, f"/orders/{incident}/{step}", f"room-{township}", {"command_id": f"{incident}.{step}"})
        assert done["status"] == "done", done
    return incident


def site_near(team_id: str, east_m: float = 0.0, north_m: float = 0.0) -> tuple[float, float]:
    team = TEAMS[team_id]
    return moved(team["lon"], team["lat"], east_m, north_m)


def incident(url: str, incident_id: str) -> dict[str, Any]:
    return api(url, f"/incidents/{incident_id}", CMD)


def on_site_events(url: str, incident_id: str) -> list[dict[str, Any]]:
    return [e for e in incident(url, incident_id)["timeline"] if e["type"] == "TeamOnSite"]


@pytest.fixture()
def open_phone(browser: Any, phone_app: dict[str, Any]) -> Iterator[Callable[..., tuple[Any, list[str]]]]:
    """Return open(team id, (lon, lat), viewport=PHONE) -> (page, script errors): a phone with the GPS at that point,
    signed in as the team's member on the sign-in form, on /team. Every context is closed on the way out."""
    contexts: list[Any] = []

    def _open(team_id: str, where: tuple[float, float], viewport: dict[str, int] = PHONE) -> tuple[Any, list[str]]:
        context = browser.new_context(
            viewport=viewport, geolocation=gps(*where), permissions=["geolocation"], locale="zh-CN"
        )
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        # A refused call is logged by Chromium as a failed load; that is an answer, not a script error.
        page.on(
            "console", lambda m: m.type == "error" and "Failed to load resource" not in m.text and errors.append(m.text)
        )
        url = phone_app["url"]
        page.goto(f"{url}/login")
        page.fill("input[name=username]", member(team_id))
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{url}/team")  # where a team member lands
        page.wait_for_selector("#tm-updated:not(:empty)", timeout=WAIT_MS)  # its first answer drawn
        return page, errors

    try:
        yield _open
    finally:
        for context in contexts:
            context.close()


def card(incident_id: str) -> str:
    return f"article.tm-card[data-incident='{incident_id}']"


def on_duty_with_fix(page: Any, accuracy: int = 10) -> None:
    """Press the on-duty button and wait until the page holds the GPS fix (its status line says how accurate)."""
    page.click("#tm-duty")
    page.wait_for_function(
        "text => document.getElementById('tm-gps').textContent.endsWith(text)",
        arg=zh("team.gps", m=accuracy),
        timeout=WAIT_MS,
    )


# ---- 1. the walk, on the wall ----

# The screen centre of the team's marker and of the incident's, on the wall's map.
CENTRES = """([team, incident]) => {
  const mid = r => [(r.left + r.right) / 2, (r.top + r.bottom) / 2];
  const mark = document.querySelector(`i.om-team-mark[data-team='${team}']`);
  let site = null;
  window.onemap.map.maps()[0].eachLayer(layer => {
    const f = layer.feature;
    if (f && f.properties.kind === "incident" && f.properties.id === incident && layer._path) {
      site = mid(layer._path.getBoundingClientRect());
    }
  });
  return mark && site && {team: mid(mark.getBoundingClientRect()), site, cls: mark.className};
}"""


def test_a_team_walks_from_its_base_to_the_site_and_the_wall_shows_it_moving(
    open_page: Callable[..., Any], open_phone: Callable[..., Any], phone_app: dict[str, Any], artifacts: Path
) -> None:
    url, team = phone_app["url"], TEAMS[WALKER]
    base, steps = (team["lon"], team["lat"]), 5
    site = site_near(WALKER, east_m=1500)
    incident_id = order(url, WALKER, *site)
    wall, wall_errors = open_page(f"{url}/wall")
    wall.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    mark = f"i.om-team-mark[data-team='{WALKER}']"
    wall.wait_for_selector(f"{mark}.om-team-mark-none.om-team-mark-busy", timeout=WAIT_MS)  # no fix yet: at its base
    at_base = wall.wait_for_function(CENTRES, arg=[WALKER, incident_id], timeout=WAIT_MS).json_value()

    page, errors = open_phone(WALKER, base)
    page.wait_for_selector(f"{card(incident_id)}[data-step='on_site']", timeout=WAIT_MS)
    on_duty_with_fix(page)
    wall.wait_for_selector(f"{mark}.om-team-mark-live", timeout=WAIT_MS)
    last = wall.wait_for_function(CENTRES, arg=[WALKER, incident_id], timeout=WAIT_MS).json_value()
    assert math.dist(last["team"], at_base["team"]) < 1, (last, at_base)  # its phone is at its base

    def gap(c: dict[str, Any]) -> float:
        return math.dist(c["team"], c["site"])

    for n in range(1, steps + 1):  # 300 m a step, east along the street to the site
        page.context.set_geolocation(gps(*moved(*base, east_m=1500 * n / steps)))
        now = wall.wait_for_function(
            f"""([team, incident, x, y]) => {{ const c = ({CENTRES})([team, incident]);
                return c && Math.hypot(c.team[0] - x, c.team[1] - y) > 1 && c; }}""",
            arg=[WALKER, incident_id, *last["team"]],
            timeout=WAIT_MS,
        ).json_value()
        assert gap(now) < gap(last), (n, last, now)  # toward the site
        assert "om-team-mark-live" in now["cls"].split(), now
        last = now
        if n == 3:  # on its way: between its base and the site
            wall.screenshot(path=str(artifacts / "team-wall-1920x1080.png"))
    assert gap(last) < 3, last  # at the site: on the incident's dot
    assert gap(at_base) > 20, at_base  # far enough on the wall for the walk to be seen
    kept = page.evaluate("() => fetch('/team/state').then(r => r.json())")["fix"]
    assert math.dist((kept["lon"], kept["lat"]), site) < 1e-6, kept
    assert not errors and not wall_errors, (errors, wall_errors)


# ---- 2. on site, proven by where the phone is ----


def test_on_site_at_the_site_is_verified_and_2_km_away_is_not(
    open_page: Callable[..., Any], open_phone: Callable[..., Any], phone_app: dict[str, Any]
) -> None:
    url = phone_app["url"]
    near_site, far_site = site_near(NEAR, east_m=800), site_near(FAR, north_m=800)
    near_id = order(url, NEAR, *near_site, category="fallen_tree")
    far_id = order(url, FAR, *far_site, category="pollution")
    shown = {}
    for team_id, incident_id, where, proof in (
        (NEAR, near_id, moved(*near_site, north_m=40), "verified"),
        (FAR, far_id, moved(*far_site, north_m=2000), "not_verified"),
    ):
        page, errors = open_phone(team_id, where)
        page.wait_for_selector(f"{card(incident_id)}[data-step='on_site']", timeout=WAIT_MS)
        assert page.get_attribute(card(incident_id), "data-proof") == ""
        on_duty_with_fix(page)
        page.click(f"{card(incident_id)} button.tm-step")
        page.evaluate("window.onemapTeam.poll()")
        page.wait_for_selector(f"{card(incident_id)}[data-proof='{proof}'][data-step='resolve']", timeout=WAIT_MS)
        shown[team_id] = page.text_content(f"{card(incident_id)} .tm-proof.{proof}") or ""
        assert not errors, errors
    assert zh("proof.verified") in shown[NEAR] and zh("proof.distance", m=40) in shown[NEAR], shown
    assert zh("proof.not_verified") in shown[FAR] and zh("proof.distance", m=2000) in shown[FAR], shown

    near, far = incident(url, near_id)["order"], incident(url, far_id)["order"]
    assert (near["proof"], far["proof"]) == ("verified", "not_verified"), (near, far)
    assert near["proof_m"] == pytest.approx(40, abs=1) and far["proof_m"] == pytest.approx(2000, abs=2)

    room, room_errors = open_page(f"{url}/township/T02", township="T02")
    room.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    room.wait_for_selector(f".om-town-row[data-incident='{near_id}'] .om-proof[data-proof='verified']", timeout=WAIT_MS)
    room.wait_for_selector(
        f".om-town-row[data-incident='{far_id}'] .om-proof[data-proof='not_verified']", timeout=WAIT_MS
    )
    assert not room_errors, room_errors


# ---- 3. a dead zone ----


def test_a_step_pressed_offline_arrives_once_after_going_online(
    open_phone: Callable[..., Any], phone_app: dict[str, Any]
) -> None:
    url = phone_app["url"]
    site = site_near(DEAD_ZONE, east_m=600)
    incident_id = order(url, DEAD_ZONE, *site)
    page, errors = open_phone(DEAD_ZONE, site)
    step = f"{card(incident_id)} button.tm-step"
    page.wait_for_selector(f"{card(incident_id)}[data-step='on_site']", timeout=WAIT_MS)

    page.context.set_offline(True)
    page.wait_for_selector("#tm-net.bad", timeout=WAIT_MS)
    with page.expect_event("requestfailed", lambda r: f"/team/orders/{incident_id}/" in r.url, timeout=WAIT_MS):
        page.click(step)  # sent at once, and it fails in the dead zone
    page.wait_for_selector("#tm-queue:not([hidden])", timeout=WAIT_MS)
    assert page.text_content("#tm-queue") == zh("team.queued", n=1)
    assert page.is_disabled(step)  # pressed once: it cannot be pressed again while it waits
    assert page.evaluate(UNFIT) == []  # the bar's long offline notice and the queue's count fit the phone too
    (queued,) = page.evaluate("window.onemapTeam.queue()")
    assert (queued["incident_id"], queued["step"]) == (incident_id, "on_site"), queued
    assert "on_site" not in incident(url, incident_id)["order"]["done"]

    page.context.set_offline(False)
    page.wait_for_selector("#tm-queue", state="hidden", timeout=WAIT_MS)
    page.wait_for_selector(f"{card(incident_id)}[data-step='resolve']", timeout=WAIT_MS)
    taken = incident(url, incident_id)["order"]["done"]["on_site"]
    (event,) = on_site_events(url, incident_id)
    assert event["event_id"] == f"cmd:{queued['command_id']}", event  # the queued command, taken once
    assert event["device_at"] == pytest.approx(queued["device_at"]), event  # with the time it was pressed
    assert page.get_attribute("#tm-net", "class") == "tm-pill ok"

    # The same command sent again (a phone that lost the answer): the server answers duplicate, nothing changes.
    key = f"om.team.queue.{DEAD_ZONE}"
    with page.expect_response(lambda r: f"/team/orders/{incident_id}/" in r.url) as again:
        page.evaluate(
            "([key, cmd]) => { localStorage.setItem(key, JSON.stringify([cmd])); window.onemapTeam.flush(); }",
            [key, queued],
        )
    assert again.value.json()["status"] == "duplicate"
    page.wait_for_function("() => window.onemapTeam.queue().length === 0", timeout=WAIT_MS)
    assert incident(url, incident_id)["order"]["done"]["on_site"] == taken
    assert len(on_site_events(url, incident_id)) == 1
    assert not errors, errors


# ---- 4 and 5. photos ----


def jpeg(width: int, height: int) -> bytes:
    """Return a real photo-like JPEG: a sky, a street and a marked spot."""
    img = Image.new("RGB", (width, height), (120, 170, 220))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, height * 2 // 3, width, height), fill=(90, 90, 90))
    draw.ellipse((width // 3, height // 3, width // 2, height // 2), fill=(220, 60, 40))
    out = BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def png_bomb(side: int = 30_000) -> bytes:
    """Return a PNG of a few hundred bytes whose header claims side x side pixels (900 MP of RGB at 30000)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)  # 8-bit RGB
    rows = zlib.compress(b"\0" * (side * 3 + 1) * 4, 9)  # the first rows; a decoder would go on for 2.7 GB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def upload(name: str, mime: str, data: bytes) -> dict[str, Any]:
    """Return a file as the phone's file picker hands it over."""
    return {"name": name, "mimeType": mime, "buffer": data}


LOADED = "sel => { const i = document.querySelector(sel); return !!i && i.complete && i.naturalWidth > 0; }"


def test_a_photo_goes_in_and_shows_on_the_timeline(
    open_page: Callable[..., Any], open_phone: Callable[..., Any], phone_app: dict[str, Any]
) -> None:
    url = phone_app["url"]
    site = site_near(PHOTO, north_m=700)
    incident_id = order(url, PHOTO, *site)
    page, errors = open_phone(PHOTO, site)
    page.wait_for_selector(f"{card(incident_id)}[data-step='on_site']", timeout=WAIT_MS)
    with page.expect_response(f"{url}/team/evidence") as uploaded:
        page.set_input_files(
            f"{card(incident_id)} .tm-photo-btn input[type=file]",
            files=[upload("site.jpg", "image/jpeg", jpeg(2400, 1800))],
        )
    photo = uploaded.value.json()
    assert (photo["width"], photo["height"]) == (1600, 1200), photo  # kept at most 1600 px on its long side
    page.wait_for_function(LOADED, arg=f"{card(incident_id)} .tm-thumbs img", timeout=WAIT_MS)
    page.click(f"{card(incident_id)} button.tm-step")
    page.wait_for_selector(f"{card(incident_id)}[data-step='resolve']", timeout=WAIT_MS)
    (event,) = on_site_events(url, incident_id)
    assert event["photos"] == [photo["id"]], event

    replay, replay_errors = open_page(f"{url}/replay?incident={incident_id}")
    shown = f".om-replay-step .om-evidence a[href='/evidence/{photo['id']}'] img"
    replay.wait_for_selector(shown, timeout=WAIT_MS)
    replay.wait_for_function(LOADED, arg=shown, timeout=WAIT_MS)
    assert not errors and not replay_errors, (errors, replay_errors)


def test_a_50_mb_file_a_decompression_bomb_a_script_and_an_svg_are_refused_and_nothing_is_stored(
    open_phone: Callable[..., Any], phone_app: dict[str, Any], tmp_path: Path
) -> None:
    url = phone_app["url"]
    site = site_near(REFUSED, east_m=500)
    incident_id = order(url, REFUSED, *site)
    big = tmp_path / "big.jpg"
    with big.open("wb") as f:  # a JPEG's first bytes, then 50 MB
        f.write(b"\xff\xd8\xff")
        f.truncate(50 * MIB)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    cases = [  # what the phone picks, the server's answer (None: refused on the phone) and the message the team reads
        (big, None, zh("error.photo_too_large", limit_mb=12)),
        (upload("bomb.png", "image/png", png_bomb()), 409, zh("error.photo_too_many_pixels", limit_mp=40)),
        (upload("site.jpg", "image/jpeg", b"#!/bin/sh\nrm -rf /\n"), 409, zh("error.photo_not_image")),
        (upload("site.svg", "image/svg+xml", svg), 409, zh("error.photo_not_image")),
    ]
    assert len(png_bomb()) < 2048
    page, errors = open_phone(REFUSED, site)
    sent: list[Any] = []
    page.on("request", lambda r: r.url.endswith("/team/evidence") and sent.append(r))
    picker = f"{card(incident_id)} .tm-photo-btn input[type=file]"
    page.wait_for_selector(f"{card(incident_id)}[data-step='on_site']", timeout=WAIT_MS)
    for files, status, message in cases:
        page.evaluate("() => { const n = document.getElementById('tm-toast'); if (n) { n.hidden = true; } }")
        if status is None:  # 50 MB: not sent over the phone's data at all
            page.set_input_files(picker, files=files)
        else:
            with page.expect_response(f"{url}/team/evidence") as answered:
                page.set_input_files(picker, files=files)
            assert answered.value.status == status, (files, answered.value.status)
        page.wait_for_selector(".tm-toast.bad:not([hidden])", timeout=WAIT_MS)
        assert page.text_content(".tm-toast.bad") == message
        page.wait_for_selector(f"{card(incident_id)} .tm-thumbs .tm-thumb", state="detached", timeout=WAIT_MS)
    assert len(sent) == 3, [r.post_data_buffer[:40] for r in sent]  # the three the server had to see
    with sqlite3.connect(f"file:{phone_app['db']}?mode=ro", uri=True) as db:
        stored = db.execute("SELECT count(*) FROM evidence WHERE incident_id = ?", (incident_id,)).fetchone()[0]
    assert stored == 0
    assert page.get_attribute(card(incident_id), "data-step") == "on_site"  # and the order is as it was
    assert not errors, errors


# ---- 6. another team ----


def test_another_teams_member_can_neither_see_nor_act_on_the_order(
    open_phone: Callable[..., Any], phone_app: dict[str, Any]
) -> None:
    url = phone_app["url"]
    site = site_near(OWNER, north_m=-600)
    incident_id = order(url, OWNER, *site)
    page, errors = open_phone(INTRUDER, site)
    page.wait_for_selector(".tm-empty", timeout=WAIT_MS)
    assert page.text_content(".tm-empty") == zh("team.no_orders")
    assert page.locator("article.tm-card").count() == 0
    body = {"command_id": "e2e-intruder-1", "device_at": time.time(), "fix": None, "note": "", "photos": []}
    refused = page.request.post(f"{url}/team/orders/{incident_id}/on_site", data=body, headers={"Origin": url})
    assert refused.status == 403 and refused.json()["error"]["code"] == "out_of_scope", refused.text()
    assert incident(url, incident_id)["order"]["done"].keys() == {"sign", "respond", "route"}
    assert not errors, errors


# ---- 7. a phone's width ----

# What does not fit: text (each text node's extent) outside the viewport's width, or clipped by its box.
UNFIT = """() => {
  const W = window.innerWidth, out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) { continue; }
    const range = document.createRange();
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.width && (r.left < -0.5 || r.right > W + 0.5)) { out.push(["outside", n.textContent.slice(0, 40), r.left, r.right]); }
  }
  document.querySelectorAll("body *").forEach(e => {
    const s = getComputedStyle(e);
    if (e.textContent.trim() && s.overflowX !== "visible" && e.clientWidth && e.scrollWidth > e.clientWidth + 1) {
      out.push(["clipped", e.className, e.scrollWidth, e.clientWidth]);
    }
  });
  return out;
}"""

INSIDE = """sel => { const r = document.querySelector(sel).getBoundingClientRect();
  return r.width > 0 && r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight; }"""


@pytest.fixture(scope="module")
def long_named(phone_app: dict[str, Any]) -> str:
    """Return the incident ordered to the team with the longest name, its on-site step next."""
    return order(phone_app["url"], LONG_NAME, *site_near(LONG_NAME, east_m=900))


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 412, "height": 915}])
def test_the_page_fits_a_phone_in_chinese_and_english(
    viewport: dict[str, int],
    long_named: str,
    open_phone: Callable[..., Any],
    phone_app: dict[str, Any],
    artifacts: Path,
) -> None:
    url, incident_id = phone_app["url"], long_named
    page, errors = open_phone(LONG_NAME, site_near(LONG_NAME), viewport=viewport)
    page.evaluate("sessionStorage.clear()")  # the order is new to this tab again, and the next page is untouched
    for lang in ("zh", "en"):
        page.goto(f"{url}/team?lang={lang}")
        page.wait_for_selector(f"{card(incident_id)}[data-step='on_site'] .tm-clock:not(:empty)", timeout=WAIT_MS)
        if lang == "zh":  # a new order: the bar flashes until the page is touched (no script error before that)
            page.wait_for_selector("body.tm-alarm", timeout=WAIT_MS)
            page.click(".tm-name")
            page.wait_for_selector("body:not(.tm-alarm)", timeout=WAIT_MS)
        name = TEAMS[LONG_NAME][f"name_{lang}"]
        assert page.text_content(".tm-name") == name
        done, steps = page.text_content(f"{card(incident_id)} .tm-done") or "", ("sign", "respond", "route")
        at = [done.find(i18n.t(f"step.{s}", lang)) for s in steps]
        assert -1 not in at and at == sorted(at), (done, at)  # the steps taken, in the order they were taken
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
        assert page.evaluate(UNFIT) == []
        assert page.evaluate(INSIDE, ".tm-name"), "the team's name is on screen whole"
        page.locator("button.tm-step").scroll_into_view_if_needed()
        assert page.evaluate(INSIDE, "button.tm-step"), "the step button is on screen whole"
        assert page.text_content("button.tm-step") == i18n.t("team.do_on_site", lang)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(
            path=str(artifacts / f"team-{viewport['width']}x{viewport['height']}-{lang}.png"), full_page=True
        )
    assert not errors, errors


def test_at_the_resolve_step_a_phone_offers_how_it_ended_and_the_card_fits_in_english(
    open_phone: Callable[..., Any], phone_app: dict[str, Any]
) -> None:
    url = phone_app["url"]
    site = site_near(ENDING, east_m=300)
    incident_id = order(url, ENDING, *site, category="neighbour_dispute")
    page, errors = open_phone(ENDING, moved(*site, north_m=30), viewport={"width": 390, "height": 844})
    page.wait_for_selector(f"{card(incident_id)}[data-step='on_site']", timeout=WAIT_MS)
    on_duty_with_fix(page)
    page.click(f"{card(incident_id)} button.tm-step")
    page.evaluate("window.onemapTeam.poll()")
    page.goto(f"{url}/team?lang=en")
    page.wait_for_selector(f"{card(incident_id)}[data-step='resolve']", timeout=WAIT_MS)
    options = page.eval_on_selector_all(f"{card(incident_id)} select.tm-outcome option", "os => os.map(o => o.value)")
    assert options == ["on_spot", "law_enforcement", "court_mediation", "petition", "department"]
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")  # four steps done, wrapped
    assert not errors, errors
