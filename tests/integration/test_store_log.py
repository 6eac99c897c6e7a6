"""The event log on SQLite and PostgreSQL: idempotent appends, ordered reads, a faithful replay."""

from __future__ import annotations

import dataclasses
import re
import threading
from pathlib import Path

import pytest

from domain import events as ev
from domain.dispatch import advance_order, incident_id_for, issue_order
from domain.errors import Rejected
from domain.intake import Report, report_incident
from domain.model import Actor, Role
from domain.projection import Projection
from domain.sla import SlaPolicy
from store.log import AuditRecord, EventLog
from store.store import Store
from tests.conftest import T0


def report(store: Store, source_id: str, at: float = T0) -> list[ev.Event]:
    def decide(state: Projection) -> list[ev.Event]:
        t = state.district.townships["T02"]
        return report_incident(state, Report("110", source_id, "noise", t.lon, t.lat, at), "T02", at)

    return store.read(decide)


def _folded(state: Projection) -> tuple[object, ...]:
    return dict(state.incidents), state.seq, dict(state.team_busy)


def test_a_repeated_event_id_changes_nothing(engine, district):
    store = Store(EventLog(engine), district)
    events = report(store, "R1")
    first, again = store.append(events), store.append(events)
    assert len(first.events) == 1 and again.events == [] and again.changed == set()
    assert store.log.last_seq() == 1


def test_a_repeated_source_record_under_another_event_id_changes_nothing(engine, district):
    store = Store(EventLog(engine), district)
    (first,) = report(store, "R1")
    store.append([first])
    twin = dataclasses.replace(first, event_id="another-id", incident_id="I-other")
    assert store.append([twin]).events == []
    assert "I-other" not in store.read(lambda state: state.incidents)


def test_a_batch_with_new_and_old_events_stores_only_the_new_in_order(engine, district):
    store = Store(EventLog(engine), district)
    store.append(report(store, "A"))
    stored = store.append(report(store, "A") + report(store, "B") + report(store, "C"))
    assert [e.source_id for e in stored.events] == ["B", "C"]
    assert [seq for seq, _ in store.log.read()] == [1, 2, 3]


def test_the_projection_rebuilt_from_the_log_after_a_restart_equals_the_one_before(engine, district, clock):
    store = Store(EventLog(engine), district)
    commander, policy = Actor("c", Role.COMMANDER), SlaPolicy()
    for n in range(5):
        store.append(report(store, f"S{n}", clock.advance(1)))
    iid = store.read(lambda state: sorted(state.incidents))[0]
    store.execute(lambda s: issue_order(s, policy, commander, iid, "T02-A", "cmd:o1", clock.advance(5)))
    store.execute(
        lambda s: advance_order(s, Actor("r", Role.TOWNSHIP, "T02"), iid, "sign", "cmd:s1", clock.advance(70))
    )
    restarted = Store(EventLog(engine), district)
    assert restarted.read(_folded) == store.read(_folded)


def test_a_timeline_reads_one_incidents_events_in_order(engine, district):
    store = Store(EventLog(engine), district)
    store.append(report(store, "T1") + report(store, "T2"))
    iid = incident_id_for("110", "T1")
    store.execute(lambda s: issue_order(s, SlaPolicy(), Actor("c", Role.COMMANDER), iid, "T02-A", "cmd:x", T0 + 9))
    assert [type(e).__name__ for _, e in store.log.stream(iid)] == ["IncidentReported", "OrderIssued"]


def test_dead_letters_and_audit_records_are_kept(engine, district):
    log = EventLog(engine)
    log.dead_letter([{"at": T0, "source": "110", "source_id": "x", "reason": "missing field 'lon'", "raw": "{}"}])
    log.audit(AuditRecord(T0, "c", "commander", "issue_order", "rejected:team_busy", target="I1", command_id="cmd:1"))
    assert log.dead_letters()[0]["reason"] == "missing field 'lon'"
    assert log.audit_trail()[0]["result"] == "rejected:team_busy"


def test_two_processes_on_one_log_each_see_the_others_events_in_order(engine, district):
    web, consumer = Store(EventLog(engine), district), Store(EventLog(engine), district)
    consumer.append(report(consumer, "from-consumer"))
    web.append(report(web, "from-web"))  # its seq jumps over the consumer's: it folds both
    assert web.read(lambda state: {i.source_id for i in state.incidents.values()}) == {"from-consumer", "from-web"}
    consumer.catch_up()
    assert consumer.read(_folded) == web.read(_folded) and web.read(lambda state: state.seq) == 2


def test_a_callers_nul_and_lone_surrogates_are_stored_escaped_in_dead_letters_and_the_audit_trail(engine):
    log = EventLog(engine)
    log.dead_letter([{"at": T0, "source": "api\x00", "source_id": "\ud800", "reason": "bad", "raw": "a\x00b\udfff"}])
    log.audit(AuditRecord(T0, "who\x00", "township", "order_sign", "rejected:out_of_scope", "T01", "\ud800\x00"))
    letter, record = log.dead_letters(1)[0], log.audit_trail(1)[0]
    assert (letter["raw"], letter["source_id"]) == ("a\\u0000b\\udfff", "\\ud800")
    assert (record["actor"], record["target"]) == ("who\\u0000", "\\ud800\\u0000")


def test_a_store_hands_out_neither_its_projection_nor_its_lock(engine, district):
    store = Store(EventLog(engine), district)
    public = {name: getattr(store, name) for name in dir(store) if not name.startswith("_")}
    assert [name for name, value in public.items() if isinstance(value, (Projection, type(threading.RLock())))] == []
    store.append(report(store, "R1"))
    assert store.read(lambda state: (state.seq, len(state.incidents))) == (1, 1)


def test_a_check_that_refuses_comes_before_the_repeat_and_nothing_is_decided_or_appended(engine, district):
    store, policy, decided = Store(EventLog(engine), district), SlaPolicy(), []
    store.append(report(store, "R1"))
    iid = incident_id_for("110", "R1")
    store.execute(lambda s: issue_order(s, policy, Actor("c", Role.COMMANDER), iid, "T02-A", "cmd:o1", T0 + 5))

    def out_of_scope(state: Projection) -> None:
        if state.incidents[iid].township != "T01":
            raise Rejected("out_of_scope")

    with pytest.raises(Rejected):  # the same command id again: refused, not answered as a repeat
        store.execute(lambda s: decided.append(s) or [], once="cmd:o1", check=out_of_scope)
    assert decided == [] and store.log.last_seq() == 2


def test_no_module_outside_the_store_takes_its_lock_or_reads_its_state():
    root = Path(__file__).resolve().parents[2]
    reach = re.compile(r"\bstore\.(lock|state)\b")  # as services.store.<lock or state> did, or self.store.<...>
    sources = [
        p
        for p in root.rglob("*.py")
        if p.parent.name != "store" and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    found = [
        f"{path.relative_to(root)}:{n}"
        for path in sorted(sources)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if reach.search(line)
    ]
    assert found == []
