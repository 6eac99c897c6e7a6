"""Several processes on one PostgreSQL log: conflicting commands on one incident have exactly one outcome."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from domain import events as ev
from domain.dispatch import incident_id_for, issue_order
from domain.errors import Rejected
from domain.intake import Report, report_incident
from domain.model import Actor, Role
from domain.sla import SlaPolicy
from store.log import APPEND_LOCK_KEY, EventLog, make_engine
from store.store import Store
from tests.conftest import PG_URL, T0
from tests.integration.scaled import SYSTEM_TOKEN, Deployment, Web, deployment, free_port, record, start_web, wait_for

COMMANDER = Actor("c", Role.COMMANDER)
PER_PROCESS = 10  # conflicting commands sent to each web process at once


def _waiting_for_the_write_lock(engine, application: str) -> bool:
    """Tell whether a session of that application name waits for the log's advisory lock."""
    with engine.connect() as conn:
        return bool(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE l.locktype = 'advisory' "
                    "AND NOT l.granted AND l.objid = :key AND a.application_name = :app"
                ),
                {"key": APPEND_LOCK_KEY, "app": application},
            ).scalar_one()
        )


def test_a_process_deciding_on_an_incident_another_is_deciding_on_waits_and_decides_against_its_outcome(
    pg_schema, district
):
    app_b = f"onemap-b-{uuid.uuid4().hex[:8]}"
    a = Store(EventLog(make_engine(PG_URL, schema=pg_schema)), district)
    b = Store(EventLog(make_engine(f"{PG_URL}?application_name={app_b}", schema=pg_schema)), district)
    t = district.townships["T02"]
    a.append(a.read(lambda state: report_incident(state, Report("110", "R1", "noise", t.lon, t.lat, T0), "T02", T0)))
    iid, policy, outcome = incident_id_for("110", "R1"), SlaPolicy(), {}
    b.catch_up()  # b has seen the incident, unordered: it would order it too

    def b_orders() -> None:
        try:
            b.execute(lambda s: issue_order(s, policy, COMMANDER, iid, "T02-B", "cmd:order-b", T0 + 10))
            outcome["b"] = "done"
        except Rejected as exc:
            outcome["b"] = exc.code

    other = threading.Thread(target=b_orders)
    watcher = create_engine(PG_URL)

    def a_decides(state):
        events = issue_order(state, policy, COMMANDER, iid, "T02-A", "cmd:order-a", T0 + 10)
        other.start()  # b decides while a has decided and not yet appended: the moment of the old race
        wait_for(lambda: _waiting_for_the_write_lock(watcher, app_b), 30, "b to wait for a's write lock")
        return events

    a.execute(a_decides)
    other.join(30)
    watcher.dispose()
    assert outcome == {"b": "already_ordered"}
    orders = [e for _, e in a.log.read() if isinstance(e, ev.OrderIssued)]
    assert [o.team_id for o in orders] == ["T02-A"]
    assert b.read(lambda state: state.incidents[iid].order.team_id) == "T02-A"  # b folded a's order before deciding


@pytest.fixture(scope="module")
def webs(tmp_path_factory) -> Iterator[tuple[Deployment, Web, Web]]:
    """Two web processes on one schema and Redis prefix, as behind nginx."""
    with deployment(tmp_path_factory.mktemp("two")) as dep:
        started: list[Web] = []
        try:
            # One after the other: the first creates the tables, as a deployment's first start does.
            for name in ("web-a", "web-b"):
                started.append(start_web(name, free_port(), dep.env(), dep.data_dir))
            yield dep, started[0], started[1]
        finally:
            for web in started:
                web.stop()


def _new_incident(web: Web, tag: str) -> str:
    t = (121.191635, 31.094007)  # T02's seat
    r = web.api("POST", "/records", SYSTEM_TOKEN, record(0, f"{tag}-{uuid.uuid4().hex[:8]}", *t))
    assert r.status_code == 200, r.text
    [result] = r.json()["results"]
    assert result["status"] == "accepted", result
    return result["incident_id"]


def _storm(webs: tuple[Web, Web], path: str, body_of) -> list[tuple[int, dict]]:
    """Send PER_PROCESS commands to each web process at once; return (HTTP status, body) of each."""
    start, answers = threading.Barrier(2 * PER_PROCESS), [None] * (2 * PER_PROCESS)

    def send(i: int) -> None:
        start.wait(30)
        r = webs[i % 2].api("POST", path, body=body_of(i))
        answers[i] = (r.status_code, r.json())

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2 * PER_PROCESS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert all(a is not None for a in answers), answers
    return answers


def _outcomes(answers: list[tuple[int, dict]]) -> Counter:
    return Counter(b["status"] if s == 200 else f"{s}:{b['error']['code']}" for s, b in answers)


def _audit(deployment: Deployment, target: str, action: str) -> Counter:
    engine = deployment.engine()
    with engine.connect() as conn:
        rows = (
            conn.execute(text("SELECT result FROM audit WHERE target = :t AND action = :a"), {"t": target, "a": action})
            .scalars()
            .all()
        )
    engine.dispose()
    return Counter(rows)


def test_orders_for_one_incident_to_different_teams_at_two_processes_at_once_give_exactly_one_order(webs):
    deployment, a, b = webs
    iid = _new_incident(a, "order")
    answers = _storm(
        (a, b),
        f"/incidents/{iid}/order",
        lambda i: {"team_id": ("T02-A", "T02-B")[i % 2], "command_id": f"order-{i}-{uuid.uuid4().hex[:8]}"},
    )
    assert _outcomes(answers) == {"done": 1, "409:already_ordered": 2 * PER_PROCESS - 1}
    [winner] = [body["events"][0] for status, body in answers if status == 200]
    for web in (a, b):
        seen = web.api("GET", f"/incidents/{iid}").json()
        assert seen["order"]["team_id"] == winner["team_id"]
        assert [e["type"] for e in seen["timeline"]] == ["IncidentReported", "OrderIssued"]
    assert _audit(deployment, iid, "issue_order") == {"done": 1, "rejected:already_ordered": 2 * PER_PROCESS - 1}


def test_one_step_taken_at_two_processes_at_once_is_taken_once_whether_by_one_command_or_by_many(webs):
    deployment, a, b = webs
    iid = _new_incident(b, "step")
    r = b.api("POST", f"/incidents/{iid}/order", body={"team_id": "T02-Z2", "command_id": f"o-{uuid.uuid4().hex}"})
    assert r.status_code == 200, r.text
    signs = _storm((a, b), f"/orders/{iid}/sign", lambda i: {"command_id": f"sign-{i}-{uuid.uuid4().hex[:8]}"})
    assert _outcomes(signs) == {"done": 1, "409:step_already_done": 2 * PER_PROCESS - 1}
    once = f"respond-{uuid.uuid4().hex}"  # one command, retried at both processes at once
    responds = _storm((a, b), f"/orders/{iid}/respond", lambda i: {"command_id": once})
    assert _outcomes(responds) == {"done": 1, "duplicate": 2 * PER_PROCESS - 1}
    for web in (a, b):
        seen = web.api("GET", f"/incidents/{iid}").json()
        assert [e["type"] for e in seen["timeline"]] == [
            "IncidentReported",
            "OrderIssued",
            "OrderSigned",
            "OrderResponded",
        ]
        assert sorted(seen["order"]["done"]) == ["respond", "sign"]
    assert _audit(deployment, iid, "order_sign") == {"done": 1, "rejected:step_already_done": 2 * PER_PROCESS - 1}
    assert _audit(deployment, iid, "order_respond") == {"done": 1, "duplicate": 2 * PER_PROCESS - 1}
