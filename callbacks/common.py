"""What every server callback needs: which button really fired, the page's language, the caller's address."""

from __future__ import annotations

import json
from typing import Any

from flask import has_request_context, request

from domain.model import Actor, Role
from web.security import request_actor


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


def page_actor(pathname: str | None = None) -> Actor:
    """Return who is acting: the signed-in actor the server's guard found; a stranger is nobody.

    The path the browser sent is never trusted: role and scope come from the session, and the
    domain checks them again. Without a session (impossible behind the guard) the caller is a wall.
    """
    actor = request_actor() if has_request_context() else None
    return actor or Actor("anonymous", Role.WALL)
