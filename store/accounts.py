"""Users with hashed passwords, and revocable tokens (API for systems, kiosk for wall screens)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from werkzeug.security import check_password_hash, generate_password_hash

from domain.model import Actor, Role
from store.tables import metadata, team_members, tokens, users

MIN_PASSWORD = 10
TOKEN_KINDS = ("api", "kiosk")


@dataclass(frozen=True)
class TokenActor:
    """The actor a token stands for, and the token's id (sessions re-check it is not revoked)."""

    actor: Actor
    token_id: int


# A user with its team, if it is a team member's.
_USERS = select(users, team_members.c.team).select_from(
    users.outerjoin(team_members, team_members.c.username == users.c.username)
)


def _actor(row: Any) -> Actor:
    return Actor(row["username"], Role(row["role"]), row["township"], row["team"])


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """The users and tokens of one installation."""

    def __init__(self, engine: Engine, clock: Callable[[], float]) -> None:
        self.engine, self.clock = engine, clock
        metadata.create_all(engine)

    def create_user(
        self, username: str, password: str, role: Role, township: str | None = None, team: str | None = None
    ) -> None:
        """Add a user; a township operator is bound to exactly one township, a team member to one team (and its
        township: the caller gives the team's, from the district)."""
        if len(password) < MIN_PASSWORD:
            raise ValueError(f"password must have at least {MIN_PASSWORD} characters")
        if (role is Role.TEAM) != bool(team):
            raise ValueError("a team member needs a team, and only they have one")
        if (role in (Role.TOWNSHIP, Role.TEAM)) != bool(township):
            raise ValueError("a township operator needs a township, and only they and team members have one")
        with self.engine.begin() as conn:
            conn.execute(
                users.insert(),
                [
                    {
                        "username": username.strip()[:60],
                        "role": role.value,
                        "township": township,
                        "password_hash": generate_password_hash(password),
                        "active": 1,
                        "created_at": self.clock(),
                    }
                ],
            )
            if team:
                conn.execute(team_members.insert(), [{"username": username.strip()[:60], "team": team}])

    def verify(self, username: str, password: str) -> Actor | None:
        """Return the actor for a right username and password of an active user, else None."""
        with self.engine.connect() as conn:
            row = conn.execute(_USERS.where(users.c.username == username[:60])).mappings().first()
        if row is None or not row["active"] or not check_password_hash(row["password_hash"], password):
            return None
        return _actor(row)

    def user(self, username: str) -> Actor | None:
        """Return an active user's actor (sessions re-check that the user still exists and is active)."""
        with self.engine.connect() as conn:
            row = conn.execute(_USERS.where(users.c.username == username, users.c.active == 1)).mappings().first()
        return _actor(row) if row else None

    def set_active(self, username: str, active: bool) -> None:
        """Enable or disable a user; a disabled user's sessions end at their next request."""
        with self.engine.begin() as conn:
            conn.execute(update(users).where(users.c.username == username).values(active=int(active)))

    def list_users(self) -> list[dict[str, Any]]:
        """Return the users, without their password hashes."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    users.c.username,
                    users.c.role,
                    users.c.township,
                    team_members.c.team,
                    users.c.active,
                    users.c.created_at,
                )
                .select_from(users.outerjoin(team_members, team_members.c.username == users.c.username))
                .order_by(users.c.username)
            ).mappings()
            return [dict(r) for r in rows]

    def has_admin(self) -> bool:
        """Tell whether an active admin exists."""
        with self.engine.connect() as conn:
            return (
                conn.execute(select(users.c.id).where(users.c.role == Role.ADMIN.value, users.c.active == 1)).first()
                is not None
            )

    def create_token(self, name: str, kind: str, role: Role, township: str | None = None) -> str:
        """Make a token and return it; only its hash is kept, so this is the one time it is seen."""
        if kind not in TOKEN_KINDS or (kind == "kiosk" and role is not Role.WALL):
            raise ValueError("a kiosk token is a read-only wall token; kinds are api and kiosk")
        if role is Role.TEAM:
            raise ValueError("a team member signs in on its phone; a token stands for no team")
        token = secrets.token_urlsafe(24)
        with self.engine.begin() as conn:
            conn.execute(
                tokens.insert(),
                [
                    {
                        "name": name[:120],
                        "token_hash": _hash_token(token),
                        "kind": kind,
                        "role": role.value,
                        "township": township,
                        "created_at": self.clock(),
                    }
                ],
            )
        return token

    def token_actor(self, token: str, kind: str) -> TokenActor | None:
        """Return who an unrevoked token of a kind stands for, else None."""
        if not token:
            return None
        with self.engine.connect() as conn:
            row = (
                conn.execute(
                    select(tokens).where(
                        tokens.c.token_hash == _hash_token(token), tokens.c.kind == kind, tokens.c.revoked_at.is_(None)
                    )
                )
                .mappings()
                .first()
            )
        return (
            TokenActor(Actor(f"{kind}:{row['name']}", Role(row["role"]), row["township"]), row["id"]) if row else None
        )

    def token_live(self, token_id: int) -> bool:
        """Tell whether a token is still unrevoked."""
        with self.engine.connect() as conn:
            return (
                conn.execute(select(tokens.c.id).where(tokens.c.id == token_id, tokens.c.revoked_at.is_(None))).first()
                is not None
            )

    def revoke_token(self, token_id: int) -> None:
        """Revoke a token; sessions and sockets opened with it stop working."""
        with self.engine.begin() as conn:
            conn.execute(update(tokens).where(tokens.c.id == token_id).values(revoked_at=self.clock()))

    def list_tokens(self) -> list[dict[str, Any]]:
        """Return the tokens' metadata (never the tokens)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    tokens.c.id,
                    tokens.c.name,
                    tokens.c.kind,
                    tokens.c.role,
                    tokens.c.township,
                    tokens.c.created_at,
                    tokens.c.revoked_at,
                ).order_by(tokens.c.id)
            ).mappings()
            return [dict(r) for r in rows]
