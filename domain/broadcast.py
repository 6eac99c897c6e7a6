"""One-click orders to many townships: flood response levels, security postures, extra hall windows."""

from __future__ import annotations

from domain import events as ev
from domain.access import authorize
from domain.errors import Rejected
from domain.model import Actor, Broadcast
from domain.state import State

# kind -> the levels it may take (flood emergency response IV is the lowest, I the highest).
KINDS: dict[str, tuple[str, ...]] = {
    "flood_response": ("IV", "III", "II", "I"),
    "security_posture": ("elevated", "high", "highest"),
    "extra_windows": ("1", "2", "3", "4"),
}
SIGN_WITHIN_S = 60.0  # the same one-minute sign clock as an incident order


def issue_broadcast(
    state: State,
    actor: Actor,
    kind: str,
    level: str,
    townships: list[str] | str,
    message: str,
    command_id: str,
    now: float,
) -> list[ev.Event]:
    """Send one order to the chosen townships, or to "all"."""
    authorize(actor, "broadcast")
    if level not in KINDS.get(kind, ()):
        raise Rejected("unknown_broadcast", kind=kind[:40], level=level[:10])
    known = state.district.townships
    chosen = sorted(known) if townships == "all" else sorted(set(townships))
    if not chosen or any(t not in known for t in chosen):
        raise Rejected("unknown_township", township=",".join(t for t in chosen if t not in known) or "-")
    return [
        ev.BroadcastIssued(
            command_id,
            now,
            f"B-{command_id.removeprefix('cmd:')}",
            kind,
            level,
            message.strip()[:500],
            tuple(chosen),
            actor.name,
            now + SIGN_WITHIN_S,
        )
    ]


def sign_broadcast(state: State, actor: Actor, broadcast_id: str, command_id: str, now: float) -> list[ev.Event]:
    """A township room signs for a broadcast sent to it; late after the minute."""
    authorize(actor, "sign_broadcast", actor.township)
    b = state.broadcasts.get(broadcast_id)
    if b is None or actor.township not in b.townships:  # one answer: a room never learns of others' broadcasts
        raise Rejected("out_of_scope", township=actor.township or "-")
    if actor.township in b.signed:
        raise Rejected("step_already_done", step="sign")
    return [ev.BroadcastSigned(command_id, now, b.id, actor.township, actor.name, now > b.deadline)]


def board(b: Broadcast, now: float) -> dict[str, list[str]]:
    """Return who signed on time, who signed late, who is pending and who is overdue."""
    out: dict[str, list[str]] = {"on_time": [], "late": [], "pending": [], "overdue": []}
    for t in b.townships:
        at = b.signed.get(t)
        key = (
            ("late" if at > b.deadline else "on_time")
            if at is not None
            else ("overdue" if now > b.deadline else "pending")
        )
        out[key].append(t)
    return out
