"""Every kind of entity the screens see, declared once each; adding a kind adds its module and a line here."""

from __future__ import annotations

from web.kinds import alert, broadcast, figures, hall, incident, recurring, situation, station, team, warning
from web.kinds.base import DayFigures, Entity, EntityKind, day_window

# In the order a snapshot lists them.
KINDS: tuple[EntityKind, ...] = (
    incident.KIND,
    team.KIND,
    station.KIND,
    hall.KIND,
    figures.KPI,
    broadcast.KIND,
    alert.KIND,
    situation.KIND,
    warning.KIND,
    recurring.KIND,
    figures.CHART,
)
BY_KEY: dict[str, EntityKind] = {k.key: k for k in KINDS}

__all__ = ["BY_KEY", "KINDS", "DayFigures", "Entity", "EntityKind", "day_window"]
