"""The one door every server callback is registered through: who asks, the page's roles, the ids' scope, never a 500."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from dash import Dash, Output, no_update
from dash.exceptions import PreventUpdate
from flask import Flask, request

from application.services import Services
from domain.access import authorize_incident
from domain.errors import Rejected
from domain.model import Actor, Role
from i18n import error as error_text
from layouts.common import error_message
from store.faults import unavailable
from web.hardening import error
from web.security import page_allowed, request_actor

log = logging.getLogger(__name__)
# Every signed-in person of the dashboards; a system token has no browser session, a team member its phone page only.
EVERYONE = frozenset(Role) - {Role.SYSTEM, Role.TEAM}
CONSOLE = frozenset({Role.COMMANDER, Role.DUTY_LEADER})
ROOM = CONSOLE | {Role.TOWNSHIP}  # a township room: its operators, and the consoles that may open any room


@dataclass(frozen=True)
class Target:
    """What a callback is about, taken from its arguments: an incident or a page path, and the action to audit."""

    kind: str  # "incident" | "page"
    ident: Any
    action: str = ""


@dataclass(frozen=True)
class Access:
    """A callback's rule: the roles that may call it and what in its arguments must be in the caller's scope."""

    roles: frozenset[Role]
    targets: Callable[..., Iterable[Target]] = field(default=lambda *args: ())


class Guarded:
    """Stands in for the Dash app in callbacks/*.py: callback() needs an Access, and wraps the body."""

    def __init__(self, app: Dash, services: Services) -> None:
        self.app, self.services = app, services
        self.rules: dict[str, Access] = {}  # callback_map key -> its rule

    def clientside_callback(self, *args: Any, **kwargs: Any) -> Any:
        """Register a browser-side callback: it runs no server code, so it needs no rule."""
        return self.app.clientside_callback(*args, **kwargs)

    def callback(self, *deps: Any, access: Access, **kwargs: Any) -> Callable[[Any], Any]:
        """Register a server callback; its body runs only for a caller its Access lets through."""
        outputs = sum(isinstance(d, Output) for d in deps)

        def register(fn: Callable[..., Any]) -> Any:
            before = set(self.app.callback_map)
            self.app.callback(*deps, **kwargs)(functools.wraps(fn)(lambda *args: self._run(access, outputs, fn, args)))
            for key in set(self.app.callback_map) - before:
                self.rules[key] = access
            return fn

        return register

    def _run(self, access: Access, outputs: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        actor = request_actor()
        if actor is None or actor.role not in access.roles:
            return _refusal(outputs, "forbidden", self.services.settings.lang)
        try:
            for target in access.targets(*args) or ():
                self._check(actor, target)
            return fn(*args)
        except Rejected as exc:
            return _refusal(outputs, exc.code, self.services.settings.lang)
        except PreventUpdate:
            raise
        except Exception as exc:  # a hostile payload never costs the page a 500: it is answered and logged
            down = unavailable(exc)  # the store or Redis out of reach: said so, in the page's feedback
            if down:
                log.warning("callback: %s unavailable: %s", down, type(exc).__name__)
                return _refusal(outputs, f"{down}_unavailable", self.services.settings.lang)
            log.exception("callback failed")
            return _refusal(outputs, "bad_request", self.services.settings.lang, reason="-")

    def _check(self, actor: Actor, target: Target) -> None:
        """Raise Rejected (and audit it) unless the target is in the actor's scope."""
        ident = target.ident if isinstance(target.ident, str) else ""
        try:
            if target.kind == "page":
                if not page_allowed(actor, ident):
                    raise Rejected("forbidden", action="page", role=actor.role.value)
                return
            authorize_incident(actor, "read", self.services.store.read(lambda state: state.incidents.get(ident)))
        except Rejected as exc:
            if target.action:
                self.services.commands.refused(actor, target.action, ident, exc.code, request.remote_addr or "")
            raise


def _refusal(outputs: int, code: str, lang: str, **params: Any) -> Any:
    """Return the refusal in the first output and no change elsewhere: the page stays as it was."""
    message = error_message(error_text(code, lang, **params), code)
    return message if outputs == 1 else (message, *[no_update] * (outputs - 1))


def _dep_ok(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("property"), str) and isinstance(item.get("id"), (str, dict))


def _deps_ok(items: Any, count: int) -> bool:
    return (
        isinstance(items, list)
        and len(items) == count
        and all(_dep_ok(i) or (isinstance(i, list) and all(_dep_ok(j) for j in i)) for i in items)
    )


def payload_error(body: Any, callback_map: dict[str, Any]) -> str:
    """Return why a /_dash-update-component body is not one of ours ("" when it is): Dash checks none of this."""
    if not isinstance(body, dict) or not isinstance(body.get("output"), str) or body["output"] not in callback_map:
        return "unknown callback"
    cb = callback_map[body["output"]]
    outs = body.get("outputs")
    if not (
        _dep_ok(outs)
        or (isinstance(outs, list) and all(_dep_ok(o) or isinstance(o, list) and all(map(_dep_ok, o)) for o in outs))
    ):
        return "outputs"
    if not _deps_ok(body.get("inputs"), len(cb["inputs"])) or not _deps_ok(body.get("state", []), len(cb["state"])):
        return "inputs or state"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds"
    return ""


def install(server: Flask, app: Dash, rules: dict[str, Access]) -> None:
    """Check every callback request before Dash reads it: a well-formed body, a known callback, an allowed role."""

    @server.before_request
    def _callback_guard() -> Any:
        if request.path != "/_dash-update-component" or request.method != "POST":
            return None
        try:
            body = json.loads(request.get_data(as_text=True))
        except (ValueError, RecursionError):
            return error(400, "bad_request", reason="invalid JSON")
        why = payload_error(body, app.callback_map)
        if why:
            return error(400, "bad_request", reason=why)
        rule, actor = rules.get(body["output"]), request_actor()
        if rule is None or actor is None or actor.role not in rule.roles:  # a callback without a rule: refused
            return error(403, "forbidden")
        return None
