"""Take a batch of raw records: validate, locate, decide, append; answer each, dead-letter the bad."""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from domain import alerts, flood, intake
from domain.dispatch import incident_id_for
from domain.events import Event, IncidentReported
from domain.fastinit import quick_init
from domain.projection import Projection
from domain.state import FloodWatch
from store.store import Store
from streams import sources
from streams.codec import MAX_DEPTH, MAX_RAW_CHARS, Undecodable, too_deep
from streams.sources.base import Invalid
from streams.sources.caller import masked_text

log = logging.getLogger(__name__)
_gc_lock = threading.Lock()
_gc_holders = 0  # batches under way that hold the collector off
_gc_resume = False  # whether the collector was on before the first of them


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector off while a batch is processed (nestable, thread-safe)."""
    # A batch makes tens of thousands of short-lived objects, all freed by reference counting when it
    # ends. With the collector on they outlive young collections, get promoted and set off full
    # collections that walk every incident of the projection: a fifth of the consumer's time before
    # this, and more as the projection grows. Between batches it runs as usual and takes any cycles.
    global _gc_holders, _gc_resume
    with _gc_lock:
        if _gc_holders == 0:
            _gc_resume = gc.isenabled()
            gc.disable()
        _gc_holders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0 and _gc_resume:
                gc.enable()


class Locator(Protocol):
    """Assigns points to townships (geo.locate.Locator)."""

    def assign(self, lons: Sequence[float], lats: Sequence[float]) -> list[str | None]: ...


@quick_init
@dataclass(frozen=True)
class Result:
    """How one record was taken: accepted, duplicate or rejected (with the reason)."""

    source_id: str
    status: str
    reason: str = ""
    incident_id: str = ""

    def as_dict(self) -> dict[str, str]:
        """Return the API form."""
        return {
            "source_id": self.source_id,
            "status": self.status,
            "reason": self.reason,
            "incident_id": self.incident_id,
        }


class Ingestor:
    """The one path every record takes, from the API, the bus or the simulator."""

    def __init__(
        self, store: Store, locator: Locator, clock: Callable[[], float], adapters: sources.Adapters | None = None
    ) -> None:
        self.store, self.locator, self.clock = store, locator, clock
        self.adapters = adapters or sources.DEFAULT
        self.district = store.read(lambda state: state.district)  # the store's district: fixed for its life

    def ingest(self, raws: Sequence[Any]) -> list[Result]:
        """Take a batch; one bad record never fails the others."""
        with collector_paused():
            return self._ingest(raws)

    def _ingest(self, raws: Sequence[Any]) -> list[Result]:
        now = self.clock()
        items: list[Any] = [self._parse(raw, now) for raw in raws]
        reports = [(i, it) for i, it in enumerate(items) if isinstance(it, intake.Report)]
        towns = self.locator.assign([r.lon for _, r in reports], [r.lat for _, r in reports]) if reports else []
        township = {i: t for (i, _), t in zip(reports, towns)}
        # The dead letters are built before the append: nothing that can fail runs after a commit.
        letters = self._dead_letters(raws, items, now)
        decided: list[list[Event]] = []

        def decide(state: Projection) -> list[Event]:
            decided.extend(self._decide_all(state, items, township, now))
            return [e for d in decided for e in d]

        # A record is stored once by its source and id (the log skips a duplicate), so a batch need not wait
        # for the other processes' writers: exclusive=False.
        stored = {e.event_id for e in self.store.execute(decide, exclusive=False).events}
        if letters:
            self.store.log.dead_letter(letters)
        return self._results(items, decided, stored)

    def tick(self) -> int:
        """Expire the alerts whose time has passed; return how many."""
        now = self.clock()
        return len(self.store.execute(lambda state: alerts.expire_due(state, now)).events)

    def _parse(self, raw: Any, now: float) -> Any:
        if too_deep(raw):  # refused before an adapter, the dead letter or a log line recurses into it
            return Result(sources.source_id_of(raw), "rejected", f"nested deeper than {MAX_DEPTH}")
        try:
            item = self.adapters.parse(raw, now)
        except Invalid as exc:
            return Result(sources.source_id_of(raw), "rejected", str(exc))
        except Exception as exc:  # a bug must not cost the batch: the record is kept with the error
            log.exception("adapter failed on a record")
            return Result(sources.source_id_of(raw), "rejected", f"internal error: {type(exc).__name__}")
        if type(item) is intake.Report:  # most records: nothing of the district to check
            return item
        district = self.district
        if isinstance(item, intake.Reading) and item.station_id not in district.stations:
            return Result(item.source_id, "rejected", f"unknown station '{item.station_id}'")
        if isinstance(item, intake.Ticket) and item.hall_id not in district.halls:
            return Result(item.source_id, "rejected", f"unknown hall '{item.hall_id}'")
        return item

    def _decide_all(
        self, state: Projection, items: list[Any], township: dict[int, str | None], now: float
    ) -> list[list[Event]]:
        """Decide each record; a record repeated within the batch is a duplicate of the first."""
        decided: list[list[Event]] = []
        seen: set[str] = set()
        watches: dict[str, FloodWatch] = {}  # the batch's own flood decisions, seen by its later readings
        report, report_incident = intake.Report, intake.report_incident
        for i, it in enumerate(items):
            try:
                if type(it) is report:  # most records: straight to the one decision they need
                    events = report_incident(state, it, township.get(i), now)
                else:
                    events = self._decide(state, it, township.get(i), now, watches)
            except Exception as exc:  # as above: never fail the batch for one record
                log.exception("decide failed on a record")
                items[i], events = (
                    Result(getattr(it, "source_id", ""), "rejected", f"internal error: {type(exc).__name__}"),
                    [],
                )
            for e in events:
                if e.event_id in seen:  # rare: keep only the events not already decided in this batch
                    events = [e for e in events if e.event_id not in seen]
                    break
            for e in events:
                seen.add(e.event_id)
            decided.append(events)
        return decided

    @staticmethod
    def _decide(
        state: Projection, item: Any, township: str | None, now: float, watches: dict[str, FloodWatch]
    ) -> list[Event]:
        if isinstance(item, Result):
            return []
        if isinstance(item, alerts.CapAlert):
            return alerts.decide(state, item, now)
        events = intake.decide(state, item, township, now)
        if isinstance(item, intake.Reading):
            watch = watches.get(item.station_id) or flood.watch_of(state, item.station_id)
            more, watches[item.station_id] = flood.assess(
                watch, state.district.stations[item.station_id], item.level, item.observed_at, now
            )
            events += more
        return events

    @staticmethod
    def _results(items: list[Any], decided: list[list[Event]], stored: set[str]) -> list[Result]:
        """Answer each record: accepted when all its events were stored now, else duplicate (or its rejection)."""
        out: list[Result] = []
        for item, events in zip(items, decided):
            if type(item) is Result:
                out.append(item)
                continue
            incident_id = ""
            if isinstance(item, intake.Report):
                first = events[0] if events else None
                incident_id = (
                    first.incident_id
                    if type(first) is IncidentReported
                    else incident_id_for(item.source, item.source_id)
                )
            fresh = bool(events) and (
                events[0].event_id in stored if len(events) == 1 else all(e.event_id in stored for e in events)
            )
            out.append(Result(item.source_id, "accepted" if fresh else "duplicate", "", incident_id))
        return out

    @staticmethod
    def _dead_letters(raws: Sequence[Any], items: Sequence[Any], now: float) -> list[dict[str, Any]]:
        return [
            {
                "at": now,
                "source": _source(raw),
                "source_id": it.source_id[:300],
                "reason": it.reason[:1000],
                "raw": _raw_text(raw),
            }
            for raw, it in zip(raws, items)
            if type(it) is Result
        ]


def _source(raw: Any) -> str:
    if isinstance(raw, Undecodable):
        return raw.source[:60]
    value = raw.get("source") if isinstance(raw, dict) else None
    return str(value)[:60] if value is not None else "?"


def _raw_text(raw: Any) -> str:
    """Return a rejected record's raw payload as text, a caller's id and other personal fields masked in it."""
    if isinstance(raw, Undecodable):
        return masked_text(raw.raw)
    if too_deep(raw):
        return f"<{type(raw).__name__} nested deeper than {MAX_DEPTH}>"  # neither dumps nor repr would survive it
    try:
        out = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False, default=repr)
    except (TypeError, ValueError, RecursionError):
        out = f"<unencodable {type(raw).__name__}>"
    return masked_text(out)[:MAX_RAW_CHARS]  # masked before it is cut: a value cut short is masked all the same
