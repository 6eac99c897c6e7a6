"""The console and a township room at 4K, in real Chromium: text and controls twice their 1080p size, the panels
filling the screen, legible at 1080p; screenshots of both pages at both sizes in Chinese and English."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import _seed_users, api, report_in_t03, running_app

pytestmark = pytest.mark.e2e

WAIT_MS = 30_000
SIZES = ((1920, 1080), (3840, 2160))
TOKENS = {"sys-4k": "system", "cmd-4k": "commander"}
PAGES = {  # page -> (path, its main grid, a row that must be there, the elements whose text size is compared)
    "command": (
        "/command",
        ".om-console-main",
        "#cmd-queue .om-queue-row",
        (".om-title", "#cmd-queue .om-queue-title", ".om-panel-head h2", "#bcast-open"),
    ),
    "township-T03": (
        "/township/T03",
        ".om-room-main",
        "#town-orders .om-town-row",
        (".om-title", "#town-orders .om-order-title", ".om-panel-head h2", "#town-orders .om-btn-step"),
    ),
}
MEASURE = """([main, fonts]) => {
  const visible = e => e.offsetParent !== null, box = e => e.getBoundingClientRect();
  const m = document.querySelector(main), mr = box(m);
  const cols = [...m.children].filter(visible).map(c => {
    const last = [...c.children].filter(visible).pop();
    return {left: box(c).left, right: box(c).right, bottom: box(c).bottom, lastBottom: last ? box(last).bottom : box(c).top};
  });
  const size = s => { const e = document.querySelector(s); return e ? parseFloat(getComputedStyle(e).fontSize) : null; };
  return {vw: innerWidth, vh: innerHeight, main: {left: mr.left, top: mr.top, right: mr.right, bottom: mr.bottom}, cols,
          fonts: Object.fromEntries(fonts.map(s => [s, size(s)])),
          scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight]};
}"""


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run the demo as shipped (simulator, its recent past, the autopilot) with three orders sent to T03's room."""
    tmp = tmp_path_factory.mktemp("onemap-4k")
    env = {
        **os.environ,
        "ONEMAP_DATA_DIR": str(tmp / "data"),
        "PYTHONUNBUFFERED": "1",
        "ONEMAP_API_TOKENS": ",".join(f"{k}={v}" for k, v in TOKENS.items()),
    }
    _seed_users(env)
    with running_app(env, 60) as url:
        for incident in report_in_t03(url, "sys-4k", "4K"):
            api(url, f"/incidents/{incident}/order", "cmd-4k", {"township": "T03", "command_id": f"{incident}.order.0"})
        yield url


def _measure(
    open_page: Callable[..., Any], url: str, name: str, lang: str, size: tuple[int, int], artifacts: Path
) -> dict[str, Any]:
    """Open a page at a size, wait for its rows, save its screenshot, return its measures."""
    path, main, row, fonts = PAGES[name]
    page, errors = open_page(f"{url}{path}?lang={lang}", width=size[0], height=size[1])
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    page.wait_for_selector(row, timeout=WAIT_MS)
    page.wait_for_function(
        "() => !document.querySelector('.om-map') || document.querySelectorAll('.om-map path').length > 0",
        timeout=WAIT_MS,
    )  # a map, where the page has one, has drawn its townships
    page.screenshot(path=str(artifacts / f"{name}-{size[0]}x{size[1]}-{lang}.png"))
    measures = page.evaluate(MEASURE, [main, list(fonts)])
    assert not errors, errors
    page.context.close()
    return measures


def _fills(m: dict[str, Any]) -> None:
    """Assert the main grid spans the screen, its columns span the grid and each column's panels reach its foot."""
    vw, vh, main, cols = m["vw"], m["vh"], m["main"], m["cols"]
    assert main["left"] <= 0.01 * vw and main["right"] >= 0.99 * vw and main["bottom"] >= 0.99 * vh, m
    assert cols[0]["left"] - main["left"] <= 0.02 * vw and main["right"] - cols[-1]["right"] <= 0.02 * vw, m
    assert all(main["bottom"] - c["lastBottom"] <= 0.02 * vh for c in cols), m
    assert m["scroll"][0] <= vw + 1 and m["scroll"][1] <= vh + 1, m  # the page itself never scrolls; panels do


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_at_4k_text_and_controls_are_twice_their_1080p_size_and_the_panels_fill_the_screen(
    demo_app: str, open_page: Callable[..., Any], artifacts: Path, name: str, lang: str
) -> None:
    hd, uhd = (_measure(open_page, demo_app, name, lang, size, artifacts) for size in SIZES)
    for m in (hd, uhd):
        _fills(m)
    for selector, size in hd["fonts"].items():
        assert size is not None and uhd["fonts"][selector] is not None, (selector, hd, uhd)
        assert 1.8 <= uhd["fonts"][selector] / size <= 2.2, (selector, size, uhd["fonts"][selector])
    assert hd["fonts"][PAGES[name][3][1]] >= 14, hd  # a row's title stays legible at 1080p
