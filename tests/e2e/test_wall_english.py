"""The English wall in real Chromium, at 1080p and 4K: every text it shows is English (warning types too), and no
name is cut: each fits its cell, wrapping at word breaks when it must."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

WAIT_MS = 60_000  # a 4K wall's first full render on a shared two-core machine
CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]+")
# The one Chinese text the English wall shows on purpose: the switch back to Chinese, named in its own language.
OWN_LANGUAGE = ".om-lang"
NAME_CELLS = (
    ".om-rank-name",
    ".om-hq-hall",
    ".om-order-title",
    ".om-order-meta",
    ".om-kpi-label",
    ".om-clock-name",
    ".om-stat span",
    ".om-legend-item",
    ".om-shade-item",
    ".om-town-label",
    ".om-alert-label",
    ".om-panel h2",
    ".om-map-caption",
)

VISIBLE_TEXT = """(skip) => {
  const out = [], walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement, text = n.textContent.trim();
    if (!text || !el || el.closest(skip) || el.closest("script, style, noscript")) { continue; }
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    if (r.width > 0 && r.height > 0 && cs.visibility !== "hidden" && cs.opacity !== "0" && cs.display !== "none") { out.push(text); }
  }
  return out;
}"""

CLIPPED = """(selectors) => {
  const out = [];
  document.querySelectorAll(selectors.join(",")).forEach(el => {
    const cs = getComputedStyle(el);
    if (cs.display === "inline" || el.getBoundingClientRect().width === 0) { return; }
    if (el.scrollWidth > el.clientWidth + 1 || cs.textOverflow === "ellipsis") {
      out.push({cls: el.className, text: el.textContent, scroll: el.scrollWidth, client: el.clientWidth});
    }
  });
  return out;
}"""


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_english_wall_shows_only_english_and_cuts_no_name(
    open_page: Callable[..., Any], cap_app: str, size: tuple[int, int]
) -> None:
    page, errors = open_page(f"{cap_app}/wall?lang=en", width=size[0], height=size[1])
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    # Wait for every panel to be filled: ranking, halls, the most urgent orders, and both CAP warnings on the map.
    page.wait_for_function(
        "() => document.querySelectorAll('.om-rank-name').length === 11"
        " && document.querySelectorAll('.om-hq-hall').length > 0"
        " && document.querySelectorAll('.om-order-title').length > 0"
        " && document.querySelectorAll('.om-alert-label').length >= 2",
        timeout=WAIT_MS,
    )
    chinese = [t for t in page.evaluate(VISIBLE_TEXT, OWN_LANGUAGE) if CJK.search(t)]
    assert chinese == [], chinese
    clipped = page.evaluate(CLIPPED, list(NAME_CELLS))
    assert clipped == [], json.dumps(clipped, ensure_ascii=False)
    warnings = page.evaluate("() => [...document.querySelectorAll('.om-alert-label')].map(e => e.textContent)")
    assert any(w.startswith("Yellow rainstorm warning") for w in warnings), warnings
    assert not errors, errors
    page.close()
