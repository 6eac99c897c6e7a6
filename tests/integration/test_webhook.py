"""The webhook notifier against a real HTTP receiver on 127.0.0.1: what is sent, how it is signed, retried, and who sends."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from application.commands import Commands
from application.notify import WebhookNotifier, from_settings
from config import Settings, from_env
from domain.dispatch import incident_id_for
from domain.intake import Report, report_incident
from domain.model import Actor, Role
from domain.sla import SlaPolicy
from store.log import EventLog, make_engine
from store.store import Store
from tests.support import T0, Clock, wait_until

SECRET = "test-webhook-secret"
PUBLIC = "https://onemap.example"
FAST = (0.05, 0.05, 0.05)  # the backoff between attempts, in tests
WAIT_S = 10.0
COMMANDER = Actor("cmd", Role.COMMANDER)
ROOM = Actor("t02", Role.TOWNSHIP, "T02")


class Delivery:
    """One POST as the receiver got it."""

    def __init__(self, headers: Any, body: bytes) -> None:
        self.headers, self.body = headers, body  # headers: case-insensitive, as any receiver reads them

    @property
    def id(self) -> str:
        return self.headers["X-OneMap-Delivery"]

    @property
    def notice(self) -> dict[str, Any]:
        return json.loads(self.body)

    def verified(self, secret: str = SECRET) -> bool:
        """Check the signature the way docs/notify.md tells a receiver to."""
        stamp = self.headers["X-OneMap-Timestamp"]
        mac = hmac.new(secret.encode(), stamp.encode() + b"." + self.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest("sha256=" + mac, self.headers["X-OneMap-Signature"])


class Receiver:
    """A receiver answering each POST with the next of its statuses, then 200; hang: every answer held until released."""

    def __init__(self, statuses: tuple[int, ...] = (), hang: bool = False) -> None:
        self.statuses, self.hang, self.release = list(statuses), hang, threading.Event()
        self.got: list[Delivery] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                receiver.got.append(Delivery(self.headers, self.rfile.read(int(self.headers["Content-Length"]))))
                if receiver.hang:
                    receiver.release.wait(WAIT_S)
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        return Handler

    def wait_for(self, n: int) -> list[Delivery]:
        """Return the deliveries once n arrived."""
        wait_until(lambda: len(self.got) >= n, WAIT_S, f"{n} deliveries")
        return list(self.got)


class Hooks:
    """The test's receivers and notifiers, closed in the right order after it: receivers released, then notifiers."""

    def __init__(self) -> None:
        self.receivers: list[Receiver] = []
        self.notifiers: list[WebhookNotifier] = []

    def receiver(self, statuses: tuple[int, ...] = (), hang: bool = False) -> Receiver:
        self.receivers.append(Receiver(statuses, hang))
        return self.receivers[-1]

    def notifier(self, store: Store, url: str, clock: Clock, **options: Any) -> WebhookNotifier:
        """Return a started notifier on a store, with the tests' short backoff unless told."""
        notifier = WebhookNotifier(url, SECRET, PUBLIC, clock, store, **{"backoff_s": FAST, **options})
        return self.started(notifier)

    def started(self, notifier: WebhookNotifier) -> WebhookNotifier:
        self.notifiers.append(notifier)
        notifier.start()
        return notifier

    def close(self) -> None:
        for r in self.receivers:
            r.release.set()
        for n in self.notifiers:
            n.close()
        for r in self.receivers:
            r.server.shutdown()
            r.server.server_close()


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    made = Hooks()
    yield made
    made.close()


@pytest.fixture
def hooked(make_app, hooks: Hooks) -> tuple[Any, Receiver]:
    """The app configured with a webhook to a receiver, its notifier started (the app's loops are not)."""
    receiver = hooks.receiver()
    app = make_app(webhook_url=receiver.url, webhook_secret=SECRET, public_url=PUBLIC)
    hooks.started(app.notifier)
    return app, receiver


def report(store: Store, source_id: str, at: float = T0) -> str:
    """Report a noise incident in T02 (the way the Ingestor decides one); return its id."""
    t = store.read(lambda s: s.district.townships["T02"])
    record = Report("12345", source_id, "noise", t.lon, t.lat, at, "广场舞音响扰民", "人民路100号")
    store.execute(lambda s: report_incident(s, record, "T02", at), exclusive=False)
    return incident_id_for("12345", source_id)


def commands_on(store: Store, clock: Clock) -> Commands:
    return Commands(store, SlaPolicy(), clock, 25.0)


def issued(commands: Commands, incident_id: str, team_id: str = "T02-A", **kw: Any) -> str:
    """Issue an order as the commander; return its event id (the delivery id of its notice)."""
    outcome = commands.issue_order(COMMANDER, incident_id, team_id, **kw)
    assert outcome.status == "done", outcome
    return outcome.events[0].event_id


def test_an_order_issued_to_a_team_delivers_a_signed_order_new_with_its_team_deadlines_and_the_team_page(hooked, clock):
    app, receiver = hooked
    store, commands = app.services.store, app.services.commands
    iid = report(store, "R1")
    event_id = issued(commands, iid)
    [got] = receiver.wait_for(1)
    wait_until(lambda: app.notifier.sent == 1, WAIT_S, "the delivery counted")
    assert "onemap_webhook_sent_total 1" in app.server.test_client().get("/metrics").get_data(as_text=True)
    assert got.verified() and not got.verified("another-secret")
    assert got.id == event_id and got.headers["X-OneMap-Timestamp"] == str(int(T0))
    assert got.headers["Content-Type"] == "application/json"
    notice = got.notice
    assert (notice["version"], notice["id"], notice["type"]) == (1, event_id, "order.new")
    assert notice["at_unix"] == T0 and notice["at"].endswith("+08:00")
    assert notice["incident"] == {
        "id": iid,
        "category": "noise",
        "category_zh": "噪声扰民",
        "category_en": "Noise nuisance",
        "summary": "广场舞音响扰民",
        "address": "人民路100号",
        "township": "T02",
        "township_zh": app.services.district.townships["T02"].name_zh,
        "township_en": app.services.district.townships["T02"].name_en,
        "lon": notice["incident"]["lon"],
        "lat": notice["incident"]["lat"],
        "priority": 3,
    }  # the wall's facts only: no source record id, nothing of the caller
    order = notice["order"]
    team = app.services.district.teams["T02-A"]
    assert (order["team_id"], order["team_zh"], order["team_en"], order["township"]) == (
        "T02-A",
        team.name_zh,
        team.name_en,
        "T02",
    )
    deadlines = store.read(lambda s: dict(s.incidents[iid].order.deadlines))
    assert {step: d["at_unix"] for step, d in order["deadlines"].items()} == deadlines
    assert all(d["at"].endswith("+08:00") for d in order["deadlines"].values())
    assert notice["link"] == f"{PUBLIC}/team"


def test_a_stage_past_its_deadline_delivers_order_breached_with_the_stage_and_its_deadline(hooked, clock):
    app, receiver = hooked
    store, commands = app.services.store, app.services.commands
    iid = report(store, "R1")
    issued(commands, iid)
    receiver.wait_for(1)
    sign_due = store.read(lambda s: s.incidents[iid].order.deadlines["sign"])
    clock.now = sign_due + 1
    assert commands.sla_tick() == 1
    breach = receiver.wait_for(2)[1]
    assert breach.verified() and breach.id == f"breach:{iid}-1:sign"
    notice = breach.notice
    assert notice["type"] == "order.breached" and notice["at_unix"] == sign_due + 1
    assert (notice["order"]["step"], notice["order"]["deadline"]["at_unix"]) == ("sign", sign_due)
    assert notice["link"] == f"{PUBLIC}/township/T02"


def test_an_incident_left_unordered_past_the_dispatch_target_delivers_dispatch_breached(hooked, clock):
    app, receiver = hooked
    iid = report(app.services.store, "R1")
    due = app.services.store.read(lambda s: s.incidents[iid].dispatch_due)
    clock.now = due + 1
    app.services.commands.sla_tick()
    [got] = receiver.wait_for(1)
    notice = got.notice
    assert (notice["type"], notice["order"], notice["dispatch_deadline"]["at_unix"]) == ("dispatch.breached", None, due)
    assert notice["incident"]["id"] == iid and notice["link"] == f"{PUBLIC}/township/T02"


def test_an_order_to_a_township_room_links_its_room_and_the_team_it_is_routed_to_hears_of_it_then(hooked, clock):
    app, receiver = hooked
    commands = app.services.commands
    iid = report(app.services.store, "R1")
    issued(commands, iid, "", township="T02")
    for step in ("sign", "respond"):
        assert commands.advance(ROOM, iid, step).ok
    routed = commands.advance(ROOM, iid, "route", team_id="T02-B")
    to_room, to_team = receiver.wait_for(2)
    assert (to_room.notice["order"]["team_id"], to_room.notice["link"]) == ("", f"{PUBLIC}/township/T02")
    assert to_team.id == routed.events[0].event_id and to_team.notice["type"] == "order.new"
    assert (to_team.notice["order"]["team_id"], to_team.notice["link"]) == ("T02-B", f"{PUBLIC}/team")


def test_a_route_to_the_team_the_order_was_issued_to_sends_no_second_notice(hooked, clock):
    app, receiver = hooked
    store, commands = app.services.store, app.services.commands
    first = issued(commands, report(store, "R1"))
    for step in ("sign", "respond", "route"):
        assert commands.advance(ROOM, incident_id_for("12345", "R1"), step).ok
    second = issued(commands, report(store, "R2"), "T02-B")  # one worker, in order: the route's would come first
    assert [d.id for d in receiver.wait_for(2)] == [first, second]


def test_a_receiver_answering_500_twice_then_200_gets_the_same_delivery_three_times_and_it_counts_as_sent(
    store, clock, hooks
):
    receiver = hooks.receiver(statuses=(500, 500))
    notifier = hooks.notifier(store, receiver.url, clock)
    event_id = issued(commands_on(store, clock), report(store, "R1"))
    wait_until(lambda: notifier.sent == 1, WAIT_S, "the notice sent")
    assert [d.id for d in receiver.got] == [event_id] * 3 and all(d.verified() for d in receiver.got)
    assert (notifier.sent, notifier.failed, notifier.dropped) == (1, 0, 0)


def test_a_receiver_that_hangs_does_not_slow_a_command(store, clock, hooks):
    receiver = hooks.receiver(hang=True)
    hooks.notifier(store, receiver.url, clock)  # the real 5 s timeout
    commands = commands_on(store, clock)
    issued(commands, report(store, "R1"))
    receiver.wait_for(1)  # the worker now waits on the receiver
    started = time.monotonic()
    issued(commands, report(store, "R2"), "T02-B")
    assert time.monotonic() - started < 1.0


def test_a_notice_never_taken_is_given_up_after_its_retries_counted_failed_and_logged_with_its_id(
    store, clock, hooks, caplog
):
    receiver = hooks.receiver(hang=True)
    notifier = hooks.notifier(store, receiver.url, clock, timeout_s=0.2)
    with caplog.at_level(logging.WARNING, logger="application.notify"):
        event_id = issued(commands_on(store, clock), report(store, "R1"))
        wait_until(lambda: notifier.failed == 1, WAIT_S, "the notice given up")
    assert len(receiver.got) == 1 + len(FAST) and notifier.sent == 0
    assert any(event_id in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_a_full_queue_drops_its_oldest_notice_and_counts_it(store, clock, hooks):
    receiver = hooks.receiver(hang=True)
    notifier = hooks.notifier(store, receiver.url, clock, capacity=2)
    commands = commands_on(store, clock)
    issued(commands, report(store, "R1"))
    receiver.wait_for(1)  # the first is in the worker's hands; the queue holds what follows
    for n, team in ((2, "T02-B"), (3, "T01-A"), (4, "T01-B")):
        issued(commands, report(store, f"R{n}"), team)
    assert (notifier.dropped, notifier.queued) == (1, 2)


def test_two_processes_on_one_log_send_each_notice_once_from_the_process_that_appended_it(
    tmp_path, district, clock, hooks
):
    receiver = hooks.receiver()
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    one, two = (Store(EventLog(make_engine(url)), district) for _ in range(2))
    for store in (one, two):
        hooks.notifier(store, receiver.url, clock)
    first = issued(commands_on(one, clock), report(one, "R1"))
    two.catch_up()  # as its SLA loop does every second: it folds the order the other process appended
    second = issued(commands_on(two, clock), report(two, "R2"), "T02-B")
    one.catch_up()
    third = issued(commands_on(one, clock), report(one, "R3"), "T01-A")
    # Each notifier sends in order: a copy of another's notice would have come before its own next one.
    assert sorted(d.id for d in receiver.wait_for(3)) == sorted([first, second, third])
    assert len(receiver.got) == 3


def test_events_replayed_at_start_up_are_not_sent(tmp_path, district, clock, hooks):
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    before = Store(EventLog(make_engine(url)), district)
    issued(commands_on(before, clock), report(before, "R1"))
    clock.advance(3600)
    commands_on(before, clock).sla_tick()  # a breach too, in the log before the restart
    receiver = hooks.receiver()
    restarted = Store(EventLog(make_engine(url)), district)
    hooks.notifier(restarted, receiver.url, clock)
    fresh = issued(commands_on(restarted, clock), report(restarted, "R2", clock.now), "T02-B")
    assert [d.id for d in receiver.wait_for(1)] == [fresh]


def test_a_webhook_url_without_a_secret_refuses_to_start_and_no_url_means_no_notifier(store, clock):
    with pytest.raises(SystemExit, match="ONEMAP_WEBHOOK_SECRET"):
        from_env([], {"ONEMAP_WEBHOOK_URL": "https://hooks.example/onemap"})
    with pytest.raises(SystemExit, match="ONEMAP_WEBHOOK_URL"):
        from_env([], {"ONEMAP_WEBHOOK_URL": "hooks.example/onemap", "ONEMAP_WEBHOOK_SECRET": "s"})
    with pytest.raises(ValueError, match="secret"):
        WebhookNotifier("https://hooks.example/onemap", "", PUBLIC, clock, store)
    settings = from_env([], {"ONEMAP_WEBHOOK_URL": "https://hooks.example/onemap", "ONEMAP_WEBHOOK_SECRET": "s"})
    assert (settings.webhook_url, settings.webhook_secret) == ("https://hooks.example/onemap", "s")
    assert from_settings(Settings(), store, clock) is None
    made = from_settings(settings, store, clock)
    assert made is not None and made.base_url == "http://127.0.0.1:8050"
