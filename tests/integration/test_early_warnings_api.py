"""Early warnings through the product: raised by the tick on a constructed log, listed, acknowledged, audited."""

from __future__ import annotations

from typing import Any

import pytest

from app import create_app
from config import Settings
from domain import events as ev
from tests.conftest import Clock
from tests.unit.warnings_log import anchor, at, reports, series

TOKENS = {"sys-w": "system", "cmd-w": "commander", "t03-w": "township:T03", "t01-w": "township:T01", "wall-w": "wall"}
# T03's waterlogging: 1 a day at 10:00 on days d-9 .. d-1 (baseline d-9 .. d-3: mean 1, sd 0, floor 1: 5 alarms).
USUAL = {back: 1 for back in range(1, 10)}


class App:
    """The app on a constructed log, its clock at 10:30 of day d, and a test client."""

    def __init__(self, tmp: Any) -> None:
        self.clock = Clock(at(0, 10, 30))
        self.onemap = create_app(Settings(data_dir=tmp, simulator=False, api_tokens=TOKENS), clock=self.clock)
        self.store, self.commands = self.onemap.services.store, self.onemap.services.commands
        self.client = self.onemap.server.test_client()

    def call(self, token: str, path: str, body: dict[str, Any] | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}", "Origin": "http://localhost"}
        if body is None:
            return self.client.get(f"/api/v1{path}", headers=headers)
        return self.client.post(f"/api/v1{path}", json=body, headers=headers)

    def events(self, kind: type) -> list[Any]:
        return [e for _, e in self.store.log.read(0) if isinstance(e, kind)]


@pytest.fixture
def app(tmp_path) -> App:
    out = App(tmp_path)
    out.store.append(anchor() + series(USUAL))
    return out


def burst(app: App, n: int) -> None:
    """Append n of T03's waterlogging reports at the clock's time, as the ingest would."""
    app.store.append(reports(n, app.clock()))


def test_the_tick_raises_a_warning_once_and_every_screen_and_the_api_see_it(app):
    burst(app, 5)
    assert app.commands.warning_tick() == 2  # the hour's and the day's: usually 1, threshold 1 + 3 * 1
    app.clock.advance(1)
    assert app.commands.warning_tick() == 0
    listed = app.call("cmd-w", "/warnings").get_json()["warnings"]
    assert sorted((w["period"], w["count"], w["usual"], w["ratio"]) for w in listed) == [
        ("day", 5, 1.0, 5.0),
        ("hour", 5, 1.0, 5.0),
    ]
    assert len(app.events(ev.WarningRaised)) == 2


def test_a_tick_with_nothing_new_since_its_last_check_judges_nothing(app):
    assert app.commands.warning_tick() == 0
    app.clock.advance(120)
    burst(app, 5)
    app.clock.advance(1)
    assert app.commands.warning_tick() == 2  # the reports since the last check are judged


def test_the_township_concerned_sees_its_warning_and_another_township_does_not(app):
    burst(app, 5)
    app.commands.warning_tick()
    assert len(app.call("t03-w", "/warnings").get_json()["warnings"]) == 2
    assert app.call("t01-w", "/warnings").get_json()["warnings"] == []
    assert len(app.call("wall-w", "/warnings").get_json()["warnings"]) == 2


def test_a_commander_acknowledges_once_audited_and_a_repeated_command_id_acts_once(app):
    burst(app, 5)
    app.commands.warning_tick()
    wid = app.call("cmd-w", "/warnings").get_json()["warnings"][0]["id"]
    body = {"command_id": "ack-warning-1", "note": "已派员核查"}
    first, again = app.call("cmd-w", f"/warnings/{wid}/ack", body), app.call("cmd-w", f"/warnings/{wid}/ack", body)
    assert (first.get_json()["status"], again.get_json()["status"]) == ("done", "duplicate")
    assert [(e.warning_id, e.note) for e in app.events(ev.WarningAcknowledged)] == [(wid, "已派员核查")]
    trail = [r for r in app.store.log.audit_trail() if r["action"] == "acknowledge_warning"]
    assert [(r["result"], r["target"], r["command_id"]) for r in trail] == [
        ("duplicate", wid, "cmd:ack-warning-1"),
        ("done", wid, "cmd:ack-warning-1"),
    ]
    (shown,) = [w for w in app.call("cmd-w", "/warnings").get_json()["warnings"] if w["id"] == wid]
    assert shown["acked_by"] == "token:cmd-w" and shown["acked_at"] == app.clock()


def test_an_acknowledged_or_unknown_warning_is_refused_with_its_code(app):
    burst(app, 5)
    app.commands.warning_tick()
    wid = app.call("cmd-w", "/warnings").get_json()["warnings"][0]["id"]
    app.call("cmd-w", f"/warnings/{wid}/ack", {"command_id": "ack-warning-1"})
    twice = app.call("cmd-w", f"/warnings/{wid}/ack", {"command_id": "ack-warning-2"})
    assert (twice.status_code, twice.get_json()["error"]["code"]) == (409, "warning_acknowledged")
    unknown = app.call("cmd-w", "/warnings/warn:hour:1:T03:noise/ack", {"command_id": "ack-warning-3"})
    assert (unknown.status_code, unknown.get_json()["error"]["code"]) == (404, "unknown_warning")


def test_a_township_cannot_acknowledge_even_its_own_warning_and_the_refusal_is_audited(app):
    burst(app, 5)
    app.commands.warning_tick()
    wid = app.call("t03-w", "/warnings").get_json()["warnings"][0]["id"]
    refused = app.call("t03-w", f"/warnings/{wid}/ack", {"command_id": "ack-warning-4"})
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (403, "forbidden")
    assert app.events(ev.WarningAcknowledged) == []
    assert any(r["result"] == "rejected:forbidden" for r in app.store.log.audit_trail() if r["actor"] == "token:t03-w")


def test_an_acknowledged_warning_leaves_the_list_in_force_when_its_period_ends_and_stays_in_state_all(app):
    burst(app, 5)
    app.commands.warning_tick()
    for w in app.call("cmd-w", "/warnings").get_json()["warnings"]:
        app.call("cmd-w", f"/warnings/{w['id']}/ack", {"command_id": f"ack-{w['period']}-all"})
    assert len(app.call("cmd-w", "/warnings").get_json()["warnings"]) == 2  # the hour and the day still run
    app.clock.now = at(0, 11, 1)
    assert [w["period"] for w in app.call("cmd-w", "/warnings").get_json()["warnings"]] == ["day"]
    assert len(app.call("cmd-w", "/warnings?state=all").get_json()["warnings"]) == 2


def test_the_demos_duty_commander_acknowledges_a_warning_five_minutes_after_it_was_raised(app):
    from application.autopilot import ACK_AFTER_S, Autopilot

    burst(app, 5)
    app.commands.warning_tick()
    pilot = Autopilot(app.commands, app.onemap.services.settings.sla_policy)
    pilot.tick(app.clock.advance(ACK_AFTER_S - 1))
    assert not app.events(ev.WarningAcknowledged)
    pilot.tick(app.clock.advance(1))
    assert sorted(e.warning_id for e in app.events(ev.WarningAcknowledged)) == sorted(
        e.warning_id for e in app.events(ev.WarningRaised)
    )
