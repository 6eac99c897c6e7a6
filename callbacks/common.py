"""What every server callback needs: which button really fired, the page's language, the caller's address."""
from __future__ import annotations

import json
from typing import Any

from flask import has_request_context, request

from auth import actor_for_page
from domain.model import Actor


def clicked(triggered: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Return the pattern id of a button that was really clicked, or None.

    Rows are re-rendered from live data, so a pattern-matching callback also fires when buttons
    appear (n_clicks None or 0); only a positive n_clicks is a click.
    """
    for hit in triggered or []:
        prop_id = hit.get("prop_id", "")
        if hit.get("value") and prop_id.startswith("{"):
            try:
                ident = json.loads(prop_id.rsplit(".", 1)[0])
            except ValueError:
                continue
            if isinstance(ident, dict):
                return ident
    return None


def lang_of(i18n: dict[str, Any] | None) -> str:
    """Return the language of the page (the I18N store the router filled)."""
    return (i18n or {}).get("lang", "zh")


def remote() -> str:
    """Return the caller's address for the audit trail."""
    return (request.remote_addr or "") if has_request_context() else ""


def page_actor(pathname: str | None) -> Actor:
    """Return who is acting: the signed-in actor the server's guard found, else the page's own role.

    With sign-in installed the guard has put the actor on every callback request, and the path the
    browser sent is ignored; without it (the open embedded mode) the page decides, as auth.py says.
    """
    if has_request_context():
        try:
            from security import request_actor
        except ImportError:  # sign-in not part of this build
            request_actor = None
        signed_in = request_actor() if request_actor else None
        if signed_in is not None:
            return signed_in
    return actor_for_page(pathname or "")
