"""Keyed lists in real Chromium: a row of the console's queue or call-backs, or of a township room's orders, keeps its
DOM node, its focus, hover and selection while incidents arrive, other rows change, the order changes and time ticks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.e2e.conftest import api, quiet_env, running_app

pytestmark = pytest.mark.e2e

WAIT_MS = 20_000
TICK_S = 5  # layouts/__init__.py TICK_MS: the lists re-render at least this often
# Long targets: nothing turns late during the test, so only what the test does changes the rows.
POLICY = {
    "default": {"sign": 600, "respond": 900, "route": 1200, "on_site": 1800},
    "dispatch": {"1": 3600, "2": 3600, "3": 3600},
}
TOKENS = {"sys-keyed": "system", "cmd-keyed": "commander", "t01-keyed": "township:T01"}
QUEUE, CALLBACKS, ORDERS = "#cmd-queue .om-queue-row", "#cmd-callbacks .om-cb-row", "#town-orders .om-town-row"

MARK = """(sel) => [...document.querySelectorAll(sel)].map(r => { r.__keyed = r.dataset.incident; return r.dataset.incident; })"""
MARK_FOCUS = "() => { document.activeElement.__keyedFocus = true; }"
STATE = """([sel, marked]) => {
  const row = id => document.querySelector(sel + '[data-incident="' + id + '"]');
  const focus = document.activeElement, focusRow = focus && focus.closest && focus.closest(sel);
  return {replaced: marked.filter(id => row(id) && row(id).__keyed !== id),
          order: [...document.querySelectorAll(sel)].map(r => r.dataset.incident),
          focused: focusRow ? focusRow.dataset.incident : null, focusKept: !!(focus && focus.__keyedFocus),
          selected: [...document.querySelectorAll(sel + '.om-selected')].map(r => r.dataset.incident),
          hovered: [...document.querySelectorAll(sel + ':hover')].map(r => r.dataset.incident)};
}"""


def _report(url: str, n: int, category: str) -> str:
    """Report an incident in T01 through the API; return its id."""
    rec = {
        "source": "12345",
        "source_id": f"KEYED-{n}",
        "category": category,
        "summary": f"{category} {n}",
        "address": f"人民路{n}号",
        "lon": 121.140 + n * 0.001,
        "lat": 31.075,
    }
    result = api(url, "/records", "sys-keyed", rec)["results"][0]
    assert result["status"] == "accepted", result
    return result["incident_id"]


def _to_room(url: str, incident: str) -> None:
    api(url, f"/incidents/{incident}/order", "cmd-keyed", {"township": "T01", "command_id": f"{incident}.order.0"})


def _step(url: str, incident: str, step: str, **fields: str) -> None:
    api(url, f"/orders/{incident}/{step}", "t01-keyed", {"command_id": f"{incident}.{step}", **fields})


def _resolve(url: str, incident: str, team: str) -> None:
    """Take an incident through the room to resolved, the way the room would."""
    _to_room(url, incident)
    for step, fields in (
        ("sign", {}),
        ("respond", {}),
        ("route", {"team_id": team}),
        ("on-site", {}),
        ("resolve", {"note": "已处理"}),
    ):
        _step(url, incident, step, **fields)


@pytest.fixture(scope="module")
def keyed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run an app with no simulator: every incident in it is one the test reported."""
    tmp = tmp_path_factory.mktemp("onemap-keyed")
    env = quiet_env(tmp, POLICY, TOKENS)
    with running_app(env, 1) as url:
        yield url


def _rows(page: Any, sel: str, incidents: list[str]) -> None:
    page.wait_for_function(
        "([sel, ids]) => ids.every(id => document.querySelector(sel + '[data-incident=\"' + id + '\"]'))",
        arg=[sel, incidents],
        timeout=WAIT_MS,
    )


def _kept(page: Any, sel: str, marked: list[str], focused: str, **expect: Any) -> dict[str, Any]:
    """Assert every marked row still listed is the same node and the focused element is the same, still focused."""
    state = page.evaluate(STATE, [sel, marked])
    assert state["replaced"] == [], state
    assert state["focused"] == focused and state["focusKept"], state
    for key, value in expect.items():
        assert state[key] == value, (key, state)
    return state


def _ticked(page: Any) -> None:
    """Wait until the server's clock has moved past the next re-render tick."""
    t0 = page.evaluate("window.onemap.live.now()")
    page.wait_for_function("(t) => window.onemap.live.now() > t", arg=t0 + TICK_S + 1, timeout=WAIT_MS)


def test_a_queue_row_keeps_its_node_focus_hover_and_selection_as_incidents_arrive_and_the_selection_moves(
    keyed_app: str, open_page: Callable[..., Any]
) -> None:
    url = keyed_app
    a, b, c, d = (_report(url, n, cat) for n, cat in enumerate(["gas_leak", "fallen_tree", "noise", "garbage"]))
    console, errors = open_page(f"{url}/command")
    console.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    _rows(console, QUEUE, [a, b, c, d])
    console.click(f"{QUEUE}[data-incident='{c}']")  # selects it, and leaves it focused and under the mouse
    console.wait_for_selector(f".om-detail[data-incident='{c}']", timeout=WAIT_MS)
    console.evaluate(MARK_FOCUS)
    marked = console.evaluate(MARK, QUEUE)

    e = _report(url, 4, "streetlight")  # routine and newest: listed last
    _rows(console, QUEUE, [e])
    _kept(console, QUEUE, marked, c, selected=[c], hovered=[c], order=[a, b, c, d, e])

    urgent = _report(url, 5, "lost_person")  # urgent: listed above the row, which moves down
    _rows(console, QUEUE, [urgent])
    _kept(console, QUEUE, marked, c, selected=[c], order=[a, urgent, b, c, d, e])

    console.hover(f"{QUEUE}[data-incident='{c}']")
    console.keyboard.press("j")  # the selection moves down; the focus stays where it was
    console.wait_for_selector(f"{QUEUE}.om-selected[data-incident='{d}']", timeout=WAIT_MS)
    _kept(console, QUEUE, marked, c, selected=[d], hovered=[c])

    _ticked(console)
    _kept(console, QUEUE, marked, c, selected=[d], hovered=[c])

    _to_room(url, a)  # another row changes: ordered, it leaves the queue
    console.wait_for_selector(f"{QUEUE}[data-incident='{a}']", state="detached", timeout=WAIT_MS)
    _kept(console, QUEUE, marked, c, selected=[d], order=[urgent, b, c, d, e])
    assert not errors, errors


def test_a_call_back_rows_focused_button_survives_another_call_back_arriving_and_changing(
    keyed_app: str, open_page: Callable[..., Any]
) -> None:
    url = keyed_app
    first, second = _report(url, 10, "water_outage"), _report(url, 11, "power_outage")
    _resolve(url, first, "T01-A")
    console, errors = open_page(f"{url}/command")
    console.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    _rows(console, CALLBACKS, [first])
    console.focus(f"{CALLBACKS}[data-incident='{first}'] .om-fb-satisfied")
    console.evaluate(MARK_FOCUS)
    marked = console.evaluate(MARK, CALLBACKS)

    _resolve(url, second, "T01-B")  # a second call-back arrives, after the first
    _rows(console, CALLBACKS, [second])
    _kept(console, CALLBACKS, marked, first, order=[first, second])
    marked = console.evaluate(MARK, CALLBACKS)

    api(url, f"/orders/{second}/feedback", "cmd-keyed", {"command_id": f"{second}.feedback", "result": "unreached"})
    console.wait_for_selector(f"{CALLBACKS}[data-incident='{second}'][data-feedback='unreached']", timeout=WAIT_MS)
    _kept(console, CALLBACKS, marked, first, order=[first, second])
    assert not errors, errors


def test_a_room_order_rows_focused_button_survives_its_step_taken_elsewhere_a_reorder_and_a_new_order(
    keyed_app: str, open_page: Callable[..., Any]
) -> None:
    url = keyed_app
    x, y, z = _report(url, 20, "road_obstruction"), _report(url, 21, "pollution"), _report(url, 22, "wage_dispute")
    _to_room(url, x)
    _to_room(url, y)
    room, errors = open_page(f"{url}/township/T01", township="T01")
    other, _ = open_page(f"{url}/township/T01", township="T01")  # a colleague's screen in the same room
    for page in (room, other):
        page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
        _rows(page, f"{ORDERS}[data-step='sign']", [x, y])
    before = room.evaluate(STATE, [ORDERS, []])["order"]
    assert before.index(x) < before.index(y), before  # the earlier sign-for deadline first
    room.focus(f"{ORDERS}[data-incident='{x}'] button")
    room.evaluate(MARK_FOCUS)
    marked = room.evaluate(MARK, ORDERS)

    other.click(
        f"{ORDERS}[data-incident='{x}'][data-step='sign'] button"
    )  # signed elsewhere: its next deadline is later
    room.wait_for_selector(f"{ORDERS}[data-incident='{x}'][data-step='respond']", timeout=WAIT_MS)
    state = _kept(room, ORDERS, marked, x)
    assert state["order"].index(y) < state["order"].index(x), state  # the row moved, its button still focused

    _to_room(url, z)  # a new order arrives
    _rows(room, ORDERS, [z])
    _kept(room, ORDERS, marked, x)

    _ticked(room)
    _kept(room, ORDERS, marked, x)
    room.keyboard.press("Enter")  # the focused button still acts: respond
    room.wait_for_selector(f"{ORDERS}[data-incident='{x}'][data-step='route']", timeout=WAIT_MS)
    assert not errors, errors
