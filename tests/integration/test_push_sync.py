"""The sync property: a snapshot plus the deltas after it, merged as the browser merges them, equals a fresh snapshot."""

from __future__ import annotations

import json

import pytest

from domain.dispatch import advance_order, breaches, issue_order
from domain.intake import Report, report_incident
from domain.model import Actor, Role
from domain.sla import SlaPolicy
from store.log import EventLog, make_engine
from store.store import Store
from tests.support import T0, node_require, run_node
from web.push import Pusher

MERGE = """
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
let state = live.applySnapshot(live.emptyState(), input.snapshot, 0);
let resyncs = 0;
for (const d of input.deltas) { const r = live.applyDelta(state, d, 0); state = r.state; resyncs += r.resync; }
process.stdout.write(JSON.stringify({seq: state.seq, resyncs, entities: Array.from(state.entities.values())}));
"""
COMMANDER = Actor("c", Role.COMMANDER)


def browser_merge(snapshot: dict, deltas: list[dict]) -> dict:
    """Run the browser's own merge (assets/live.js) in node."""
    return run_node(
        node_require("live", "live.js"),
        MERGE,
        "the browser's merge",
        stdin=json.dumps({"snapshot": snapshot, "deltas": deltas}),
    )


def by_key(entities: list[dict]) -> dict[str, dict]:
    return {f"{e['kind']}:{e['id']}": e for e in entities}


def work(store: Store, pusher: Pusher, scope: str) -> list[dict]:
    """Drive a day's worth of changes, flushing deltas at uneven points; return the scope's deltas."""
    deltas, policy = [], SlaPolicy()
    t = store.read(lambda state: state.district.townships)
    for n, town in enumerate(["T01", "T02", "T01", "T03", "T01"]):
        store.execute(
            lambda s: report_incident(s, Report("12345", f"R{n}", "noise", t[town].lon, t[town].lat, T0), town, T0 + n)
        )
        if n % 2:
            deltas.append(pusher.deltas()[scope])
    ids = store.read(lambda state: sorted(state.incidents))
    first = store.read(lambda state: next(i for i in ids if state.incidents[i].township == "T01"))
    store.execute(lambda s: issue_order(s, policy, COMMANDER, first, "T01-A", "cmd:o", T0 + 10))
    deltas.append(pusher.deltas()[scope])
    room = Actor("r", Role.TOWNSHIP, "T01")
    for i, step in enumerate(("sign", "respond")):
        store.execute(lambda s: advance_order(s, room, first, step, f"cmd:{step}", T0 + 20 + i))
    store.execute(lambda s: breaches(s, T0 + 10 + 181))
    deltas.append(pusher.deltas()[scope])
    for i, step in enumerate(("route", "on_site", "resolve")):  # resolved: it leaves the live set
        store.execute(lambda s: advance_order(s, room, first, step, f"cmd:{step}", T0 + 200 + i, note="ok"))
    deltas.append(pusher.deltas()[scope])
    deltas.append(pusher.deltas()[scope])  # a heartbeat: nothing changed
    return deltas


@pytest.mark.parametrize("scope", ["all", "T01"])
def test_snapshot_plus_deltas_merged_by_the_browser_equals_a_fresh_snapshot(tmp_path, district, scope):
    store = Store(EventLog(make_engine(f"sqlite:///{tmp_path / 'log.db'}")), district)
    pusher = Pusher(store, lambda: T0 + 500, 8.0)
    pusher.scopes.add(scope)
    before = pusher.snapshot(scope)
    deltas = work(store, pusher, scope)
    merged, fresh = browser_merge(before, deltas), pusher.snapshot(scope)
    assert merged["resyncs"] == 0 and merged["seq"] == fresh["seq"]
    assert by_key(merged["entities"]) == by_key(fresh["entities"])


def test_a_township_scope_sees_only_its_own_incidents(tmp_path, district):
    store = Store(EventLog(make_engine(f"sqlite:///{tmp_path / 'log.db'}")), district)
    pusher = Pusher(store, lambda: T0, 8.0)
    work(store, pusher, "all")
    townships = {e["township"] for e in pusher.snapshot("T02")["entities"] if e["kind"] == "incident"}
    assert townships == {"T02"}


def test_a_client_that_misses_a_delta_asks_for_a_resync(tmp_path, district):
    store = Store(EventLog(make_engine(f"sqlite:///{tmp_path / 'log.db'}")), district)
    pusher = Pusher(store, lambda: T0 + 500, 8.0)
    before = pusher.snapshot("all")
    deltas = work(store, pusher, "all")
    assert browser_merge(before, deltas[1:])["resyncs"] >= 1
