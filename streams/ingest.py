"""Take a batch of raw records: validate, locate, decide, append; answer each, dead-letter the bad."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Protocol, Sequence

from domain import intake
from domain.dispatch import incident_id_for
from domain.events import Event
from domain.projection import Projection
from store.store import Store
from streams import sources
from streams.sources.base import Invalid

MAX_RAW_CHARS = 100_000  # a dead letter keeps the raw payload, cut to this


class Locator(Protocol):
    """Assigns points to townships (geo.locate.Locator)."""

    def assign(self, lons: Sequence[float], lats: Sequence[float]) -> list[str | None]: ...


@dataclass(frozen=True)
class Result:
    """How one record was taken: accepted, duplicate or rejected (with the reason)."""

    source_id: str
    status: str
    reason: str = ""
    incident_id: str = ""

    def as_dict(self) -> dict[str, str]:
        """Return the API form."""
        return {"source_id": self.source_id, "status": self.status, "reason": self.reason,
                "incident_id": self.incident_id}


class Ingestor:
    """The one path every record takes, from the API, the bus or the simulator."""

    def __init__(self, store: Store, locator: Locator, clock: Callable[[], float]) -> None:
        self.store, self.locator, self.clock = store, locator, clock

    def ingest(self, raws: Sequence[Any]) -> list[Result]:
        """Take a batch; one bad record never fails the others."""
        now = self.clock()
        items: list[intake.Intake | Result] = [self._parse(raw, now) for raw in raws]
        reports = [(i, it) for i, it in enumerate(items) if isinstance(it, intake.Report)]
        towns = self.locator.assign([r.lon for _, r in reports], [r.lat for _, r in reports]) if reports else []
        township = {i: t for (i, _), t in zip(reports, towns)}
        self._dead_letter(raws, items, now)
        with self.store.lock:
            state = self.store.state
            decided, seen = [], set()
            for i, it in enumerate(items):
                events = [e for e in self._decide(state, it, township.get(i), now) if e.event_id not in seen]
                seen.update(e.event_id for e in events)
                decided.append(events)  # a record repeated within the batch is a duplicate of the first
            stored = {e.event_id for e in self.store.append([e for d in decided for e in d]).events}
        return [self._result(it, d, stored) for it, d in zip(items, decided)]

    def _parse(self, raw: Any, now: float) -> intake.Intake | Result:
        try:
            item = sources.parse(raw, now)
        except Invalid as exc:
            return Result(_source_id(raw), "rejected", str(exc))
        district = self.store.state.district
        if isinstance(item, intake.Reading) and item.station_id not in district.stations:
            return Result(item.source_id, "rejected", f"unknown station '{item.station_id}'")
        if isinstance(item, intake.Ticket) and item.hall_id not in district.halls:
            return Result(item.source_id, "rejected", f"unknown hall '{item.hall_id}'")
        return item

    @staticmethod
    def _decide(state: Projection, item: intake.Intake | Result, township: str | None, now: float) -> list[Event]:
        return [] if isinstance(item, Result) else intake.decide(state, item, township, now)

    @staticmethod
    def _result(item: intake.Intake | Result, decided: list[Event], stored: set[str]) -> Result:
        if isinstance(item, Result):
            return item
        incident_id = incident_id_for(item.source, item.source_id) if isinstance(item, intake.Report) else ""
        fresh = bool(decided) and all(e.event_id in stored for e in decided)
        return Result(item.source_id, "accepted" if fresh else "duplicate", "", incident_id)

    def _dead_letter(self, raws: Sequence[Any], items: Sequence[Any], now: float) -> None:
        self.store.log.dead_letter(
            {"at": now, "source": _field(raw, "source"), "source_id": it.source_id[:300], "reason": it.reason,
             "raw": _raw_text(raw)}
            for raw, it in zip(raws, items) if isinstance(it, Result)
        )


def _field(raw: Any, key: str) -> str:
    value = raw.get(key) if isinstance(raw, dict) else None
    return str(value)[:60] if value is not None else "?"


def _source_id(raw: Any) -> str:
    return _field(raw, "source_id")


def _raw_text(raw: Any) -> str:
    try:
        out = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False, default=repr)
    except (TypeError, ValueError):
        out = repr(raw)
    return out[:MAX_RAW_CHARS]
