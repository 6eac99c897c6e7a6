"""Reports: the daily and weekly after-action report, built from a replayed moment, and its files kept on disk."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from application import charts, report_files
from application.replay import Replayer
from domain import events as ev
from domain.report import report

log = logging.getLogger(__name__)
DAY_S = 86400.0
FORMATS = ("pdf", "xlsx", "csv")


class Reports:
    """Build a window's report as the live wall showed it at the window's end (or now, while it lasts)."""

    def __init__(self, replayer: Replayer, clock: Callable[[], float], utc_offset_h: float, data_dir: Path) -> None:
        self.replayer, self.clock, self.data_dir, self.utc_offset_h = replayer, clock, data_dir, utc_offset_h
        self.tz = timezone(timedelta(hours=utc_offset_h))

    def day_start(self, day: date) -> float:
        """Return the Unix time of a local day's midnight."""
        return datetime(day.year, day.month, day.day, tzinfo=self.tz).timestamp()

    def today(self) -> date:
        """Return the district's local date now."""
        return datetime.fromtimestamp(self.clock(), self.tz).date()

    def daily(self, day: date, township: str | None = None) -> dict[str, Any]:
        """Return a local day's report; a township gets only its own rows."""
        start = self.day_start(day)
        return self._build(start, self.day_start(day + timedelta(days=1)), 3600.0, township, "daily", day)

    def weekly(self, first: date, township: str | None = None) -> dict[str, Any]:
        """Return the report of the seven local days from a first day."""
        start = self.day_start(first)
        return self._build(start, self.day_start(first + timedelta(days=7)), DAY_S, township, "weekly", first)

    def _build(
        self, start: float, end: float, bucket_s: float, township: str | None, kind: str, first: date
    ) -> dict[str, Any]:
        as_of = min(self.clock(), end)
        state = self.replayer.at(as_of)
        changes = [e for e in self.replayer.events_between(start, end, (ev.FloodStageChanged,)) if e.at <= as_of]
        body = report(state, start, end, as_of, changes, township, bucket_s)
        if kind == "daily" and township is None:  # the district's day: the analytics view's charts, one code path
            body["charts"] = charts.for_report(
                state, start, end, as_of, {"district": body["district"], "townships": body["townships"]}
            )
        return {"kind": kind, "day": first.isoformat(), "seq": state.seq, "utc_offset_h": self.utc_offset_h, **body}

    def path(self, day: date, fmt: str) -> Path:
        """Return where a day's file is kept: <data dir>/reports/YYYY-MM-DD.<fmt>."""
        return self.data_dir / "reports" / f"{day.isoformat()}.{fmt}"

    def write(self, day: date, lang: str = "zh") -> list[Path]:
        """Write a day's PDF, workbook and CSV unless they are already there; return the paths."""
        paths = [self.path(day, fmt) for fmt in FORMATS]
        if all(p.exists() for p in paths):
            return paths
        data = self.daily(day)
        paths[0].parent.mkdir(parents=True, exist_ok=True)
        for fmt, p in zip(FORMATS, paths):
            tmp = p.with_suffix(p.suffix + ".part")  # a reader never sees half a file
            tmp.write_bytes(report_files.render(data, self.replayer.district, fmt, lang))
            tmp.replace(p)
        return paths

    def make_due(self, lang: str = "zh") -> list[Path]:
        """Write yesterday's files once the local day is over (idempotent; the runtime calls it every minute)."""
        return self.write(self.today() - timedelta(days=1), lang)
