"""The browser's own merge (assets/live.js) and SLA states (assets/sla.js), run in node."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support import node_require, run_node


def _node(script: str) -> Any:
    """Run a script in node with live and sla loaded; return what it prints as JSON."""
    prelude = (
        node_require("live", "live.js")
        + node_require("sla", "sla.js")
        + "const plain = s => ({seq: s.seq, version: s.version, ready: s.ready,"
        " entities: Object.fromEntries([...s.entities].sort())});"
    )
    return run_node(prelude, script, "the browser's merge")


def _inc(ident: str, stage: str = "new") -> dict[str, Any]:
    return {"kind": "incident", "id": ident, "stage": stage}


def test_old_snapshot_plus_deltas_equals_the_new_snapshot() -> None:
    old = {"seq": 5, "server_time": 100.0, "entities": [_inc("a"), _inc("b"), {"kind": "kpi", "id": "today", "n": 1}]}
    deltas = [
        {"from_seq": 5, "seq": 7, "server_time": 101.0, "upsert": [_inc("a", "ordered")], "remove": []},
        {"from_seq": 7, "seq": 7, "server_time": 103.0, "upsert": [], "remove": []},  # a heartbeat
        {
            "from_seq": 7,
            "seq": 9,
            "server_time": 104.0,
            "upsert": [_inc("c"), {"kind": "kpi", "id": "today", "n": 2}],
            "remove": [{"kind": "incident", "id": "b"}],
        },
    ]
    new = {
        "seq": 9,
        "server_time": 104.0,
        "entities": [_inc("a", "ordered"), _inc("c"), {"kind": "kpi", "id": "today", "n": 2}],
    }
    got = _node(f"""
        let s = live.applySnapshot(live.emptyState(), {json.dumps(old)}, 0);
        for (const d of {json.dumps(deltas)}) {{ const r = live.applyDelta(s, d, 0); if (r.resync) throw 1; s = r.state; }}
        const fresh = live.applySnapshot(live.emptyState(), {json.dumps(new)}, 0);
        console.log(JSON.stringify([plain(s).entities, s.seq, plain(fresh).entities, fresh.seq]));""")
    assert got[0] == got[2] and got[1] == got[3] == 9


def test_a_gap_asks_for_resync_and_early_deltas_are_ignored() -> None:
    got = _node("""
        const early = live.applyDelta(live.emptyState(), {from_seq: 0, seq: 3, upsert: [{kind: "incident", id: "x"}], remove: []}, 0);
        let s = live.applySnapshot(live.emptyState(), {seq: 5, entities: []}, 0);
        const gap = live.applyDelta(s, {from_seq: 6, seq: 8, upsert: [{kind: "incident", id: "y"}], remove: []}, 0);
        console.log(JSON.stringify([early.resync, early.state.entities.size, gap.resync, gap.state.entities.size, gap.state.seq]));""")
    assert got == [False, 0, True, 0, 5]


def test_a_delta_older_than_the_snapshot_does_not_roll_back() -> None:
    got = _node("""
        let s = live.applySnapshot(live.emptyState(), {seq: 10, entities: [{kind: "incident", id: "a", stage: "signed"}]}, 0);
        const r = live.applyDelta(s, {from_seq: 8, seq: 9, upsert: [{kind: "incident", id: "a", stage: "ordered"}], remove: []}, 0);
        console.log(JSON.stringify([r.resync, r.state.entities.get("incident:a").stage, r.state.seq]));""")
    assert got == [False, "signed", 10]


def test_server_time_sets_the_clock_offset() -> None:
    got = _node("""const s = live.applySnapshot(live.emptyState(), {seq: 1, server_time: 1000.5, entities: []}, 999000);
        console.log(JSON.stringify(s.offsetMs));""")
    assert got == 1500


@pytest.mark.parametrize("now,expected", [(1005, "ok"), (1050, "warning"), (1061, "breached")])
def test_sla_status_moves_on_by_the_servers_clock_times_alone(now: float, expected: str) -> None:
    order = {
        "issued_at": 1000,
        "deadlines": {"sign": 1060, "respond": 1120, "route": 1180, "on_site": 1600},
        "done": {},
    }
    clock = {"name": "sign", "since": 1000, "warn_at": 1045, "due": 1060, "late_at": 1060}  # domain/sla.py's times
    got = _node(f"""const inc = {{status: "ok", order: {json.dumps(order)}, clock: {json.dumps(clock)}}};
        console.log(JSON.stringify([sla.status(inc, {now}), sla.status({{status: "waiting", order: null, clock: null}}, {now}),
          sla.status({{status: "handling", order: inc.order, clock: null}}, {now}),
          sla.countdown(-75), sla.countdown(3725)]));""")
    assert got == [expected, "waiting", "handling", "+01:15", "1:02:05"]


def test_a_delta_to_the_pages_own_state_updates_its_entities_in_place_to_what_a_copy_would_hold() -> None:
    got = _node("""
        const snap = {seq: 5, entities: [{kind: "incident", id: "a", stage: "new"}, {kind: "incident", id: "b"}]};
        const delta = {from_seq: 5, seq: 6, upsert: [{kind: "incident", id: "a", stage: "ordered"}, {kind: "team", id: "t"}],
                       remove: [{kind: "incident", id: "b"}]};
        const kept = live.applySnapshot(live.emptyState(), snap, 0), copied = live.applyDelta(kept, delta, 0);
        const owned = live.applySnapshot(live.emptyState(), snap, 0), inPlace = live.applyDelta(owned, delta, 0, true);
        console.log(JSON.stringify([plain(copied.state), plain(inPlace.state), kept.entities.size,
                                    inPlace.state.entities === owned.entities, copied.state.entities === kept.entities]));""")
    assert got[0] == got[1] and got[1]["entities"]["incident:a"]["stage"] == "ordered" and got[1]["version"] == 2
    assert got[2:] == [2, True, False]  # a copy leaves the state it was given as it was; the page's own is updated
