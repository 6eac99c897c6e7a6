"""A burst of records makes a delta too large for plain JSON: in real Chromium it arrives deflated and is applied in
order with the small deltas around it (no gap, no resync), and every incident of the burst is on the wall."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.e2e.conftest import SLA_POLICY, T03_SPOT, api, quiet_env, running_app

pytestmark = pytest.mark.e2e

WAIT_MS = 30_000
TOKEN = "sys-burst"
BURST = 100  # records in one request: their incidents' delta is well over web/push.py DEFLATE_FROM


@pytest.fixture(scope="module")
def burst_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run the demo with no simulator, so every delta the wall gets is one this test caused."""
    with running_app(quiet_env(tmp_path_factory.mktemp("onemap-burst"), SLA_POLICY, {TOKEN: "system"}), 0) as url:
        yield url


def records(tag: str, n: int) -> list[dict[str, Any]]:
    """n 12345 records a few metres apart in T03."""
    return [
        {
            "source": "12345",
            "source_id": f"{tag}-{k}",
            "category": "noise",
            "summary": f"噪声扰民 {k}",
            "address": f"新华路{k + 1}号",
            "lon": T03_SPOT["lon"] + k * 0.00005,
            "lat": T03_SPOT["lat"],
        }
        for k in range(n)
    ]


def post(url: str, batch: list[dict[str, Any]]) -> list[str]:
    """Post records in one request; return their incidents' ids."""
    return [r["incident_id"] for r in api(url, "/records", TOKEN, {"records": batch})["results"]]


def test_a_burst_arrives_as_one_deflated_delta_applied_in_order_with_the_small_ones_around_it(
    open_page: Callable[..., Any], burst_app: str
) -> None:
    page, errors = open_page(f"{burst_app}/wall")
    page.goto("about:blank")  # the sign-in's wall and its socket are gone before the recording starts
    deltas: list[str] = []  # "json" or "deflated", in the order they came
    sent: list[str] = []
    page.on(
        "websocket",
        lambda ws: (
            ws.on(
                "framereceived",
                lambda f: (
                    isinstance(f, str)
                    and (
                        f.startswith('42["delta"')
                        and deltas.append("json")
                        or f.startswith('451-["delta"')
                        and deltas.append("deflated")
                    )
                ),
            ),
            ws.on("framesent", lambda f: sent.append(f if isinstance(f, str) else "<binary>")),
        ),
    )
    page.goto(f"{burst_app}/wall")
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)

    shown = "(ids) => ids.every(id => window.onemap.live.get('incident', id))"
    ids = post(burst_app, records("B0", 1)) + post(burst_app, records("B1", BURST))
    page.wait_for_function(shown, arg=ids, timeout=WAIT_MS)
    ids += post(burst_app, records("B2", 1))  # a small delta after the burst's
    page.wait_for_function(shown, arg=ids, timeout=WAIT_MS)

    assert "deflated" in deltas, deltas  # the burst's delta
    assert "json" in deltas[deltas.index("deflated") + 1 :], deltas  # and plain ones after it (B2's at least)
    assert not [f for f in sent if "resync" in f], sent  # each delta applied in its turn: no gap seen
    assert page.evaluate("() => window.onemap.live.all('incident').length") == len(ids)
    assert errors == []
