"""The pages run under their Content-Security-Policy in a real Chromium: no violation, nothing framed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.e2e
WAIT_MS = 20_000


@pytest.mark.parametrize("path,township", [("/wall", None), ("/command", None), ("/township/T01", "T01")])
def test_each_page_renders_under_its_csp_with_no_violation_in_the_console(
    open_page: Callable[..., tuple[Any, list[str]]], app_url: str, path: str, township: str | None
) -> None:
    page, errors = open_page(f"{app_url}{path}", township=township)
    response = page.request.get(f"{app_url}{path}")
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "'unsafe-eval'" not in csp and "'unsafe-inline'" not in csp.split(";")[1]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)  # scripts ran: the socket is live
    page.wait_for_function(
        "() => document.querySelectorAll('.leaflet-container, .om-panel').length > 0", timeout=WAIT_MS
    )
    assert not [e for e in errors if "Content Security Policy" in e or "Refused to" in e], errors
    assert not errors, errors
