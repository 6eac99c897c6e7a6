"""Who may do what, where: the one place roles and scope are decided."""

from __future__ import annotations

from typing import Any

from domain.errors import Rejected
from domain.model import Actor, Role

# action -> roles allowed; township scope is checked separately for township operators.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "report": frozenset({Role.SYSTEM, Role.COMMANDER, Role.ADMIN}),
    "issue_order": frozenset({Role.COMMANDER, Role.DUTY_LEADER}),
    # A team member takes only its team's steps (domain/model.py TEAM_STEPS) of its own team's order.
    "advance_order": frozenset({Role.TOWNSHIP, Role.COMMANDER, Role.DUTY_LEADER, Role.TEAM}),
    "transfer_order": frozenset({Role.TOWNSHIP, Role.COMMANDER, Role.DUTY_LEADER}),
    "feedback": frozenset({Role.COMMANDER, Role.DUTY_LEADER}),
    "close": frozenset({Role.COMMANDER, Role.DUTY_LEADER}),
    "cancel": frozenset({Role.COMMANDER, Role.DUTY_LEADER}),
    "merge": frozenset({Role.COMMANDER, Role.DUTY_LEADER}),
    "broadcast": frozenset({Role.COMMANDER, Role.DUTY_LEADER}),
    "sign_broadcast": frozenset({Role.TOWNSHIP}),
    "admin": frozenset({Role.ADMIN}),
    "read_dead_letters": frozenset({Role.COMMANDER, Role.ADMIN}),
    "sla_tick": frozenset({Role.SYSTEM}),
    "read": frozenset(Role) - {Role.TEAM},  # a team reads its own orders only, through "team_orders"
    "team_orders": frozenset({Role.TEAM}),
    "report_position": frozenset({Role.TEAM}),
    # Evidence photos: a team of its own order; a room and the consoles of what they may act on.
    "add_evidence": frozenset({Role.TEAM, Role.TOWNSHIP, Role.COMMANDER, Role.DUTY_LEADER}),
    "read_evidence": frozenset({Role.TEAM, Role.TOWNSHIP, Role.COMMANDER, Role.DUTY_LEADER, Role.ADMIN}),
    # After action: a township sees only its own township's part (checked with the township asked for).
    "read_report": frozenset({Role.COMMANDER, Role.DUTY_LEADER, Role.ADMIN, Role.TOWNSHIP}),
    # The townships' assessment: the district's ranking for the center and its leaders; a township its own card.
    "read_assessment": frozenset({Role.COMMANDER, Role.DUTY_LEADER, Role.ADMIN, Role.TOWNSHIP}),
    "replay": frozenset({Role.COMMANDER, Role.DUTY_LEADER, Role.ADMIN, Role.TOWNSHIP, Role.WALL}),
    # Early warnings (domain/warnbook.py): the center's consoles acknowledge them; everyone who reads sees them in scope.
    "acknowledge_warning": frozenset({Role.COMMANDER, Role.DUTY_LEADER}),
}


def authorize(actor: Actor, action: str, township: str | None = None) -> None:
    """Raise Rejected unless the actor's role allows the action in that township."""
    if actor.role not in PERMISSIONS.get(action, frozenset()):
        raise Rejected("forbidden", action=action, role=actor.role.value)
    if actor.role in (Role.TOWNSHIP, Role.TEAM) and township != actor.township:
        raise Rejected("out_of_scope", township=township or "-")


def incident_townships(incident: Any) -> frozenset[str]:
    """Return the townships an incident belongs to: where it is, and whose room holds its order."""
    order = getattr(incident, "order", None)
    return frozenset(t for t in (incident.township, order.township if order is not None else None) if t)


def authorize_incident(actor: Actor, action: str, incident: Any | None) -> None:
    """Raise Rejected unless the role allows the action on this incident; checked before anything else is read.

    To a township an unknown incident and another township's look the same (out_of_scope, naming only
    its own township), so a refusal never tells it that the other one exists or what state it is in.
    """
    if actor.role not in PERMISSIONS.get(action, frozenset()):
        raise Rejected("forbidden", action=action, role=actor.role.value)
    if actor.role is Role.TOWNSHIP and (incident is None or actor.township not in incident_townships(incident)):
        raise Rejected("out_of_scope", township=actor.township or "-")
    if actor.role is Role.TEAM and not is_teams(actor, incident):
        raise Rejected("out_of_scope", township=actor.township or "-")


def is_teams(actor: Actor, incident: Any | None) -> bool:
    """Tell whether an incident's current order is the team member's own team's (its one view of the district)."""
    order = getattr(incident, "order", None)
    return bool(actor.team) and order is not None and order.team_id == actor.team


def can_see(actor: Actor, township: str | None) -> bool:
    """Tell whether the actor may see things of that township (a team member: nothing beyond its own orders)."""
    if actor.role is Role.TEAM:
        return False
    return actor.role is not Role.TOWNSHIP or township == actor.township
