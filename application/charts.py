"""The analytics view's chart entities (kind "chart", one per chart, stable ids): the day's figures and the series."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from domain import series
from domain.projection import Projection

Data = dict[str, Any]
CLOCKS = ("dispatch", "sign", "respond", "route", "on_site")  # the SLA chain, the center's clock first


class Figures(Protocol):
    """The local day's window and its figures as of now (web/views.py DayFigures, or a report's)."""

    start: float
    end: float

    def get(self) -> dict[str, Any]: ...


def hourly(state: Projection, now: float, figures: Figures) -> Data:
    """Reports per hour by source, today's hours and yesterday's."""
    return series.hourly(state.hourly, figures.start, now)


def stages(_state: Projection, _now: float, figures: Figures) -> Data:
    """On time and late per clock of the day: kpi's `dispatch` and `stages.<stage>` figures."""
    d = figures.get()["district"]
    return {"stages": [{"stage": c, **(d["dispatch"] if c == "dispatch" else d["stages"][c])} for c in CLOCKS]}


def categories(state: Projection, now: float, figures: Figures) -> Data:
    """The day's busiest categories with their order on-time rate."""
    return {"rows": series.categories(state, figures.start, figures.end, now)}


def ranking(_state: Projection, _now: float, figures: Figures) -> Data:
    """The township ranking in kpi's order, with the three rates it shows."""
    keep = ("id", "rank", "on_time_rate", "completion_rate", "satisfaction_rate")
    return {"rows": [{k: r[k] for k in keep} for r in figures.get()["townships"]]}


def gauges(state: Projection, now: float, _figures: Figures) -> Data:
    """Each station's level over the last 24 hours, with its warning and guarantee levels."""
    return {
        "from": now - series.SAMPLES_KEPT_S,
        "stations": [
            {
                "id": s.id,
                "name_zh": s.name_zh,
                "name_en": s.name_en,
                "warning_level": s.warning_level,
                "guarantee_level": s.guarantee_level,
                **series.gauge_line(state.gauge_samples.get(s.id, ()), now),
            }
            for s in state.district.stations.values()
        ],
    }


def halls(state: Projection, now: float, figures: Figures) -> Data:
    """Each hall's queue at the end of every 10-minute slot of the day so far."""
    return {
        "start": figures.start,
        "step": series.SAMPLE_S,
        "halls": [
            {
                "id": h.id,
                "township": h.township,
                "name_zh": h.name_zh,
                "name_en": h.name_en,
                "waiting": series.slots(state.hall_samples.get(h.id, ()), figures.start, now),
            }
            for h in state.district.halls.values()
        ],
    }


BUILDERS: dict[str, Callable[[Projection, float, Figures], Data]] = {
    "hourly": hourly,
    "stages": stages,
    "categories": categories,
    "ranking": ranking,
    "gauges": gauges,
    "halls": halls,
}


class _ReportFigures:
    """A report's window and the figures it already counted, in the shape the builders read."""

    def __init__(self, start: float, end: float, figures: dict[str, Any]) -> None:
        self.start, self.end, self._figures = start, end, figures

    def get(self) -> dict[str, Any]:
        return self._figures


def for_report(state: Projection, start: float, end: float, now: float, figures: dict[str, Any]) -> dict[str, Data]:
    """Return a day's charts as the wall's analytics view had them at now: the same builders, the report's figures."""
    fixed = _ReportFigures(start, end, figures)
    return {name: build(state, now, fixed) for name, build in BUILDERS.items()}
