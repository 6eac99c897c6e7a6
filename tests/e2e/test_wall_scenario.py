"""The wall of a hand-computed day, read from the browser: every number equals the worked answer, after a restart too."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app import create_app
from config import Settings
from domain.model import Role
from tests.conftest import Clock
from tests.integration import scenario_day as day

pytestmark = pytest.mark.e2e
WAIT_MS = 30_000


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory, district: Any) -> Iterator[tuple[Settings, Clock]]:
    """Play the scripted day into a data dir through the API; the clock stops at the moment it is read."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("wall-scenario"), simulator=False, api_tokens=day.TOKENS)
    clock = Clock()
    day.play_day(settings, clock, district)
    yield settings, clock


def _wall(settings: Settings, clock: Clock) -> str:
    onemap = create_app(settings, clock=clock)  # a new process's start: the state replayed from the log
    kiosk = onemap.services.accounts.create_token(f"wall-{id(onemap)}", "kiosk", Role.WALL)
    return f"{day.serve(onemap)}/wall?kiosk={kiosk}"


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"  # as ui.js pct shows a rate


def _mmss(seconds: float) -> str:
    return f"{int(seconds) // 60:02d}:{int(seconds) % 60:02d}"  # as sla.js clockText shows a span


def _read(page: Any) -> dict[str, str]:
    """Return every figure on the wall by its data-figure name (tiles, status strip, stage panel, ranking)."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-figure]')]
        .map(el => [el.getAttribute('data-figure'), el.textContent.trim()]))""")


def _expected() -> dict[str, str]:
    d = day.EXPECTED_DISTRICT
    out = {
        name: str(d[name])
        for name in (
            "received",
            "ordered",
            "on_time",
            "resolved",
            "waiting",
            "waiting_late",
            "in_progress",
            "breached_open",
            "awaiting_callback",
        )
    }
    out |= {name: _pct(d[name]) for name in ("completion_rate", "on_time_rate", "satisfaction_rate")}
    out |= {
        "dispatch.on_time_rate": _pct(d["dispatch"]["on_time_rate"]),
        "dispatch.on_time": str(d["dispatch"]["on_time"]),
        "dispatch.late": str(d["dispatch"]["late"]),
        "dispatch.median_s": _mmss(d["dispatch"]["median_s"]),
        "dispatch.p90_s": _mmss(d["dispatch"]["p90_s"]),
    }
    for s, tally in d["stages"].items():
        out |= {
            f"stages.{s}.on_time_rate": _pct(tally["on_time_rate"]),
            f"stages.{s}.on_time": str(tally["on_time"]),
            f"stages.{s}.late": str(tally["late"]),
        }
    for tid, rank in day.EXPECTED_RANKS:
        row = day.EXPECTED_TOWNSHIPS[tid]
        out[f"rank.{tid}"] = "—" if rank is None else str(rank)
        out[f"rank.{tid}.on_time_rate"] = _pct(row["on_time_rate"])
        out[f"rank.{tid}.completion_rate"] = _pct(row["completion_rate"])
        out[f"rank.{tid}.received"] = str(row["received"])
    return out


@pytest.mark.parametrize("restarted", [False, True], ids=["first-start", "after-restart"])
def test_every_number_on_the_wall_equals_the_hand_computed_day(
    scenario: tuple[Settings, Clock], open_page: Callable[..., Any], artifacts: Path, restarted: bool
) -> None:
    settings, clock = scenario
    url = _wall(settings, clock)
    if restarted:
        url = _wall(settings, clock)
    page, errors = open_page(url)
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    expected = _expected()
    page.wait_for_function(
        "n => document.querySelectorAll('[data-figure]').length >= n", arg=len(expected), timeout=WAIT_MS
    )
    shown = _read(page)
    assert {k: shown.get(k) for k in expected} == expected
    # The wall's clock shows the district's time (09:16:40 and on), whatever the browser's time zone (UTC here).
    assert re.match(r"^\d{4}-\d\d-\d\d 09:1\d:\d\d$", page.text_content("[data-clock]") or ""), page.text_content(
        "[data-clock]"
    )
    page.screenshot(path=str(artifacts / f"wall-scenario-{'restart' if restarted else 'first'}.png"))
    assert not errors, errors
