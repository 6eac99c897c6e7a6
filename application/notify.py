"""Notices out of the district: each new order and breach POSTed as signed JSON to one webhook (docs/notify.md)."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import threading
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Sequence
from typing import IO

from application.notice import VERSION, notice, notice_type
from config import Settings
from domain import events as ev
from store.store import Store

log = logging.getLogger(__name__)
QUEUE_MAX = 1000  # notices waiting; when full, the oldest is dropped (and counted): a new order matters more
TIMEOUT_S = 5.0
BACKOFF_S = (1.0, 5.0, 30.0)  # the waits before the 2nd, 3rd and 4th attempts; then the notice is given up
IDLE_WAKE_S = 0.5  # an idle worker looks at its stop event this often
RETRIED_STATUS = frozenset({408, 425, 429})  # of the 4xx answers, those that may pass later; any 5xx may too


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Return X-OneMap-Signature: sha256= the hex HMAC-SHA256 of "<timestamp>.<body>" under the shared secret."""
    signed = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: urllib would follow a POST's 301/302 as a GET without the body, and call that sent."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class WebhookNotifier:
    """Sends the notices of the events this process appends, signed, to one URL, from one daemon thread.

    Who sends: the process that appended the event (Store.on_stored), from start() on. In the scaled mode every web
    process folds every event (catch_up) but only one appended it, so a notice leaves once, not once per process;
    and a start-up's replay, or the demo's played past (start() runs after it), is no news.
    """

    def __init__(
        self,
        url: str,
        secret: str,
        base_url: str,
        clock: Callable[[], float],
        store: Store,
        backoff_s: Sequence[float] = BACKOFF_S,
        timeout_s: float = TIMEOUT_S,
        capacity: int = QUEUE_MAX,
    ) -> None:
        if not secret:
            raise ValueError("a webhook needs a secret: an unsigned notice could be forged by anyone")
        self.url, self.secret, self.base_url, self.clock, self.store = url, secret, base_url, clock, store
        self.backoff_s, self.timeout_s, self.capacity = tuple(backoff_s), timeout_s, capacity
        self.sent = 0  # the counters /metrics reads: notices the receiver took,
        self.failed = 0  # given up after the last attempt (or at shutdown),
        self.dropped = 0  # and pushed out of a full queue
        self._queue: deque[ev.Event] = deque()
        self._ready = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def queued(self) -> int:
        """Return how many notices wait to be sent."""
        return len(self._queue)

    def start(self, stop: threading.Event | None = None) -> None:
        """Hear this process's appends from now on and start the worker; it ends once stop (or close) is set."""
        if self._thread is not None:
            return
        self._stop = stop if stop is not None else self._stop
        self.store.on_stored(self._enqueue)
        self._thread = threading.Thread(target=self._run, name="onemap-webhook", daemon=True)
        self._thread.start()

    def close(self, timeout_s: float = TIMEOUT_S) -> None:
        """Stop the worker after its current attempt; the notices still queued are not sent."""
        self._stop.set()
        with self._ready:
            self._ready.notify()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def _enqueue(self, events: list[ev.Event]) -> None:
        # Inside the store's lock (on_stored): pick and queue, no more; the worker builds and sends, off the lock.
        # So the queue's lock is taken inside the store's, and the worker never holds it while it reads the store.
        wanted = [e for e in events if notice_type(e)]
        if not wanted:
            return
        with self._ready:
            for event in wanted:
                if len(self._queue) >= self.capacity:
                    self._queue.popleft()
                    self.dropped += 1
                self._queue.append(event)
            self._ready.notify()

    def _next(self) -> ev.Event | None:
        with self._ready:
            if not self._queue:
                self._ready.wait(IDLE_WAKE_S)
            return self._queue.popleft() if self._queue else None

    def _run(self) -> None:
        while not self._stop.is_set():
            event = self._next()
            if event is None:
                continue
            try:
                self._deliver(event)
            except Exception:  # the worker outlives any one notice (a store out of reach while it was built)
                log.exception("webhook notice %s failed; skipped", event.event_id)
        if self._queue:
            log.warning("webhook: %d notices left unsent at shutdown", len(self._queue))

    def _deliver(self, event: ev.Event) -> None:
        if isinstance(event, ev.OrderRouted) and self._issued_to(event) == event.team_id:
            return  # the room routed the order to the team it was issued to: that team heard at the issue
        built = self.store.read(lambda state: notice(event, state, self.base_url))
        if built is None:
            return
        body = json.dumps(built, ensure_ascii=False, separators=(",", ":")).encode()
        error = ""
        for wait_s in (0.0, *self.backoff_s):
            if wait_s and self._stop.wait(wait_s):
                error = f"shutdown after {error}"
                break
            error, again = self._post(event.event_id, body)
            if not error:
                self.sent += 1
                return
            if not again:
                break
        self.failed += 1
        log.warning("webhook delivery %s (%s) given up: %s", event.event_id, built["type"], error)

    def _issued_to(self, event: ev.OrderRouted) -> str:
        """Return the team the routed order was issued to (read from the incident's stream: the state keeps none)."""
        issued = (
            e
            for _, e in self.store.log.stream(event.incident_id)
            if isinstance(e, ev.OrderIssued) and e.order_id == event.order_id
        )
        return next((e.team_id for e in issued), "")

    def _post(self, delivery: str, body: bytes) -> tuple[str, bool]:
        """POST one attempt; return ("", _) when the receiver took it, else (what went wrong, worth another try)."""
        stamp = str(int(self.clock()))  # signed with the body, so a captured notice cannot be replayed later
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"OneMap-Webhook/{VERSION}",
            "X-OneMap-Delivery": delivery,
            "X-OneMap-Timestamp": stamp,
            "X-OneMap-Signature": signature(self.secret, stamp, body),
        }
        request = urllib.request.Request(self.url, body, headers, method="POST")
        try:
            with _OPENER.open(request, timeout=self.timeout_s):
                return "", False
        except urllib.error.HTTPError as exc:  # an answer: 5xx (and 408, 425, 429) may pass later; 3xx, 4xx will not
            exc.close()
            return f"HTTP {exc.code}", exc.code >= 500 or exc.code in RETRIED_STATUS
        except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out, no such host
            return f"{type(exc).__name__}: {exc}", True


def from_settings(settings: Settings, store: Store, clock: Callable[[], float]) -> WebhookNotifier | None:
    """Return the notifier ONEMAP_WEBHOOK_URL asks for (not started), else None; links go to ONEMAP_PUBLIC_URL."""
    if not settings.webhook_url:
        return None
    base_url = settings.public_url or f"http://{settings.host}:{settings.port}"
    return WebhookNotifier(settings.webhook_url, settings.webhook_secret, base_url, clock, store)
