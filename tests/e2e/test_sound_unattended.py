"""An unattended room is never silent, in real Chromium: started as the README's kiosk it sounds a new order with no
click; started without the flag it says sound is blocked, and the title flashes until someone acknowledges the order."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from i18n import STRINGS

from .conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD, ROOT, api, operator

pytestmark = pytest.mark.e2e

WAIT_MS = 30_000
TOWN = "T03"
KIOSK_FLAG = "--autoplay-policy=no-user-gesture-required"  # README: the kiosk start of a wall or a room
FLASH = STRINGS["attention.title"][0].split("{")[0]  # the flashing title's start: "【"


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def tokens(app_env: dict[str, str]) -> dict[str, str]:
    """Return API tokens of a commander (who orders) and of the room's township (which signs), made in the app's store."""
    found = {}
    for name, role, extra in (("e2e-sound-cmd", "commander", []), ("e2e-sound-t03", "township", ["--township", TOWN])):
        out = _manage(app_env, "create-token", name, "api", role, *extra)
        found[role] = out.split()[-1]  # printed once, alone
    return found


def _order(url: str, tokens: dict[str, str], tag: str) -> str:
    """Order one of the township's waiting incidents to its room; return the order id."""
    waiting = [
        i
        for i in api(url, f"/incidents?status=open&township={TOWN}", tokens["commander"])["incidents"]
        if not i.get("order")
    ]
    assert waiting, "the simulator keeps the township's queue filled"
    incident = waiting[0]["id"]
    api(url, f"/incidents/{incident}/order", tokens["commander"], {"township": TOWN, "command_id": f"{incident}.{tag}"})
    return api(url, f"/incidents/{incident}", tokens["commander"])["order"]["id"]


def _sign_waiting(url: str, tokens: dict[str, str]) -> None:
    """Sign for every order of the township still waiting for it."""
    for inc in api(url, "/incidents?status=open", tokens["commander"])["incidents"]:
        order = inc.get("order") or {}
        if order.get("township") == TOWN and inc["stage"] == "ordered":
            api(url, f"/orders/{order['id']}/sign", tokens["township"], {"command_id": f"{order['id']}.sign.e2e"})


@pytest.fixture()
def room(browser: Any, app_url: str) -> Iterator[Any]:
    """Return open(flags) -> (page, errors): the room's page in a Chromium started with flags, signed in without a click.

    No gesture may reach the page before its sound is decided: sign-in goes through the context's HTTP client, never
    a form on screen (Playwright's own evaluations count as gestures, so the page makes its audio context at load).
    """
    launched: list[Any] = []

    def _open(flags: list[str]) -> tuple[Any, list[str]]:
        # Playwright passes the kiosk flag by default; without it in flags it is dropped (ignore_default_args drops it
        # from every argument, so a browser is started with it or without it, never both).
        own = browser.browser_type.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, *flags],
            ignore_default_args=[] if KIOSK_FLAG in flags else [KIOSK_FLAG],
        )
        launched.append(own)
        context = own.new_context(viewport={"width": 1920, "height": 1080})
        login = context.request.get(f"{app_url}/login").text()
        csrf = re.search(r"name='csrf' value='([^']+)'", login)
        assert csrf, login
        context.request.post(
            f"{app_url}/login", form={"csrf": csrf[1], "username": operator(TOWN), "password": PASSWORD}
        )
        page, errors = context.new_page(), []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(f"{app_url}/township/{TOWN}")
        page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
        return page, errors

    yield _open
    for own in launched:
        own.close()


def _played(page: Any, order_id: str) -> list[dict[str, Any]]:
    return [p for p in page.evaluate("window.onemap.alerts.played()") if order_id in p["ids"]]


def test_a_kiosk_room_sounds_a_new_order_with_no_click(
    room: Any, app_url: str, tokens: dict[str, str], artifacts: Path
) -> None:
    page, errors = room([KIOSK_FLAG])
    page.wait_for_selector(".om-sound[data-state='on']", timeout=WAIT_MS)
    assert page.evaluate("window.onemap.alerts.contextState()") == "running"
    before = int(page.get_attribute("body", "data-sound-played") or 0)

    order_id = _order(app_url, tokens, "kiosk")
    page.wait_for_selector(f".om-banner[data-orders*='{order_id}']", timeout=WAIT_MS)
    page.wait_for_function(f"() => Number(document.body.dataset.soundPlayed || 0) > {before}", timeout=WAIT_MS)
    assert [p["audible"] for p in _played(page, order_id)] == [True]
    page.screenshot(path=str(artifacts / "room-kiosk-sound.png"))
    assert not errors, errors


def test_without_the_flag_sound_shows_blocked_and_the_title_flashes_until_acknowledged(
    room: Any, app_url: str, tokens: dict[str, str], artifacts: Path
) -> None:
    _sign_waiting(app_url, tokens)  # orders earlier tests left unsigned would flash the title at once
    page, errors = room([])
    blocked = page.wait_for_selector(".om-sound[data-state='locked']", timeout=WAIT_MS)
    assert blocked.text_content() == STRINGS["sound.locked"][0]
    assert page.evaluate("window.onemap.alerts.contextState()") == "suspended"
    assert page.get_attribute("body", "data-attention") != "on"
    plain = page.title()

    order_id = _order(app_url, tokens, "unattended")
    page.wait_for_selector(f".om-banner[data-orders*='{order_id}']", timeout=WAIT_MS)
    page.wait_for_selector("body[data-attention='on']", timeout=WAIT_MS)
    page.wait_for_function(f"() => document.title.startsWith({json.dumps(FLASH)})", timeout=WAIT_MS)
    page.wait_for_function(f"() => document.title === {json.dumps(plain)}", timeout=WAIT_MS)  # it flashes
    page.wait_for_function(f"() => document.title.startsWith({json.dumps(FLASH)})", timeout=WAIT_MS)
    assert [p["audible"] for p in _played(page, order_id)] == [False]  # no sound: the title and banner must do
    page.screenshot(path=str(artifacts / "room-sound-blocked.png"))

    page.click(".om-title")  # someone at the screen: acknowledged, and the click lets sound on
    page.wait_for_selector("body[data-attention='off']", timeout=WAIT_MS)
    assert page.title() == plain
    page.wait_for_selector(".om-sound[data-state='on']", timeout=WAIT_MS)

    # Signed for from elsewhere (another screen of the room) before anyone clicked here: the title stops too.
    _order(app_url, tokens, "signed")
    page.wait_for_selector("body[data-attention='on']", timeout=WAIT_MS)
    _sign_waiting(app_url, tokens)
    page.wait_for_selector("body[data-attention='off']", timeout=WAIT_MS)
    assert page.title() == plain
    assert not errors, errors
