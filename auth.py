"""Who is calling: static API tokens from the settings, and which push scope a caller may have."""
from __future__ import annotations

from typing import Mapping

from domain.model import Actor, Role

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


def scope_for(actor: Actor | None, requested: str, known: set[str]) -> str | None:
    """Return the push scope granted: a township operator gets only their own; nobody gets an unknown one."""
    if actor is None or (requested != "all" and requested not in known):
        return None
    if actor.role is Role.TOWNSHIP and requested != actor.township:
        return None
    return requested
