"""Dash callbacks: thin edges that parse, call the services, and return what to show."""
from __future__ import annotations

from typing import Any

from dash import Dash

from callbacks import broadcast, command, live, routing, township


def register(app: Dash, services: Any) -> None:
    """Register every callback of the browser UI."""
    routing.register(app, services)
    live.register(app, services)
    command.register(app, services)
    township.register(app, services)
    broadcast.register(app, services)
