"""A township room's own map in real Chromium: fitted to its boundary, its incidents by SLA state, its teams and halls."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from application.district import load_fixtures
from geo.boundaries import demo_boundaries
from tests.e2e.conftest import _seed_users, api, report_in_t03, running_app

pytestmark = pytest.mark.e2e

WAIT_MS = 30_000
TOWN = "T03"
TOKENS = {"sys-room": "system", "cmd-room": "commander"}
STATUSES = ("waiting", "waiting_warning", "waiting_late", "ok", "warning", "breached", "handling", "resolved")

# Every incident drawn on the room's map, with its id and the classes of its marker.
DRAWN = """() => {
  const out = [];
  window.onemap.map.maps()[0].eachLayer(layer => {
    const f = layer.feature;
    if (f && f.properties.kind === "incident" && layer._path) {
      out.push({id: f.properties.id, cls: layer._path.getAttribute("class") || ""});
    }
  });
  return out;
}"""

# The map's view and the extents of the room's township and of the whole district, as [south, west, north, east].
EXTENTS = """(town) => {
  const map = window.onemap.map.maps()[0], box = b => [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()];
  let own = null, all = null;
  map.eachLayer(layer => {
    const f = layer.feature;
    if (!f || layer.options.pane !== "omTowns" || !layer.getBounds) { return; }
    const b = layer.getBounds();
    all = all ? all.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
    if (f.properties.id === town) { own = b; }
  });
  return {view: box(map.getBounds()), own: box(own), all: box(all)};
}"""

# Incidents no room's socket would send it, put straight into the browser's state: one of another township in the
# middle of this township's area, one of this township beside it; the next render draws only the second.
INJECT = """([town, other]) => {
  const st = window.onemap.live.state(), c = window.onemap.map.maps()[0].getCenter();
  const put = (id, township) => st.entities.set("incident:" + id, {kind: "incident", id, category: "noise", address: "",
    priority: 3, township, lon: c.lng, lat: c.lat, stage: "received", status: "waiting", clock: null, order: null,
    received_at: Date.now() / 1000});  // as the server sends one: its status, and its running clock (none here)
  put("E2E-FOREIGN", other);
  put("E2E-OWN", town);
}"""


@pytest.fixture(scope="module")
def room_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run the demo with a slow simulator, three incidents reported in the room's township and one ordered to its room.

    Not the session's shared app: its simulator has been adding incidents since the session began, and past
    assets/mapfeed.js CLUSTER_AT in one township (reached after about five minutes, sooner on a slow machine) the room
    map clusters them, so an incident is no longer a dot of its own.
    """
    tmp = tmp_path_factory.mktemp("onemap-room")
    env = {
        **os.environ,
        "ONEMAP_DATA_DIR": str(tmp / "data"),
        "ONEMAP_AUTOPILOT": "off",
        "PYTHONUNBUFFERED": "1",
        "ONEMAP_API_TOKENS": ",".join(f"{k}={v}" for k, v in TOKENS.items()),
    }
    _seed_users(env)
    with running_app(env, 60) as url:
        incident = report_in_t03(url, "sys-room", "ROOM")[-1]
        api(url, f"/incidents/{incident}/order", "cmd-room", {"township": TOWN, "command_id": f"{incident}.order.0"})
        yield url


def _contains(outer: list[float], inner: list[float], slack: float = 1e-9) -> bool:
    return (
        outer[0] <= inner[0] + slack
        and outer[1] <= inner[1] + slack
        and outer[2] >= inner[2] - slack
        and outer[3] >= inner[3] - slack
    )


def test_a_township_room_maps_its_own_township_its_incidents_by_sla_state_and_its_teams(
    open_page: Callable[..., Any], room_app: str, artifacts: Path
) -> None:
    fixtures = load_fixtures()
    teams = [t for t in fixtures["teams"] if t["township"] == TOWN]
    halls = [h for h in fixtures["halls"] if h["township"] == TOWN]
    stations = [s for s in fixtures["stations"] if s["township"] == TOWN]
    page, errors = open_page(f"{room_app}/township/{TOWN}", township=TOWN)
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    page.wait_for_function("() => document.querySelectorAll('#room-map path.om-inc').length > 0", timeout=WAIT_MS)
    # Teams are drawn in place as they arrive, halls and gauges by Dash's render: wait for both paths to have drawn.
    page.wait_for_function(
        f"() => document.querySelectorAll('#room-map .om-team-icon').length === {len(teams)}"
        f" && document.querySelectorAll('#room-map .leaflet-marker-icon.om-hall').length === {len(halls)}"
        f" && document.querySelectorAll('#room-map .om-gauge-icon').length === {len(stations)}",
        timeout=WAIT_MS,
    )

    # Its teams, halls and gauges only, though the room's socket sends every team, hall and gauge of the district.
    assert page.evaluate("window.onemap.live.all('team').length") > len(teams)
    assert page.evaluate("window.onemap.live.all('station').length") > 0
    busy = page.evaluate(f"window.onemap.live.all('team').filter(x => x.township === '{TOWN}' && x.busy_with).length")
    assert page.locator("#room-map .om-team-mark-busy").count() == busy  # each team's status: free or on a job

    # Its own boundary stands out (named, bright); the others are drawn dimmed around it.
    own_name = next(t["name_zh"] for t in demo_boundaries().townships if t["id"] == TOWN)
    labels = page.locator("#room-map .om-town-label:not(.om-town-label-dim)")
    assert labels.count() == 1 and own_name in (labels.text_content() or "")
    assert page.locator("#room-map .om-town-label-dim").count() >= 1

    # Its incidents, each a dot coloured by its SLA state; never one of another township.
    drawn = page.evaluate(DRAWN)
    assert page.locator("#room-map .om-cluster").count() == 0  # one dot each, no clusters
    for inc in drawn:
        entity = page.evaluate(f"window.onemap.live.get('incident', '{inc['id']}')")
        assert entity["township"] == TOWN or (entity["order"] or {}).get("township") == TOWN, entity
        assert any(f"om-inc-{s}" in inc["cls"].split() for s in STATUSES), inc
    page.evaluate(INJECT, [TOWN, "T05"])
    page.wait_for_function(f"() => ({DRAWN})().some(i => i.id === 'E2E-OWN')", timeout=WAIT_MS)
    assert "E2E-FOREIGN" not in {i["id"] for i in page.evaluate(DRAWN)}

    # Fitted to the township: its boundary fills the view's width or height, and the district does not fit in it.
    ext = page.evaluate(EXTENTS, TOWN)
    view, own, district = ext["view"], ext["own"], ext["all"]
    assert _contains(view, own), ext
    fill = max((own[2] - own[0]) / (view[2] - view[0]), (own[3] - own[1]) / (view[3] - view[1]))
    assert fill > 0.8, ext
    assert not _contains(view, district), ext
    page.screenshot(path=str(artifacts / f"room-map-{TOWN}.png"))
    assert not errors, errors
