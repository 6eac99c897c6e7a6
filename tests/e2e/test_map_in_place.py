"""The wall's map in real Chromium changes in place: a delta adds, restyles or moves only the markers it touches
(every other marker's DOM node is neither replaced nor written to), clustered or not; a resync redraws them all."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from application.district import load_fixtures
from tests.e2e.conftest import PASSWORD, T03_SPOT, api, quiet_env, running_app

pytestmark = pytest.mark.e2e

WAIT_MS = 20_000
# Long targets: no SLA state changes with time while a test watches (a tick would then restyle, rightly).
POLICY = {
    "default": {"sign": 3600, "respond": 3600, "route": 3600, "on_site": 3600},
    "dispatch": {"1": 7200, "2": 7200, "3": 7200},
}
SYS, CMD = "sys-inplace", "cmd-inplace"
TOKENS = {SYS: "system", CMD: "commander"}
TEAMS = {t["id"]: t for t in load_fixtures()["teams"]}
WALKER, ORDERED = "T05-A", "T03-A"
CREW = "e2e-crew-inplace"
INCIDENTS = ".leaflet-omIncidents-pane"
TEAM_PANE = ".leaflet-omTeams-pane"

# Watch panes (the incidents' and teams' by default): mark every node drawn now, then note every node added,
# removed or written.
WATCH = """(panes) => {
  const w = window.__watch = {added: [], removed: [], written: new Set()};
  panes.forEach(sel => document.querySelectorAll(sel + ' *').forEach(n => { n.__before = true; }));
  if (window.__observer) { window.__observer.disconnect(); }
  window.__observer = new MutationObserver(list => list.forEach(m => {
    if (m.type === 'attributes') { w.written.add(m.target); }
    m.addedNodes.forEach(n => w.added.push(n));
    m.removedNodes.forEach(n => w.removed.push(n));
  }));
  panes.forEach(sel => window.__observer.observe(document.querySelector(sel),
    {subtree: true, childList: true, attributes: true, characterData: true}));
}"""
PANES = [INCIDENTS, TEAM_PANE]

# What changed since WATCH, each node named: "incident:<id>" (its dot), "team:<id>" (its icon or the mark in it),
# "cluster:<count>". added: new nodes; removed: old nodes gone; touched: old nodes still there, written to or moved.
SEEN = """() => {
  const w = window.__watch, sets = [['wall-map', 'incident'], ['wall-map', 'team'], ['cmd-map', 'incident']]
    .map(([map, kind]) => window.onemap.points.setOf(map, kind)).filter(Boolean);
  const name = n => {
    const mark = n.matches && (n.matches('[data-team]') ? n : n.querySelector('[data-team]'));
    if (mark) { return 'team:' + mark.getAttribute('data-team'); }
    if (n.classList && n.classList.contains('om-cluster')) { return 'cluster:' + n.textContent; }
    for (const s of sets) { for (const d of s.drawn.values()) {
      if (d.layer._path === n || d.layer._icon === n) { return s.kind + ':' + d.layer.feature.properties.id; } } }
    return (n.nodeName || '?') + (n.__before ? ':before' : ':new');
  };
  const uniq = ns => [...new Set(ns)];
  return {added: uniq(w.added.filter(n => !n.__before && n.isConnected)).map(name),
          removed: uniq(w.removed.filter(n => n.__before && !n.isConnected)).map(name),
          touched: uniq([...w.written, ...w.added].filter(n => n.__before && n.isConnected)).map(name).sort()};
}"""

GONE = "() => [...window.__watchedBefore].filter(n => n.isConnected).length"


def record(tag: str, lon: float, lat: float) -> dict[str, Any]:
    """Return a 12345 record of a road obstruction at (lon, lat)."""
    return {
        "source": "12345",
        "source_id": tag,
        "category": "road_obstruction",
        "summary": tag,
        "address": "新华路1号",
        "lon": lon,
        "lat": lat,
    }


def report(url: str, records: list[dict[str, Any]]) -> list[str]:
    """Post records through the API; return their incident ids."""
    ids: list[str] = []
    for first in range(0, len(records), 200):
        got = api(url, "/records", SYS, {"records": records[first : first + 200]})
        ids += [r["incident_id"] for r in got["results"]]
    return ids


@pytest.fixture(scope="module")
def quiet_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run an app with no simulator and long SLA targets, and a member of one team's crew; yield its URL."""
    import config
    from domain.model import Role
    from store.accounts import Accounts
    from store.log import make_engine

    env = quiet_env(tmp_path_factory.mktemp("onemap-inplace"), POLICY, TOKENS)
    accounts = Accounts(make_engine(config.from_env([], env).db_url), time.time)
    accounts.create_user(CREW, PASSWORD, Role.TEAM, TEAMS[WALKER]["township"], team=WALKER)
    with running_app(env, 0) as url:
        yield url


def _wall(open_page: Callable[..., Any], url: str, dots: str) -> Any:
    page, errors = open_page(f"{url}/wall")
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    page.wait_for_function(f"() => {dots}", timeout=WAIT_MS)
    page.wait_for_function(f"() => document.querySelectorAll('{TEAM_PANE} .om-team-icon').length === {len(TEAMS)}")
    return page, errors


def _changed(page: Any, until: str, the_map: str = "wall-map") -> dict[str, Any]:
    """Wait for a change to show; return what it changed, once two more ticks would have drawn anything else."""
    page.wait_for_function(until, timeout=WAIT_MS)
    ticks = f"window.onemap.points.setOf('{the_map}', 'incident').ticks"
    page.wait_for_function(f"() => {ticks} >= {page.evaluate(ticks) + 2}", timeout=WAIT_MS)
    return page.evaluate(SEEN)


def test_a_delta_adds_restyles_or_moves_only_its_own_marker_and_a_resync_redraws_them_all(
    open_page: Callable[..., Any], browser: Any, quiet_app: str
) -> None:
    spread = [
        record(f"inplace-{k}", T03_SPOT["lon"] + 0.004 * (k % 8), T03_SPOT["lat"] + 0.004 * (k // 8)) for k in range(40)
    ]
    ids = report(quiet_app, spread)
    page, errors = _wall(open_page, quiet_app, f"document.querySelectorAll('{INCIDENTS} path.om-inc').length === 40")

    # A new incident: one dot added; not one other dot or icon replaced or written to.
    page.evaluate(WATCH, PANES)
    new = report(quiet_app, [record("inplace-new", T03_SPOT["lon"] - 0.01, T03_SPOT["lat"] - 0.01)])[0]
    got = _changed(page, f"() => document.querySelectorAll('{INCIDENTS} path.om-inc').length === 41")
    assert got == {"added": [f"incident:{new}"], "removed": [], "touched": []}, got

    # An order: that incident's dot restyled in place (the same node, now "on time") and its team's icon redrawn busy.
    page.evaluate(WATCH, PANES)
    api(quiet_app, f"/incidents/{ids[5]}/order", CMD, {"team_id": ORDERED, "command_id": "inplace-order"})
    got = _changed(page, f"() => document.querySelector('{TEAM_PANE} .om-team-mark-busy[data-team=\"{ORDERED}\"]')")
    # Its dot: its class and colour written on its own node, brought to the front; the team's icon: the mark in it.
    assert got == {
        "added": [f"team:{ORDERED}"],
        "removed": [f"team:{ORDERED}"],
        "touched": sorted([f"incident:{ids[5]}", f"team:{ORDERED}"]),
    }, got
    assert "om-inc-ok" in page.evaluate(
        f"window.onemap.points.setOf('wall-map', 'incident').drawn.get('p:{ids[5]}').layer._path.getAttribute('class')"
    )

    # A team's phone sends its first fix: its icon moves to it, and no panel of the wall re-renders for it.
    page.evaluate(WATCH, PANES)
    panels = page.evaluate("window.onemap.live.summary().version")
    crew = browser.new_context()
    phone = crew.new_page()
    phone.goto(f"{quiet_app}/login")
    phone.fill("input[name=username]", CREW)
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url("**/team")
    base = TEAMS[WALKER]

    def fix(east: float, accuracy_m: int, age_s: int) -> None:
        sent = phone.evaluate(
            """([lon, lat, accuracy_m, age_s]) => fetch('/team/position', {method: 'POST', credentials: 'same-origin',
                 headers: {'Content-Type': 'application/json'},
                 body: JSON.stringify({lon, lat, accuracy_m, at: Date.now() / 1000 - age_s})}).then(r => r.json())""",
            [base["lon"] + east, base["lat"], accuracy_m, age_s],
        )
        assert sent.get("kept"), sent

    # A free team's fixes are kept a minute and 30 m apart: the first taken 90 s ago (still live), the next now.
    fix(0.01, 10, 90)
    got = _changed(page, f"() => document.querySelector('{TEAM_PANE} .om-team-mark-live[data-team=\"{WALKER}\"]')")
    # Its icon moved (the same node) and its mark redrawn "live"; nothing of any other marker.
    assert got == {"added": [f"team:{WALKER}"], "removed": [f"team:{WALKER}"], "touched": [f"team:{WALKER}"]}, got

    # Its next fix only moves the icon, the same node and mark, and rewrites its hover tip (the fix's accuracy).
    page.evaluate(WATCH, PANES)
    marker = f"window.onemap.points.setOf('wall-map', 'team').drawn.get('p:{WALKER}').layer"
    fix(0.012, 25, 0)
    got = _changed(page, f"() => {marker}.feature.properties.accuracy_m === 25")
    crew.close()
    assert got == {"added": [], "removed": [], "touched": [f"team:{WALKER}"]}, got
    assert "25" in page.evaluate(f"{marker}.getTooltip().getContent()")
    assert page.evaluate("window.onemap.live.summary().version") == panels  # Dash was not handed the fixes

    # A gap in the seqs: the page asks for a resync, and the snapshot redraws every marker (none of the old nodes left).
    page.evaluate(WATCH, PANES)
    page.evaluate(
        "() => { window.__watchedBefore = [...document.querySelectorAll('%s path, %s .om-team-icon')];"
        " window.onemap.live.state().seq -= 3; }" % (INCIDENTS, TEAM_PANE)
    )
    report(quiet_app, [record("inplace-gap", T03_SPOT["lon"] + 0.02, T03_SPOT["lat"] + 0.02)])
    page.wait_for_function(
        f"() => ({GONE})() === 0 && document.querySelectorAll('{INCIDENTS} path.om-inc').length === 42", timeout=WAIT_MS
    )
    assert page.evaluate(f"document.querySelectorAll('{TEAM_PANE} .om-team-icon').length") == len(TEAMS)
    assert not errors, errors


def test_the_consoles_map_restyles_only_the_dots_a_selection_concerns(
    open_page: Callable[..., Any], quiet_app: str
) -> None:
    page, errors = open_page(f"{quiet_app}/command")
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    count = page.evaluate("window.onemap.live.all('incident').length")
    # The dots are drawn in place on arrival, the queue by Dash's render: wait for both.
    page.wait_for_function(
        "() => document.querySelectorAll('#cmd-map path.om-inc, #cmd-map .om-cluster').length > 0"
        " && document.querySelectorAll('.om-queue-row[data-incident]').length >= 2",
        timeout=WAIT_MS,
    )
    rows = page.eval_on_selector_all(
        ".om-queue-row[data-incident]", "rs => rs.slice(0, 2).map(r => r.dataset.incident)"
    )
    assert count > 0 and len(rows) == 2, rows
    chosen = "() => window.onemap.points.setOf('cmd-map', 'incident').feats.get(%r).props.selected"
    for previous, now in ((None, rows[0]), (rows[0], rows[1])):
        page.evaluate(WATCH, ["#cmd-map .leaflet-omIncidents-pane"])
        page.click(f".om-queue-row[data-incident='{now}']")
        got = _changed(page, chosen % now, "cmd-map")
        want = sorted(f"incident:{i}" for i in (previous, now) if i)
        assert got == {"added": [], "removed": [], "touched": want}, got  # the two dots redrawn in place, no others
    assert not errors, errors


def test_clustered_a_new_incident_changes_only_the_cluster_it_joins_or_adds_its_own_dot(
    open_page: Callable[..., Any], quiet_app: str
) -> None:
    # Past the clustering threshold: 400 packed 6 m apart east of the first test's dots (20 px across at the wall's
    # zoom, 12.1 at 1920x1080, where a cluster gathers what lies within 40 px of its first dot).
    lon, lat = T03_SPOT["lon"] + 0.06, T03_SPOT["lat"] - 0.03
    packed = [record(f"packed-{k}", lon + 0.0003 * (k % 20), lat + 0.0003 * (k // 20)) for k in range(400)]
    report(quiet_app, packed)
    page, errors = _wall(open_page, quiet_app, f"document.querySelectorAll('{INCIDENTS} .om-cluster').length > 0")
    page.wait_for_function("() => window.onemap.live.all('incident').length >= 442", timeout=WAIT_MS)

    biggest = f"Math.max(...[...document.querySelectorAll('{INCIDENTS} .om-cluster')].map(c => +c.textContent))"
    packed_count = page.evaluate(biggest)
    page.evaluate(WATCH, PANES)
    report(quiet_app, [record("packed-joins", lon + 0.004, lat + 0.004)])
    got = _changed(page, f"() => {biggest} === {packed_count + 1}")
    # The cluster it joined: the same node, its count written in it; not one other cluster or dot touched.
    assert got == {"added": ["SPAN:new"], "removed": ["SPAN:before"], "touched": [f"cluster:{packed_count + 1}"]}, got

    page.evaluate(WATCH, PANES)
    alone = report(quiet_app, [record("packed-alone", lon - 0.08, lat + 0.05)])[0]
    got = _changed(page, "() => window.__watch.added.length > 0")
    assert got == {"added": [f"incident:{alone}"], "removed": [], "touched": []}, got
    assert not errors, errors
