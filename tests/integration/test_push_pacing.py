"""Push pacing: a change goes out at once when idle, changes are coalesced under load, connecting walls share a snapshot."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from domain.intake import Report, report_incident
from store.log import EventLog, make_engine
from store.store import Store
from tests.conftest import T0
from web import push
from web.push import Pacing, Pusher


class Recorder:
    """Stands in for the Socket.IO server's emit: keeps what would be sent to each room."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any], str]] = []
        self.arrived = threading.Event()

    def emit(self, event: str, data: dict[str, Any] | bytes, to: str, **_options: Any) -> None:
        msg = push.decoded(data)
        self.sent.append((event, msg, to))
        if msg["upsert"]:
            self.arrived.set()


def report(store: Store, n: int) -> None:
    t = store.read(lambda state: state.district.townships["T01"])
    store.execute(lambda s: report_incident(s, Report("12345", f"P{n}", "noise", t.lon, t.lat, T0), "T01", T0 + n))


def test_an_idle_system_sends_a_change_at_once_not_at_the_next_heartbeat(tmp_path, district):
    store = Store(EventLog(make_engine(f"sqlite:///{tmp_path / 'log.db'}")), district)
    pusher, out, stop = Pusher(store, lambda: T0 + 5, 8.0), Recorder(), threading.Event()
    loop = threading.Thread(target=push.run, args=(out, pusher, Pacing(0.03, 0.2), 3600.0, stop))
    loop.start()
    try:
        report(store, 1)
        # The heartbeat is an hour away: only the change itself can have woken the loop.
        assert out.arrived.wait(30), "the change was not pushed"
        event, msg, to = next(s for s in out.sent if s[1]["upsert"])
        assert (event, to) == ("delta", push.room("all"))
        assert [e["source_id"] for e in msg["upsert"] if e["kind"] == "incident"] == ["P1"]
    finally:
        stop.set()
        pusher.wake.set()
        loop.join(10)
    assert not loop.is_alive()


class Process:
    """A process's steady clock and its CPU time, driven by the test: cores in use for the next steps."""

    def __init__(self) -> None:
        self.at = self.cpu = 0.0

    def run(self, seconds: float, cores: float) -> None:
        self.at, self.cpu = self.at + seconds, self.cpu + seconds * cores


def test_the_gap_widens_while_changes_keep_coming_and_is_back_to_the_minimum_once_quiet():
    proc = Process()
    pacing = Pacing(0.03, 0.2, 0.1, cpu=lambda: proc.cpu, tick=lambda: proc.at)
    proc.run(1.0, 0.95)
    assert pacing.after(busy=False) == 0.03
    widening = []
    for _ in range(8):
        proc.run(widening[-1] if widening else 0.03, 0.95)
        widening.append(pacing.after(busy=True))
    assert widening == sorted(widening) and widening[0] > 0.03 and widening[-1] == 0.2
    assert pacing.after(busy=False) == 0.03


def test_a_stream_of_changes_goes_out_every_busy_gap_while_the_process_has_cpu_to_spare_and_coalesces_more_once_not():
    proc = Process()
    pacing = Pacing(0.03, 0.2, 0.1, cpu=lambda: proc.cpu, tick=lambda: proc.at)

    def rounds(cores: float, n: int) -> list[float]:
        gaps = [pacing.gap_s]
        for _ in range(n):
            proc.run(gaps[-1], cores)
            gaps.append(pacing.after(busy=True))
        return gaps[1:]

    spare = rounds(0.4, 60)  # the load is averaged over about a second: these 0.03 s gaps take that long to see it
    assert max(spare) == spare[-1] == 0.1  # a stream of changes: a delta every 0.1 s, not every 0.2
    saturated = rounds(1.0, 30)
    assert saturated[-1] == 0.2  # the process is busy all the time: fewer, larger deltas
    assert rounds(0.3, 30)[-1] == 0.1  # spare CPU again: back to the busy gap, without waiting for a quiet spell


def test_a_stream_of_changes_in_a_process_using_little_cpu_goes_out_at_the_minimum_gap_not_the_busy_one():
    proc = Process()
    pacing = Pacing(0.03, 0.2, 0.1, cpu=lambda: proc.cpu, tick=lambda: proc.at)
    gaps = [pacing.gap_s]
    for _ in range(30):  # teams' fixes keep the push busy while a few records a second come
        proc.run(gaps[-1], 0.12)
        gaps.append(pacing.after(busy=True))
    assert max(gaps) == 0.03  # a record never waits for the busy gap behind a stream of cheap changes
    for _ in range(60):
        proc.run(gaps[-1], 0.5)
        gaps.append(pacing.after(busy=True))
    assert gaps[-1] == 0.1  # busier: the stream is coalesced every busy gap again


def test_a_process_whose_gaps_end_late_coalesces_over_the_widest_window_though_it_uses_little_cpu():
    proc = Process()
    pacing = Pacing(0.03, 0.2, 0.1, cpu=lambda: proc.cpu, tick=lambda: proc.at)
    gaps = [pacing.gap_s]
    for _ in range(30):  # others hold the machine's cores: it gets 0.4 of one and wakes 60 ms late
        proc.run(gaps[-1] + 0.06, 0.4)
        gaps.append(pacing.after(busy=True, late_s=0.06))
    assert gaps[-1] == 0.2  # fewer, larger deltas: each costs a write to every socket it has no CPU for
    for _ in range(30):
        proc.run(gaps[-1], 0.4)
        gaps.append(pacing.after(busy=True, late_s=0.0))
    assert gaps[-1] == 0.1  # on time again: the busy gap


def test_walls_connecting_together_share_one_snapshot_until_the_state_or_the_second_changes(tmp_path, district):
    store = Store(EventLog(make_engine(f"sqlite:///{tmp_path / 'log.db'}")), district)
    now = [T0 + 5.0]
    pusher = Pusher(store, lambda: now[0], 8.0)
    first = pusher.snapshot("all")
    assert pusher.snapshot("all") is first
    assert pusher.snapshot("T01") is not first  # another scope sees other things
    report(store, 2)
    after_change = pusher.snapshot("all")
    assert after_change is not first and after_change["seq"] == first["seq"] + 1
    now[0] += push.SNAPSHOT_REUSE_S  # the clock in a snapshot corrects screens' countdowns: never older than this
    assert pusher.snapshot("all") is not after_change


def test_under_a_stream_of_changes_the_day_figures_are_counted_once_a_second_and_the_incidents_go_at_once(
    tmp_path, district
):
    store = Store(EventLog(make_engine(f"sqlite:///{tmp_path / 'log.db'}")), district)
    tick = [100.0]
    pusher = Pusher(store, lambda: T0 + 5, 8.0, tick=lambda: tick[0])
    report(store, 1)
    first = {f"{e['kind']}:{e['id']}" for e in pusher.deltas(push.FIGURES_EVERY_S)["all"]["upsert"]}
    assert "kpi:today" in first  # idle before: the figures go with the change
    tick[0] += 0.3
    report(store, 2)
    second = pusher.deltas(push.FIGURES_EVERY_S)["all"]
    assert [e["kind"] for e in second["upsert"]] == ["incident"]  # the new incident now, the figures held
    assert pusher.figures_due(push.FIGURES_EVERY_S) == pytest.approx(0.7)
    tick[0] += 0.7
    third = pusher.deltas(push.FIGURES_EVERY_S)["all"]
    assert third["from_seq"] == third["seq"] == second["seq"]
    assert {e["kind"] for e in third["upsert"]} == {"kpi", "chart"}
    assert next(e for e in third["upsert"] if e["kind"] == "kpi")["district"]["received"] == 2
    assert pusher.figures_due(push.FIGURES_EVERY_S) is None


def test_the_push_locks_are_taken_in_their_order_and_taking_one_out_of_order_is_refused_at_once():
    publish, build = push.Ranked(push.PUBLISH), push.Ranked(push.BUILD)
    with publish, build:  # the order Pusher.join takes them in when a snapshot must be rebuilt
        pass
    with build:
        with pytest.raises(RuntimeError, match="out of order"):
            with publish:  # would deadlock against a join holding publish and waiting for build
                pass
    with publish:  # a refusal leaves nothing held: both are free again
        with build:
            pass
