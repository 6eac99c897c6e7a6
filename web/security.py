"""Web sign-in: sessions that expire, kiosk tokens for walls, page rules, CSRF and login rate limits."""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, urlparse

from flask import Flask, abort, current_app, redirect, request, session

from domain.access import PERMISSIONS, can_see
from domain.model import Actor, Role
from store.accounts import Accounts
from store.log import AuditRecord
from web.hardening import error

OPEN_PREFIXES = (
    "/login",
    "/logout",
    "/healthz",
    "/metrics",
    "/assets/",
    "/_dash-component-suites/",
    "/_favicon.ico",
    "/api/",
    "/socket.io",
)
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TOWNSHIP_PAGE = re.compile(r"^/township/(?P<id>[A-Za-z0-9_-]{1,30})/?$")
CONSOLE_ROLES = frozenset({Role.COMMANDER, Role.DUTY_LEADER})
# The wall's views (one kiosk token opens them all) and its replay: district-wide, read-only.
WALL_PAGES = frozenset({"/wall", "/wall/analytics", "/wall/situation", "/replay"})


def page_allowed(actor: Actor, path: str) -> bool:
    """Tell whether an actor may open a page: consoles for commanders, a room for its own operators."""
    path = (path or "/").rstrip("/") or "/"
    if actor.role is Role.TEAM or path == "/team" or path.startswith("/team/"):
        # A team member has its phone page (its files, its photos) and nothing else; the phone page is its alone.
        return actor.role is Role.TEAM and (path == "/team" or path.startswith(("/team/", "/evidence/")))
    match = TOWNSHIP_PAGE.match(path)
    if match:
        return actor.role in CONSOLE_ROLES or (actor.role is Role.TOWNSHIP and actor.township == match["id"])
    if path == "/command":
        return actor.role in CONSOLE_ROLES
    if path == "/assessment":  # the district's ranking, or a township operator's own card (layouts/assessment.py)
        return actor.role in PERMISSIONS["read_assessment"]
    if path.startswith("/admin"):
        return actor.role is Role.ADMIN
    if path in WALL_PAGES:
        return (
            actor.role is not Role.TOWNSHIP
        )  # the district-wide wall (its views, its replay); a room has its own page
    return True  # the index is for everyone signed in


def static_token_actor(token: str, tokens: Mapping[str, str]) -> Actor | None:
    """Return the actor a static API token of the settings stands for ("role[:township]"), or None."""
    spec = tokens.get(token) if token else None
    if spec is None:
        return None
    role, _, township = spec.partition(":")
    try:
        return Actor(name=f"token:{token[:6]}", role=Role(role), township=township or None)
    except ValueError:
        return None


METRICS_ROLES = frozenset({Role.SYSTEM, Role.ADMIN})  # a scraper's token: a system's, or an admin's


def api_actor(accounts: Accounts, tokens: Mapping[str, str]) -> Actor | None:
    """Return who the request's API token stands for (made, else static), or None; read from the header only."""
    header = request.headers.get("Authorization", "")
    # Only the header: a token in the URL ends up in proxy logs, browser history and Referer headers.
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    found = accounts.token_actor(token, "api")
    return found.actor if found else static_token_actor(token, tokens)


def metrics_refusal(mode: str, accounts: Accounts, tokens: Mapping[str, str]) -> int | None:
    """Return the status refusing this /metrics request under ONEMAP_METRICS (open, token, off), or None."""
    if mode == "off":
        return 404
    if mode == "open":
        return None
    actor = api_actor(accounts, tokens)
    if actor is None:
        return 401
    return None if actor.role in METRICS_ROLES else 403


def scope_for(actor: Actor | None, requested: str, known: set[str]) -> str | None:
    """Return the push scope granted ("all" or a known township the actor may see), or None."""
    if actor is None or (requested != "all" and requested not in known):
        return None
    return requested if can_see(actor, None if requested == "all" else requested) else None


def home(actor: Actor) -> str:
    """Return the page an actor starts on."""
    return {
        Role.TOWNSHIP: f"/township/{actor.township}",
        Role.ADMIN: "/admin",
        Role.WALL: "/wall",
        Role.TEAM: "/team",
    }.get(actor.role, "/command")


class LoginLimiter:
    """Refuse sign-in attempts for a key (address and username) after too many recent failures."""

    def __init__(
        self, max_failures: int = 5, window_s: float = 300.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_failures, self.window_s, self.clock = max_failures, window_s, clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def blocked(self, key: str) -> bool:
        """Tell whether the key is over its limit now."""
        with self._lock:
            q = self._failures[key]
            while q and q[0] < self.clock() - self.window_s:
                q.popleft()
            return len(q) >= self.max_failures

    def failed(self, key: str) -> None:
        """Count a failure."""
        with self._lock:
            self._failures[key].append(self.clock())

    def succeeded(self, key: str) -> None:
        """Forget a key's failures."""
        with self._lock:
            self._failures.pop(key, None)


class WebAuth:
    """Who is signed in on this request, from the session cookie; re-checked on every request."""

    def __init__(self, accounts: Accounts, session_s: float, clock: Callable[[], float]) -> None:
        self.accounts, self.session_s, self.clock = accounts, session_s, clock

    def sign_in(self, actor: Actor, kiosk_id: int | None = None) -> None:
        """Start a session for an actor (a fresh session: no fixation)."""
        session.clear()
        session.update(
            {
                "user": actor.name,
                "role": actor.role.value,
                "township": actor.township,
                "at": self.clock(),
                "kiosk": kiosk_id,
                "csrf": secrets.token_urlsafe(16),
            }
        )
        session.permanent = True

    def current(self) -> Actor | None:
        """Return the signed-in actor, or None when there is none, it expired, or it was revoked."""
        name, at = session.get("user"), session.get("at")
        if not name or at is None or self.clock() - at > self.session_s:
            return None
        kiosk = session.get("kiosk")
        if kiosk is not None:
            return Actor(name, Role.WALL) if self.accounts.token_live(kiosk) else None
        return self.accounts.user(name)


def same_origin() -> bool:
    """Tell whether an unsafe request comes from our own pages (Origin, else Referer, matches the host)."""
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    return bool(source) and urlparse(source).netloc == request.host


def install(server: Flask, auth: WebAuth, accounts: Accounts) -> None:
    """Guard every page and callback: kiosk sign-in by URL, sign-in redirect, page rules, CSRF."""

    @server.before_request
    def _guard() -> Any:
        path = request.path
        if path.startswith(OPEN_PREFIXES):
            return None
        kiosk = request.args.get("kiosk")
        if kiosk:
            found = accounts.token_actor(kiosk, "kiosk")
            if found is None:
                abort(403)
            auth.sign_in(found.actor, found.token_id)
        actor = auth.current()
        if actor is None:
            if request.method == "GET" and not path.startswith("/_dash"):
                return redirect(f"/login?next={path}")
            return error(401, "unauthorized")
        if request.method in UNSAFE and not same_origin():
            audit(actor.name, actor.role.value, "csrf_refused", "refused", target=path[:200])
            return error(403, "csrf")
        if request.method == "GET" and not path.startswith("/_") and not page_allowed(actor, path):
            # An admin is told why (separation of duties); others simply land on their own page.
            return redirect(home(actor) + (f"?refused={quote(path)}" if actor.role is Role.ADMIN else ""))
        request.environ["onemap.actor"] = actor
        return None


def audit(who: str, role: str, action: str, result: str, target: str | None = None) -> None:
    """Write a sign-in, an admin action or a refused forgery to the audit trail."""
    s = current_app.extensions["onemap"]  # the app's Services (application.services imports this module)
    s.store.log.audit(
        AuditRecord(s.clock(), who, role, action, result, target=target, remote=(request.remote_addr or "")[:100])
    )


def request_actor() -> Actor | None:
    """Return the actor the guard found for this request (callbacks call this, never trust the page)."""
    return request.environ.get("onemap.actor")
