"""Dash callbacks: thin edges that parse, call the services, and return what to show."""

from __future__ import annotations

from dash import Dash

from application.services import Services
from callbacks import (
    analytics,
    assessment,
    assessment_trend,
    broadcast,
    command,
    guard,
    live,
    replay,
    roommap,
    routing,
    situation,
    township,
    warning,
)


def register(app: Dash, services: Services) -> dict[str, guard.Access]:
    """Register every callback of the browser UI through the guard; return each server callback's rule."""
    guarded = guard.Guarded(app, services)  # callback() without an Access does not exist: none is forgotten
    routing.register(guarded, services)
    live.register(guarded, services)
    command.register(guarded, services)
    township.register(guarded, services)
    broadcast.register(guarded, services)
    replay.register(guarded, services)
    roommap.register(guarded, services)
    situation.register(guarded, services)
    analytics.register(guarded, services)
    warning.register(guarded, services)
    assessment.register(guarded, services)
    assessment_trend.register(guarded, services)
    guard.install(app.server, app, guarded.rules)
    return guarded.rules
