"""An entity kind's declaration: its key, the events that change it, its builder, scope rule, clock and shape."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from domain import events as ev
from domain import halls
from domain.kpi import day_figures
from domain.projection import Projection

Entity = Mapping[str, Any]
DAY_S = 86400


def day_window(now: float, utc_offset_h: float) -> tuple[float, float]:
    """Return [start, end) of the district's local day containing now."""
    start = halls.local_midnight(now, utc_offset_h)
    return start, start + DAY_S


class DayFigures:
    """The moment entities are built at: now, the local day's window and its `day_figures`, counted on first use."""

    def __init__(self, state: Projection, now: float, utc_offset_h: float) -> None:
        self.state, self.now, self.utc_offset_h = state, now, utc_offset_h
        self.start, self.end = day_window(now, utc_offset_h)
        self._figures: dict[str, Any] | None = None

    def get(self) -> dict[str, Any]:
        """Return day_figures of the day as of now."""
        if self._figures is None:
            self._figures = day_figures(self.state, self.start, self.end, self.now)
        return self._figures


Build = Callable[[Projection, str, DayFigures], Entity | None]


def everyone(_entity: Entity, _scope: str) -> bool:
    """Scope rule of what every township room may see (the district's teams, stations, halls...)."""
    return True


@dataclass(frozen=True)
class EntityKind:
    """One kind of entity the screens see, keyed "<key>:<id>"; push, the API, replay and the docs read this."""

    key: str
    shape: type  # the TypedDict the builder returns
    build: Build  # the entity of an id at a moment, or None when it left the live screens
    ids: Callable[[Projection], Iterable[str]]  # the ids on the live screens now
    events: tuple[type[ev.Event], ...]  # the events whose folds change it (projection.FOLDS)
    scope: Callable[[Entity, str], bool] = everyone  # may a township room (the scope's id) see it
    clock: bool = False  # it changes with the clock alone (the local day): re-sent every TIMED_EVERY_S
    figured: bool = False  # it counts the whole day: costly, rebuilt at most once a second under load

    def ref(self, ident: str) -> str:
        """Return the key of one entity of this kind."""
        return f"{self.key}:{ident}"
