"""A screen back after a short outage catches up from the deltas it missed; one too far behind gets a snapshot."""

from __future__ import annotations

import json
import zlib

import pytest

from domain.intake import Report, report_incident
from domain.model import Role
from tests.conftest import T0
from web import push


def wall_socket(onemap, since: str | None = None, query: str = "scope=all"):
    """Connect as a kiosk wall, holding seq `since` when given."""
    client = onemap.server.test_client()
    client.get(f"/wall?kiosk={onemap.services.accounts.create_token('w', 'kiosk', Role.WALL)}")
    query += f"&since={since}" if since is not None else ""
    return onemap.socketio.test_client(onemap.server, query_string=query, flask_test_client=client)


def report(onemap, n: int) -> None:
    t = onemap.services.district.townships["T02"]
    onemap.services.store.execute(
        lambda s: report_incident(s, Report("12345", f"R{n}", "noise", t.lon, t.lat, T0), "T02", T0 + n)
    )


def published(onemap) -> None:
    push.flush(onemap.socketio, onemap.services.pusher)


def test_a_screen_back_after_a_short_outage_gets_the_deltas_it_missed_not_a_snapshot(onemap):
    first = wall_socket(onemap)
    [snap] = first.get_received()
    held = json.loads(zlib.decompress(snap["args"][0]))["seq"]  # the snapshot goes deflated on the wire
    first.disconnect()
    for n in range(3):
        report(onemap, n)
        published(onemap)
    back = wall_socket(onemap, str(held))
    got = back.get_received()
    assert [m["name"] for m in got] == ["delta"] * 3
    deltas = [push.decoded(m["args"][0]) for m in got]  # a large one (with the day's figures) comes deflated
    assert deltas[0]["from_seq"] == held
    assert deltas[-1]["seq"] == onemap.services.store.read(lambda state: state.seq)
    assert [e["source_id"] for d in deltas for e in d["upsert"] if e["kind"] == "incident"] == ["R0", "R1", "R2"]


def test_a_screen_already_up_to_date_gets_nothing_more_on_reconnecting(onemap):
    report(onemap, 1)
    published(onemap)
    back = wall_socket(onemap, str(onemap.services.store.read(lambda state: state.seq)))
    assert back.is_connected() and back.get_received() == []


@pytest.mark.parametrize("since", ["too-old", "from-the-future", "not-a-number"])
def test_a_screen_whose_seq_cannot_be_caught_up_gets_a_snapshot(onemap, monkeypatch, since):
    monkeypatch.setattr(push, "RESUME_DELTAS", 2)  # kept: the last two deltas only
    held = onemap.services.store.read(lambda state: state.seq)
    for n in range(3):
        report(onemap, n)
        published(onemap)
    ahead = onemap.services.store.read(lambda state: state.seq) + 5
    raw = {"too-old": str(held), "from-the-future": str(ahead), "not-a-number": "x1"}[since]
    got = wall_socket(onemap, raw).get_received()
    assert [m["name"] for m in got] == ["snapshot"]
    snapshot = json.loads(zlib.decompress(got[0]["args"][0]))
    assert snapshot["seq"] == onemap.services.store.read(lambda state: state.seq)
    assert {"R0", "R1", "R2"} <= {e.get("source_id") for e in snapshot["entities"]}


def test_walls_connecting_while_changes_flow_share_one_snapshot_and_get_the_deltas_after_it(onemap):
    first = wall_socket(onemap)
    [snap] = first.get_received()
    report(onemap, 1)
    published(onemap)
    second = wall_socket(onemap)
    got = second.get_received()
    assert [m["name"] for m in got] == ["snapshot", "delta"]
    assert got[0]["args"][0] is snap["args"][0]  # built and deflated once, within the second
    held, delta = json.loads(zlib.decompress(got[0]["args"][0]))["seq"], push.decoded(got[1]["args"][0])
    assert delta["from_seq"] == held and delta["seq"] == onemap.services.store.read(lambda state: state.seq)
    assert [e["source_id"] for e in delta["upsert"] if e["kind"] == "incident"] == ["R1"]


def test_a_view_that_reads_only_charts_gets_a_snapshot_of_charts_and_every_kinds_deltas_after_it(onemap):
    report(onemap, 1)
    published(onemap)
    charts = wall_socket(onemap, query="scope=all&kinds=chart,no-such-kind")
    [snap] = charts.get_received()
    kinds = {e["kind"] for e in json.loads(zlib.decompress(snap["args"][0]))["entities"]}
    assert kinds == {"chart"}
    [full] = wall_socket(onemap).get_received()  # another view of the same scope: a snapshot of its own, whole
    assert {"chart", "incident", "team", "kpi"} <= {e["kind"] for e in decoded_snapshot(full)["entities"]}
    report(onemap, 2)
    published(onemap)
    deltas = [push.decoded(m["args"][0]) for m in charts.get_received()]
    assert "incident" in {e["kind"] for d in deltas for e in d["upsert"]}  # a view, not a filter of the room


def test_a_view_naming_no_kind_it_knows_gets_the_whole_snapshot(onemap):
    [snap] = wall_socket(onemap, query="scope=all&kinds=,,nothing").get_received()
    assert {"chart", "team", "kpi"} <= {e["kind"] for e in decoded_snapshot(snap)["entities"]}


def decoded_snapshot(message) -> dict:
    return json.loads(zlib.decompress(message["args"][0]))
