"""The server sends each running clock's times (domain/sla.py, the one copy of the rules); assets/sla.js only compares
them to its clock, and so says what domain/sla.py status() says at any later moment, with no update in between."""

from __future__ import annotations

import json
from typing import Any

from domain.dispatch import advance_order, breaches, issue_order
from domain.sla import SlaPolicy, status
from tests.support import ASSETS, T0, node_require, run_node
from tests.unit.helpers import COMMANDER, fold, room, with_incident
from web.views import incident_entity

ISSUED = T0 + 10  # default targets: sign 60 s, respond 120 s; a routine incident's dispatch target is 600 s


def _js_status(entities: list[dict[str, Any]], nows: list[float]) -> list[Any]:
    """Return [status, late steps] from assets/sla.js for each entity at its now."""
    script = (
        f"const es = {json.dumps(entities)}, ns = {json.dumps(nows)};"
        "console.log(JSON.stringify(es.map((e, i) => [sla.status(e, ns[i]), sla.lateSteps(e, ns[i])])));"
    )
    return run_node(node_require("sla", "sla.js"), script, "the browser's SLA rules")


def _ordered(district: Any, done: dict[str, float]) -> tuple[Any, str]:
    """Return a projection with a routine incident ordered at ISSUED and its steps done at the given times."""
    state, iid = with_incident(district, T0)
    fold(state, issue_order(state, SlaPolicy(), COMMANDER, iid, "T01-A", "cmd:issue", ISSUED))
    for step, at in done.items():
        fold(state, breaches(state, at))  # the ticker's breach events, as the server records them
        fold(state, advance_order(state, room("T01"), iid, step, f"cmd:{step}", at, note="已处理"))
    return state, iid


ALL_ON_TIME = {"sign": ISSUED + 5, "respond": ISSUED + 10, "route": ISSUED + 20, "on_site": ISSUED + 30}
# (name, done steps or None for no order, built at, judged at): the entity is built at one time, judged at another
CASES = [
    ("waiting", None, T0 + 10, T0 + 10),
    ("waiting_warning in the last quarter of the dispatch window", None, T0 + 460, T0 + 460),
    ("waiting_late past the dispatch target", None, T0 + 601, T0 + 601),
    ("waiting turns late in the browser before the server says so", None, T0 + 500, T0 + 611),
    ("ok", {"sign": ISSUED + 5}, ISSUED + 30, ISSUED + 30),
    ("ok turns warning in the browser at the server's warn_at", {}, ISSUED + 5, ISSUED + 45),
    ("warning near the current step's deadline", {}, ISSUED + 50, ISSUED + 50),
    ("breached: sign done late, respond still within time", {"sign": ISSUED + 70}, ISSUED + 75, ISSUED + 75),
    ("breached: still breached at respond's last second", {"sign": ISSUED + 61}, ISSUED + 119, ISSUED + 119),
    ("breached: an undone sign past due before the server's update", {}, ISSUED + 30, ISSUED + 61),
    ("handling: all four timed steps done on time", ALL_ON_TIME, ISSUED + 40, ISSUED + 40),
    ("breached: all four done, one of them late", {**ALL_ON_TIME, "route": ISSUED + 200}, ISSUED + 250, ISSUED + 250),
    (
        "resolved: a late order resolved is no longer breached",
        {
            "sign": ISSUED + 70,
            "respond": ISSUED + 80,
            "route": ISSUED + 90,
            "on_site": ISSUED + 100,
            "resolve": ISSUED + 110,
        },
        ISSUED + 120,
        ISSUED + 120,
    ),
]


def test_the_browsers_status_from_the_servers_clock_times_equals_the_servers_for_every_case(district: Any) -> None:
    entities, nows, expected = [], [], []
    for _name, done, built, judged in CASES:
        state, iid = with_incident(district, T0) if done is None else _ordered(district, done)
        inc = state.incidents[iid]
        entities.append(incident_entity(state, inc, built))
        nows.append(judged)
        expected.append(status(inc, judged))
    got = [s for s, _late in _js_status(entities, nows)]
    assert got == expected, [(c[0], g, e) for c, g, e in zip(CASES, got, expected) if g != e]
    assert expected == [
        "waiting",
        "waiting_warning",
        "waiting_late",
        "waiting_late",
        "ok",
        "warning",
        "warning",
        "breached",
        "breached",
        "breached",
        "handling",
        "breached",
        "resolved",
    ]


def test_the_browser_names_the_late_stages_while_the_current_step_is_within_time(district: Any) -> None:
    state, iid = _ordered(district, {"sign": ISSUED + 70})
    entity = incident_entity(state, state.incidents[iid], ISSUED + 75)
    assert entity["order"]["lateness"] == {"sign": 10.0}
    (st, late), (st_later, late_later) = _js_status([entity, entity], [ISSUED + 75, ISSUED + 131])
    assert (st, late) == ("breached", ["sign"])
    assert (st_later, late_later) == ("breached", ["sign", "respond"])  # respond now past due too, before any push


def test_the_entity_carries_the_running_clocks_warning_and_due_times(district: Any) -> None:
    state, iid = with_incident(district, T0)  # routine: 600 s to order, warning in the last quarter
    waiting = incident_entity(state, state.incidents[iid], T0 + 10)["clock"]
    assert waiting == {"name": "dispatch", "since": T0, "warn_at": T0 + 450, "due": T0 + 600, "late_at": T0 + 600}
    state, iid = _ordered(district, {"sign": ISSUED + 5})  # respond due at 120 s: warning from 90 s (a quarter)
    ordered = incident_entity(state, state.incidents[iid], ISSUED + 30)["clock"]
    assert ordered == {
        "name": "respond",
        "since": ISSUED,
        "warn_at": ISSUED + 90,
        "due": ISSUED + 120,
        "late_at": ISSUED + 120,
    }
    state, iid = _ordered(district, ALL_ON_TIME)
    assert incident_entity(state, state.incidents[iid], ISSUED + 40)["clock"] is None  # no timed step left


def test_the_browser_holds_no_copy_of_the_sla_rules() -> None:
    text = (ASSETS / "sla.js").read_text(encoding="utf-8")
    for rule in ("WARNING_SHARE", "WARNING_MIN_S", "0.25", "TIMED_STEPS", "on_site", "closed", "cancelled"):
        assert rule not in text, rule
