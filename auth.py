"""Who is calling: API tokens for systems and, until logins exist, the page's own role."""
from __future__ import annotations

import re
from typing import Mapping

from domain.model import Actor, Role

TOWNSHIP_PATH = re.compile(r"^/township/(?P<id>[A-Za-z0-9_-]{1,30})/?$")


def actor_for_token(token: str, tokens: Mapping[str, str]) -> Actor | None:
    """Return the actor an API token stands for ("role[:township]"), or None for an unknown token."""
    spec = tokens.get(token) if token else None
    if spec is None:
        return None
    role, _, township = spec.partition(":")
    try:
        return Actor(name=f"token:{token[:6]}", role=Role(role), township=township or None)
    except ValueError:
        return None


def actor_for_page(path: str) -> Actor:
    """Return the actor of a console page: the commander console, a township room, or a read-only wall."""
    match = TOWNSHIP_PATH.match(path or "")
    if match:
        return Actor(name=f"room:{match['id']}", role=Role.TOWNSHIP, township=match["id"])
    if (path or "").rstrip("/") == "/command":
        return Actor(name="commander", role=Role.COMMANDER)
    return Actor(name="wall", role=Role.WALL)


def scope_for(actor: Actor | None, requested: str, known: set[str]) -> str | None:
    """Return the push scope granted: a township operator gets only their own; nobody gets an unknown one."""
    if actor is None or (requested != "all" and requested not in known):
        return None
    if actor.role is Role.TOWNSHIP and requested != actor.township:
        return None
    return requested
