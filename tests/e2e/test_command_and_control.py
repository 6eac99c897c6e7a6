"""Command and control in real Chromium: the whole order lifecycle across two signed-in browsers, a room
refused another township's order (and the audit trail has it), and a wall kiosk token that dies when revoked."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ROOT, operator

pytestmark = pytest.mark.e2e

WAIT_MS = 20_000
REVOKED_WALL_DARK_MS = 15_000  # the server disconnects a revoked kiosk's sockets within 10 s
ADMIN, ADMIN_PASSWORD = "e2e-admin", "e2e-admin-password-1"


def _manage(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def admin(app_env: dict[str, str]) -> tuple[str, str]:
    """Create an admin in the running app; return (username, password)."""
    _manage(app_env, "create-user", ADMIN, "admin", stdin=ADMIN_PASSWORD + "\n")
    return ADMIN, ADMIN_PASSWORD


def _sign_in(browser: Any, url: str, user: str, password: str) -> Any:
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(f"{url}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def _live(page: Any) -> Any:
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    return page


def _pick_queued(console: Any, exclude_township: str = "") -> tuple[str, str]:
    """Select a queued incident inside the district; return (incident id, its township)."""
    skip = f":not([data-township='{exclude_township}'])" if exclude_township else ""
    # Read in the page in one step: an element handle read later may be of a row that has left the queue since.
    found = console.wait_for_function(
        "(sel) => { const r = document.querySelector(sel); return r && [r.dataset.incident, r.dataset.township]; }",
        arg=f".om-queue-row:not([data-township=''])[data-township]{skip}",
        timeout=WAIT_MS,
    )
    incident_id, township = found.json_value()
    console.click(f".om-queue-row[data-incident='{incident_id}']")  # keyed: the row is the same node until it leaves
    console.wait_for_selector(f".om-detail[data-incident='{incident_id}'] [data-shortcut='issue']", timeout=WAIT_MS)
    return incident_id, township


def _step(room: Any, row: str, step: str) -> None:
    room.click(f"{row}[data-step='{step}'] button")
    room.wait_for_selector(f"{row}:not([data-step='{step}'])", timeout=WAIT_MS)


# First in the module: the shared app's simulator adds 10 incidents a second and none is ever ordered here, so
# a wall opened minutes later draws thousands; on a loaded machine it then took over 20 s to go live.
def test_a_wall_kiosk_token_stops_working_once_revoked(
    browser: Any, app_url: str, app_env: dict[str, str], admin: tuple[str, str]
) -> None:
    name = "e2e-wall-revoked"
    token = _manage(app_env, "create-token", name, "kiosk", "wall").splitlines()[-1]
    wall = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    wall_url = f"{app_url}/wall?kiosk={token}"
    assert wall.goto(wall_url).ok
    _live(wall)

    admin_page = _sign_in(browser, app_url, *admin)
    admin_page.goto(f"{app_url}/admin")
    admin_page.click(f"tr:has(td:text-is('{name}')) button[data-action=revoke]")
    admin_page.wait_for_selector(f"tr:has(td:text-is('{name}')) [data-state=revoked]", timeout=WAIT_MS)

    wall.wait_for_selector(".om-badge-offline", timeout=REVOKED_WALL_DARK_MS)  # its socket was cut
    assert wall.goto(wall_url).status == 403  # and the token opens nothing any more
    wall.context.close()
    admin_page.context.close()


def test_an_order_goes_from_issue_to_close_across_the_console_and_the_room(
    open_page: Callable[..., Any], app_url: str, artifacts: Path
) -> None:
    console, console_errors = open_page(f"{app_url}/command")
    incident_id, township = _pick_queued(_live(console))
    room, room_errors = open_page(f"{app_url}/township/{township}", township=township)
    _live(room)
    assert operator(township) in (room.text_content(".om-user") or "")  # who is signed in, with a sign-out link
    assert room.locator(".om-user a[href='/logout']").count() == 1

    console.keyboard.press("r")  # the shortcut: to the township room, which picks its own team
    console.wait_for_selector(f".om-msg-ok[data-township='{township}']", timeout=WAIT_MS)

    row = f".om-town-row[data-incident='{incident_id}']"
    order_id = room.wait_for_selector(f"{row}[data-step='sign']", timeout=WAIT_MS).get_attribute("data-order")
    room.wait_for_selector(f".om-banner[data-orders*='{order_id}']", timeout=WAIT_MS)
    room.screenshot(path=str(artifacts / "township-new-order.png"))
    _step(room, row, "sign")
    room.wait_for_selector(f".om-banner[data-orders*='{order_id}']", state="detached", timeout=WAIT_MS)
    _step(room, row, "respond")
    room.click(f"{row}[data-step='route'] button")  # no team yet: the room must pick one of its own
    room.wait_for_selector("#town-dialog:not([hidden]) #town-team-pick input:checked", timeout=WAIT_MS)
    room.click("#town-confirm-route")
    room.wait_for_selector(f"{row}[data-step='on_site']", timeout=WAIT_MS)
    _step(room, row, "on_site")
    room.click(f"{row}[data-step='resolve'] button")
    room.wait_for_selector("#town-dialog:not([hidden]) #town-note", timeout=WAIT_MS)
    room.click("#town-confirm-resolve")  # without the result note: refused, and the dialog stays open
    room.wait_for_selector("#town-dialog-msg .om-msg-error", timeout=WAIT_MS)
    room.fill("#town-note", "已清理完毕，恢复通行")
    room.click("#town-confirm-resolve")
    room.wait_for_selector(f"{row}[data-step='done']", timeout=WAIT_MS)
    sounded = [p for p in room.evaluate("window.onemap.alerts.played()") if order_id in p["ids"]]
    assert len(sounded) == 1 and sounded[0]["kind"] == "order", sounded  # one sound per new order, however often drawn

    callback = f".om-cb-row[data-incident='{incident_id}']"
    console.click(f"{callback} .om-fb-satisfied")
    console.wait_for_selector(f"{callback}[data-feedback='satisfied']", timeout=WAIT_MS)
    console.click(f"{callback} button")  # close
    console.wait_for_selector(callback, state="detached", timeout=WAIT_MS)
    assert console.evaluate(f"window.onemap.live.get('incident', '{incident_id}')") is None  # closed: off the screens
    console.screenshot(path=str(artifacts / "command-after-close.png"))
    assert not console_errors and not room_errors, (console_errors, room_errors)


def test_a_township_operator_is_refused_another_townships_order(
    open_page: Callable[..., Any], browser: Any, app_url: str, admin: tuple[str, str]
) -> None:
    console, console_errors = open_page(f"{app_url}/command")
    incident_id, _ = _pick_queued(_live(console), exclude_township="T01")
    console.keyboard.press("Enter")  # the shortcut: to the top suggested team
    owner = console.wait_for_selector(".om-msg-ok[data-township]", timeout=WAIT_MS).get_attribute("data-township")
    intruder = "T01" if owner != "T01" else "T02"
    room, room_errors = open_page(f"{app_url}/township/{intruder}", township=intruder)
    room.goto(f"{app_url}/township/{owner}")
    assert room.url.endswith(f"/township/{intruder}"), "another township's room redirects to the operator's own"
    _live(room)
    # A tampered page: a sign-for click relayed for the other township's order, sent through this operator's session.
    room.evaluate(
        """(incident) => { const b = document.createElement('button');
        b.className = 'forged'; b.textContent = 'sign';
        Object.assign(b.dataset, {relay: 'town-step', incident: incident, step: 'sign'});
        document.body.appendChild(b); }""",
        incident_id,
    )
    room.click("button.forged")
    refusal = room.wait_for_selector("#town-result .om-msg-error", timeout=WAIT_MS).text_content() or ""
    assert "不在本镇街的管辖范围" in refusal, refusal
    console.wait_for_selector(f".om-detail[data-incident='{incident_id}'][data-stage='ordered']", timeout=WAIT_MS)

    admin_page = _sign_in(browser, app_url, *admin)
    audit = admin_page.request.get(f"{app_url}/admin/audit.csv")
    assert audit.ok
    rows = list(csv.DictReader(io.StringIO(audit.text())))
    admin_page.context.close()
    mine = [r for r in rows if r["actor"] == operator(intruder) and r["target"] == incident_id]
    assert [(r["action"], r["result"]) for r in mine] == [("order_sign", "rejected:out_of_scope")], mine
    assert not console_errors and not room_errors, (console_errors, room_errors)
