"""A legible wall map in real Chromium, at 1080p and 4K, in Chinese and English: every township label shown, none on
another label or a marker icon; CAP areas drawn as the polygons and circles the alerts carry."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from application.district import load_fixtures
from domain.catalog import short_name_en
from geo.boundaries import demo_boundaries

from .legible_app import CIRCLE, CIRCLE_ALERT, POLYGON_ALERT

pytestmark = pytest.mark.e2e

WAIT_MS = 60_000  # a 4K wall's first full render on a shared two-core machine
SIZES = [(1920, 1080), (3840, 2160)]
CJK = "[\u3400-\u9fff]"

# Markers come and go every second on a live wall, each change followed by a label pass (assets/labels.js). So in
# one turn of the page's loop: run the pass the next change would run, then read every label shown and what it touches.
LABEL_REPORT = """() => {
  window.onemap.map.maps().forEach(m => window.onemap.labels.place(m));
  const shown = e => { const r = e.getBoundingClientRect();
    return r.width > 0 && e.style.visibility !== "hidden" && e.style.opacity !== "0"; };
  const labels = [...document.querySelectorAll(".om-town-label")].filter(shown);
  const icons = [...document.querySelectorAll(".leaflet-marker-icon:not(.om-cluster)")].filter(shown);
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const overlaps = [];
  labels.forEach((l, i) => {
    const a = l.getBoundingClientRect();
    labels.slice(i + 1).forEach(m => { if (hit(a, m.getBoundingClientRect())) { overlaps.push(l.textContent + " / " + m.textContent); } });
    icons.forEach(m => { if (hit(a, m.getBoundingClientRect())) { overlaps.push(l.textContent + " / " + m.className); } });
  });
  return JSON.stringify({labels: labels.map(l => l.textContent), icons: icons.length, overlaps});
}"""

ALERT_SHAPES = """() => {
  const out = {};
  window.onemap.map.maps()[0].eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (!p || p.kind !== "alert" || !l._path) { return; }
    const m = l._map, pts = l instanceof window.L.Circle ? [] : l.getLatLngs()[0].map(ll => m.latLngToLayerPoint(ll));
    out[p.alert] = {d: l._path.getAttribute("d"), circle: l instanceof window.L.Circle,
                    radius_m: l.getRadius ? l.getRadius() : 0, vertices: pts.length};
  });
  return JSON.stringify(out);
}"""


def _labels(page: Any, towns: int) -> dict[str, Any]:
    # The page's own passes have placed and shown every label before the test looks.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.om-town-label:not(.om-town-label-hidden)')]"
        f".filter(e => e.style.opacity !== '0').length === {towns}",
        timeout=WAIT_MS,
    )
    return json.loads(page.evaluate(LABEL_REPORT))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_township_label_is_shown_and_none_sits_on_another_label_or_a_marker(
    open_page: Callable[..., Any], cap_app: str, size: tuple[int, int], lang: str
) -> None:
    fixtures, towns = load_fixtures(), demo_boundaries().townships
    page, errors = open_page(f"{cap_app}/wall?lang={lang}", width=size[0], height=size[1])
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    page.wait_for_function(
        f"() => document.querySelectorAll('.leaflet-marker-icon.om-hall').length === {len(fixtures['halls'])}"
        f" && document.querySelectorAll('.om-alert-label').length >= 2",
        timeout=WAIT_MS,
    )
    report = _labels(page, len(towns))
    names = {t["name_zh"] if lang == "zh" else short_name_en(t["name_en"]) for t in towns}
    assert {re.sub(r"\s*[\d.%—-]+$", "", label) for label in report["labels"]} == names, report  # every township named
    assert report["icons"] >= len(fixtures["halls"]) + len(fixtures["stations"]), report
    assert report["overlaps"] == [], report["overlaps"]
    if lang == "en":  # short English names: the outline already says it is a subdistrict or a town
        assert not any(re.search(CJK, label) for label in report["labels"]), report
    assert not errors, errors
    page.close()


def test_a_cap_polygon_is_drawn_as_its_polygon_and_a_circle_as_a_circle(
    open_page: Callable[..., Any], cap_app: str
) -> None:
    page, errors = open_page(f"{cap_app}/wall?lang=en")
    page.wait_for_function("() => document.querySelectorAll('.om-alert-label').length >= 2", timeout=WAIT_MS)
    shapes = json.loads(page.evaluate(ALERT_SHAPES))
    polygon, circle = shapes[POLYGON_ALERT], shapes[CIRCLE_ALERT]
    # The polygon: the CAP ring's 16 vertices, drawn as straight segments (Leaflet drops those within a pixel of a
    # line), no arcs, and no box (a box is M and 3 L).
    assert not polygon["circle"] and "a" not in polygon["d"].lower()
    assert polygon["vertices"] == 16 and polygon["d"].count("L") >= 10, polygon["d"]
    # The circle: SVG arcs, of the CAP radius.
    assert circle["circle"] and "a" in circle["d"] and circle["radius_m"] == CIRCLE[2] * 1000, circle
    labels = page.evaluate("() => [...document.querySelectorAll('.om-alert-label')].map(e => e.textContent).join('|')")
    assert "Yellow rainstorm warning" in labels and "Orange gale warning" in labels, labels
    assert not errors, errors
    page.close()
