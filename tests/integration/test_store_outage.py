"""PostgreSQL out of reach during a command: a clear 503, nothing of the command written, and it succeeds after.

The app connects as a role of the test's own, in a schema of its own; the outage is that role refused new
connections (NOLOGIN) and its open ones terminated (pg_terminate_backend). The shared server keeps running.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
import redis
from sqlalchemy import create_engine, text

from domain.model import Role
from geo.locate import Locator
from layouts import ids
from store.log import EventLog, make_engine
from store.store import Store
from streams import consumer
from streams.ingest import Ingestor, Result
from tests.integration.buses import incident, redis_bus
from tests.support import PG_URL, REDIS_URL, Clock, wait_until

TOKENS = {"sys-token-1": "system", "cmd-token-1": "commander"}
SYSTEM = {"Authorization": "Bearer sys-token-1"}
COMMANDER = {"Authorization": "Bearer cmd-token-1", "Accept-Language": "en"}
PASSWORD = "correct-horse-battery"
UNAVAILABLE = {
    "error": {"code": "store_unavailable", "message": "The database cannot be reached right now; try again shortly"}
}


class Database:
    """The app's own role and schema, and the switch that cuts the app off the server."""

    def __init__(self) -> None:
        self.role = f"t_{uuid.uuid4().hex[:12]}"
        self.admin = create_engine(PG_URL)
        try:
            with self.admin.begin() as conn:
                conn.execute(text(f'CREATE ROLE "{self.role}" LOGIN'))
                conn.execute(text(f'CREATE SCHEMA "{self.role}" AUTHORIZATION "{self.role}"'))
        except Exception as exc:  # never skip: CI must fail when the service is missing
            pytest.fail(f"PostgreSQL is required at {PG_URL}: {exc}")
        base = PG_URL.split("://", 1)[1].split("@", 1)[1]  # host:port/db
        self.url = f"postgresql+psycopg://{self.role}@{base}?options=-csearch_path%3D{self.role}"

    def cut(self) -> None:
        """Refuse the app's role new connections and end the ones it has."""
        with self.admin.begin() as conn:
            conn.execute(text(f'ALTER ROLE "{self.role}" NOLOGIN'))
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"), {"r": self.role}
            )

    def restore(self) -> None:
        with self.admin.begin() as conn:
            conn.execute(text(f'ALTER ROLE "{self.role}" LOGIN'))

    def count(self, table: str) -> int:
        with self.admin.connect() as conn:
            return conn.execute(text(f'SELECT count(*) FROM "{self.role}".{table}')).scalar_one()

    def waiting_on_a_lock(self) -> bool:
        with self.admin.connect() as conn:
            return bool(
                conn.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE usename = :r AND wait_event_type = 'Lock'"),
                    {"r": self.role},
                ).scalar_one()
            )

    def drop(self) -> None:
        self.cut()
        with self.admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.role}" CASCADE'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{self.role}"'))
        self.admin.dispose()


@pytest.fixture
def database() -> Iterator[Database]:
    db = Database()
    yield db
    db.drop()


@pytest.fixture
def onemap(database, make_app) -> Iterator[Any]:
    app = make_app(api_tokens=TOKENS, database_url=database.url)
    yield app
    app.services.store.log.engine.dispose()


def _incident_and_team(onemap: Any) -> tuple[str, str]:
    t = onemap.services.district.townships["T04"]
    record = {"source": "12345", "source_id": "PG-1", "category": "noise", "lon": t.lon, "lat": t.lat}
    r = onemap.server.test_client().post("/api/v1/records", json=record, headers=SYSTEM)
    assert r.status_code == 200, r.get_json()
    incident = r.get_json()["results"][0]["incident_id"]
    team = next(x for x in onemap.services.district.teams.values() if x.township == "T04")
    return incident, team.id


def test_a_command_while_the_database_cannot_be_reached_is_answered_503_and_succeeds_after(database, onemap):
    incident, team = _incident_and_team(onemap)
    client, order = onemap.server.test_client(), {"team_id": team, "command_id": "outage-order-1"}
    events, audit = database.count("events"), database.count("audit")

    database.cut()
    down = client.post(f"/api/v1/incidents/{incident}/order", json=order, headers=COMMANDER)
    assert down.status_code == 503 and down.get_json() == UNAVAILABLE
    assert down.headers["Retry-After"] == "5"
    assert onemap.server.test_client().get("/healthz").status_code == 200  # served from memory meanwhile

    database.restore()
    assert (database.count("events"), database.count("audit")) == (events, audit)  # nothing was written
    again = client.post(f"/api/v1/incidents/{incident}/order", json=order, headers=COMMANDER)
    assert again.status_code == 200 and again.get_json()["status"] == "done"  # not "duplicate": it never ran
    assert onemap.services.store.read(lambda state: state.incidents[incident].order) is not None


def test_a_command_whose_connection_dies_mid_append_is_answered_503_and_nothing_of_it_is_written(database, onemap):
    incident, team = _incident_and_team(onemap)
    client, order = onemap.server.test_client(), {"team_id": team, "command_id": "outage-order-2"}
    events, audit = database.count("events"), database.count("audit")
    answer: list[Any] = []

    with database.admin.connect() as holder:
        holder.execute(text(f'LOCK TABLE "{database.role}".events IN EXCLUSIVE MODE'))  # reads pass, the append waits
        worker = threading.Thread(
            target=lambda: answer.append(
                client.post(f"/api/v1/incidents/{incident}/order", json=order, headers=COMMANDER)
            )
        )
        worker.start()
        wait_until(database.waiting_on_a_lock, 20, "the command's append to wait inside its transaction")
        database.cut()  # the connection dies with the append half done
        worker.join(20)
        holder.rollback()
    assert answer and answer[0].status_code == 503 and answer[0].get_json() == UNAVAILABLE

    database.restore()
    assert (database.count("events"), database.count("audit")) == (events, audit)  # the append was one transaction
    assert onemap.services.store.read(lambda state: state.incidents[incident].order) is None
    again = client.post(f"/api/v1/incidents/{incident}/order", json=order, headers=COMMANDER)
    assert again.status_code == 200 and again.get_json()["status"] == "done"
    assert database.count("events") > events


def _signed_in_commander(onemap: Any) -> Any:
    onemap.services.accounts.create_user("cmd", PASSWORD, Role.COMMANDER)
    client = onemap.server.test_client()
    client.get("/login")
    with client.session_transaction() as session:
        csrf = session["csrf"]
    assert client.post("/login", data={"username": "cmd", "password": PASSWORD, "csrf": csrf}).status_code == 302
    return client


def _order_click(onemap: Any, incident: str, team: str) -> dict[str, Any]:
    """The console's request when the commander clicks a suggested team's order button."""
    key = next(k for k, cb in onemap.dash.callback_map.items() if any(ids.ISSUE_BTN in i["id"] for i in cb["inputs"]))
    button = {"type": ids.ISSUE_BTN, "incident": incident, "team": team, "k": 0}
    outputs = [dict(zip(("id", "property"), o.split(".", 1))) for o in key.strip(".").split("...")]
    return {
        "output": key,
        "outputs": outputs,
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "state": [
            {"id": ids.I18N, "property": "data", "value": {"lang": "zh"}},
            {"id": ids.CMD_DONE, "property": "data", "value": 0},
        ],
        "changedPropIds": [json.dumps(button, sort_keys=True, separators=(",", ":")) + ".n_clicks"],
    }


def test_an_order_clicked_on_the_console_when_its_append_is_cut_off_says_the_database_cannot_be_reached(
    database, onemap
):
    incident, team = _incident_and_team(onemap)
    client, events = _signed_in_commander(onemap), database.count("events")
    answer: list[Any] = []
    with database.admin.connect() as holder:
        holder.execute(text(f'LOCK TABLE "{database.role}".events IN EXCLUSIVE MODE'))
        click = _order_click(onemap, incident, team)
        worker = threading.Thread(
            target=lambda: answer.append(
                client.post("/_dash-update-component", json=click, headers={"Origin": "http://localhost"})
            )
        )
        worker.start()
        wait_until(database.waiting_on_a_lock, 20, "the order's append to wait inside its transaction")
        database.cut()
        worker.join(20)
        holder.rollback()
    assert answer and answer[0].status_code == 200  # answered in the page's own result line
    shown = json.dumps(answer[0].get_json()["response"], ensure_ascii=False)
    assert '"data-code": "store_unavailable"' in shown and "数据库暂时无法访问，请稍后重试" in shown
    database.restore()
    assert database.count("events") == events


class CountingIngestor(Ingestor):
    """An Ingestor that counts its batches, so a test can tell the consumer retried during the outage."""

    calls = 0

    def ingest(self, raws: Sequence[Any]) -> list[Result]:
        self.calls += 1
        return super().ingest(raws)


def test_the_consumer_holds_its_batch_through_the_outage_and_commits_it_after_without_counting_redeliveries(
    database, prefix, district, boundaries, caplog
):
    caplog.set_level(logging.WARNING, logger="streams")
    store = Store(EventLog(make_engine(database.url)), district)
    ingestor = CountingIngestor(store, Locator(boundaries), Clock())
    # Reclaimed at every read and poison at the second delivery: only a batch kept in hand survives this outage.
    bus = redis_bus(prefix, claim_idle_ms=0, claim_every_s=0, max_deliveries=1)
    stop = threading.Event()
    loop = threading.Thread(target=consumer.run, args=(bus, ingestor, stop, "c1", 100, 200), daemon=True)
    loop.start()
    try:
        database.cut()
        bus.publish([incident(i, district) for i in range(3)])
        wait_until(lambda: "store unavailable" in caplog.text, 20, "the consumer to see the outage")
        tried = ingestor.calls
        wait_until(lambda: ingestor.calls >= tried + 2, 20, "two more tries of the batch in hand")
        database.restore()
        wait_until(lambda: store.read(lambda state: len(state.incidents)) == 3, 20, "the batch to be committed")
        wait_until(lambda: "resumed after" in caplog.text, 5, "the consumer to log its recovery")
    finally:
        stop.set()
        loop.join(10)
    client = redis.Redis.from_url(REDIS_URL)
    assert client.xpending(bus.stream_key("110"), "onemap")["pending"] == 0
    assert client.xlen(bus.dead_key) == 0  # nothing taken for poison
    assert store.read(lambda state: sorted(i.source_id for i in state.incidents.values())) == ["JJ-0", "JJ-1", "JJ-2"]
    bus.close()
    store.log.engine.dispose()
