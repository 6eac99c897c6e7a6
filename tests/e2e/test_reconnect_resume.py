"""A wall whose connection drops for a moment catches up from the deltas it missed, in real Chromium: no second
snapshot, and no gap in the seqs (the browser would ask for a resync)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

WAIT_MS = 30_000
OFFLINE = "net::ERR_INTERNET_DISCONNECTED"  # Chromium's console line for a request made while offline


def _reconnecting(request: Any) -> bool:
    """Return whether a failed request is the socket's attempt to reconnect (Engine.IO opens by polling)."""
    return "/socket.io/" in request.url and "transport=polling" in request.url and OFFLINE in (request.failure or "")


def frames(page: Any) -> tuple[list[str], list[str]]:
    """Record the Socket.IO events the page receives and the packets it sends, over polling and the websocket."""
    seen: list[str] = []
    sent: list[str] = []

    def events(text: str) -> None:
        # Event packets: 42["name",...] (JSON) or 5N-["name",...] (with binary attachments); polling joins them.
        seen.extend(m.group(1) for m in re.finditer(r'(?:42|5\d+-)\["(\w+)"', text))

    def on_socket(ws: Any) -> None:
        ws.on("framereceived", lambda payload: events(payload) if isinstance(payload, str) else None)
        ws.on("framesent", lambda payload: sent.append(payload if isinstance(payload, str) else "<binary>"))

    def on_response(resp: Any) -> None:
        if "/socket.io/" in resp.url and resp.request.method == "GET":
            try:
                events(resp.text())
            except Exception:  # a closed or binary poll: nothing of ours to read
                pass

    def on_request(req: Any) -> None:
        if "/socket.io/" in req.url and req.method == "POST":
            sent.append(req.post_data or "")

    page.on("websocket", on_socket)
    page.on("response", on_response)
    page.on("request", on_request)
    return seen, sent


def test_a_wall_back_after_a_dropped_connection_catches_up_without_a_new_snapshot(
    open_page: Callable[..., Any], app_url: str
) -> None:
    page, errors = open_page(f"{app_url}/wall")  # signed in
    page.goto("about:blank")  # the sign-in's wall and its socket are gone before the recording starts
    seen, sent = frames(page)
    page.goto(f"{app_url}/wall")  # its socket from the start, recorded
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    assert seen.count("snapshot") == 1  # the first one, deflated on the wire
    seq_before = page.evaluate("() => window.onemap.live.state().seq")
    # Offline until the wall has tried to come back and failed: the outage outlasts its socket, whatever the
    # reconnection delay's random draw (0.5 to 1.5 s) and however long the badge takes to say so.
    with page.expect_event("requestfailed", predicate=_reconnecting, timeout=WAIT_MS):
        page.context.set_offline(True)
    page.wait_for_selector(".om-badge-live", state="detached", timeout=WAIT_MS)
    page.context.set_offline(False)
    # The simulator keeps reporting meanwhile: the wall is live again with a later seq.
    page.wait_for_function(
        f"() => window.onemap.live.isLive() && window.onemap.live.state().seq > {seq_before}", timeout=WAIT_MS
    )
    assert seen.count("snapshot") == 1, seen  # caught up from deltas, not a snapshot
    assert not [f for f in sent if "resync" in f], sent  # every missed delta arrived, in order
    assert page.evaluate("() => window.onemap.live.all('incident').length") > 0
    # The browser logs each request the outage failed; any other error is the page's.
    assert not [e for e in errors if OFFLINE not in e], errors
