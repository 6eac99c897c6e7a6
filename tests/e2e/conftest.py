"""End-to-end fixtures: the real app in a subprocess, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import wait_until

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("ONEMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Short targets so a run sees every SLA state; long enough that the test itself is never late. The dispatch
# targets are long so the simulator's waiting incidents never crowd an order out of the wall's most urgent rows.
SLA_POLICY = {
    "default": {"sign": 45, "respond": 90, "route": 120, "on_site": 180},
    "dispatch": {"1": 3600, "2": 3600, "3": 3600},
}
STARTUP_TIMEOUT_S = 40
PASSWORD = "e2e-password-1"  # throwaway users in a throwaway database
COMMANDER = "e2e-commander"


def operator(township: str) -> str:
    """Return the e2e user who operates a township's room."""
    return f"e2e-op-{township}"


def api(url: str, path: str, token: str, body: Any = None) -> Any:
    """Call the app's API with a bearer token: GET without a body, POST with one; return the JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        f"{url}/api/v1{path}",
        data=data,
        method="GET" if body is None else "POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.load(resp)


T03_SPOT = {"lon": 121.1504, "lat": 31.1089}  # inside T03 of the demo district (a representative point)


def report_in_t03(url: str, token: str, tag: str) -> list[str]:
    """Report three incidents a few hundred metres apart in T03 through the API; return their ids."""
    ids = []
    for n, category in enumerate(("road_obstruction", "fallen_tree", "pollution")):
        rec = {
            "source": "12345",
            "source_id": f"{tag}-{n}",
            "category": category,
            "summary": f"{category} {n}",
            "address": f"新华路{n + 1}号",
            "lon": T03_SPOT["lon"] + n * 0.001,
            "lat": T03_SPOT["lat"],
        }
        ids.append(api(url, "/records", token, rec)["results"][0]["incident_id"])
    return ids


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str, proc: subprocess.Popen, log: Path) -> bool:
    """Return whether the app answers ok on /healthz; raise with its log if it has exited."""
    if proc.poll() is not None:
        raise RuntimeError(f"app exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as resp:
            return json.load(resp).get("status") == "ok"
    except OSError:
        return False


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    try:
        wait_until(lambda: _healthy(url, proc, log), STARTUP_TIMEOUT_S, "/healthz", tick_s=0.3)
    except AssertionError:
        raise RuntimeError(
            f"app not healthy after {STARTUP_TIMEOUT_S}s:\n{log.read_text(errors='replace')[-3000:]}"
        ) from None


def _seed_users(env: dict[str, str]) -> None:
    """Create a commander and one operator per township in the app's database, before it starts."""
    sys.path.insert(0, str(ROOT))
    try:
        from store.accounts import Accounts
    except ImportError:
        return  # a build without sign-in: pages are open
    import config
    from application.district import load_fixtures
    from domain.model import Role
    from store.log import make_engine

    settings = config.from_env([], env)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    accounts = Accounts(make_engine(settings.db_url), time.time)
    accounts.create_user(COMMANDER, PASSWORD, Role.COMMANDER)
    for township in sorted({t["township"] for t in load_fixtures()["teams"]}):
        accounts.create_user(operator(township), PASSWORD, Role.TOWNSHIP, township)


@pytest.fixture(scope="session")
def app_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Return the e2e app's environment (its data dir, no autopilot, short SLA targets), users seeded."""
    tmp = tmp_path_factory.mktemp("onemap-e2e")
    policy = tmp / "sla.json"
    policy.write_text(json.dumps(SLA_POLICY), encoding="utf-8")
    env = {
        **os.environ,
        "ONEMAP_DATA_DIR": str(tmp / "data"),
        "ONEMAP_AUTOPILOT": "off",
        "ONEMAP_SLA_POLICY": str(policy),
        "PYTHONUNBUFFERED": "1",
    }
    _seed_users(env)
    return env


def quiet_env(tmp: Path, policy: dict[str, Any], tokens: dict[str, str]) -> dict[str, str]:
    """Return the environment of an app with no simulator, this SLA policy and these API tokens; users seeded."""
    (tmp / "sla.json").write_text(json.dumps(policy), encoding="utf-8")
    env = {
        **os.environ,
        "ONEMAP_DATA_DIR": str(tmp / "data"),
        "ONEMAP_SIMULATOR": "off",
        "ONEMAP_AUTOPILOT": "off",
        "ONEMAP_SLA_POLICY": str(tmp / "sla.json"),
        "PYTHONUNBUFFERED": "1",
        "ONEMAP_API_TOKENS": ",".join(f"{k}={v}" for k, v in tokens.items()),
    }
    _seed_users(env)
    return env


@contextlib.contextmanager
def running_app(env: dict[str, str], rate: int) -> Iterator[str]:
    """Run `python app.py` in env with a simulator at rate records/min; yield its URL; always stop it. The screens
    under test start from today: no demo history unless env asks for it (ONEMAP_HISTORY_DAYS)."""
    env = {"ONEMAP_HISTORY_DAYS": "0", **env}
    port = _free_port()
    log = Path(env["ONEMAP_DATA_DIR"]).parent / "app.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(port), "--rate", str(rate)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def app_url(app_env: dict[str, str]) -> Iterator[str]:
    """Run the app with a fast simulator in app_env; yield its URL."""
    with running_app(app_env, 600) as url:
        yield url


@pytest.fixture(scope="session")
def cap_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run the app with its simulator and two CAP alerts posted (see legible_app); yield its URL."""
    from .legible_app import running_cap_app  # it runs the app through this module's helpers

    with running_cap_app(tmp_path_factory.mktemp("onemap-legible")) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Launch headless Chromium; a machine without it fails the run rather than skipping it."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: the e2e tests need it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Return the screenshot folder (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@contextlib.contextmanager
def page_opener(browser: Any) -> Iterator[Callable[..., tuple[Any, list[str]]]]:
    """Yield open(url, township=None, width, height) -> (page, script errors), signed in when the app asks.

    The commander opens pages by default; township=ID signs in as that room's operator instead. Every page's
    browser context is closed on the way out.
    """
    contexts: list[Any] = []

    def _open(url: str, township: str | None = None, width: int = 1920, height: int = 1080) -> tuple[Any, list[str]]:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(url)
        if "/login" in page.url:
            page.fill("input[name=username]", operator(township) if township else COMMANDER)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            page.goto(url)
        return page, errors

    try:
        yield _open
    finally:
        for context in contexts:
            context.close()


@pytest.fixture()
def open_page(browser: Any) -> Iterator[Callable[..., tuple[Any, list[str]]]]:
    """Return open(url, township=None, width, height) -> (page, script errors): see page_opener."""
    with page_opener(browser) as open_:
        yield open_
