"""The townships' assessment for a period, read from the ledger the folds keep (never a scan of incidents)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from application import report_files
from domain.assessment import Books, assess, card, traced, trend
from domain.model import District
from domain.periods import Period, period
from domain.scoring import AssessmentPolicy
from store.store import Store


class Assessments:
    """Assess a week, month, quarter or year of local days as the log stands now."""

    def __init__(self, store: Store, policy: AssessmentPolicy, clock: Callable[[], float], utc_offset_h: float) -> None:
        self.store, self.policy, self.clock, self.utc_offset_h = store, policy, clock, utc_offset_h
        self.tz = timezone(timedelta(hours=utc_offset_h))

    def today(self) -> date:
        """Return the district's local date now."""
        return datetime.fromtimestamp(self.clock(), self.tz).date()

    def period(self, kind: str, day: date | None = None) -> Period:
        """Return the period of a kind holding a day (today by default); ValueError for an unknown kind."""
        return period(kind, day or self.today())

    def district(self, which: Period) -> dict[str, Any]:
        """Return every township's card, ranked, with the boards and the district's figures."""
        return {**assess(self._books(), which, self.policy), "as_of": self.clock()}

    def township(self, which: Period, township: str) -> dict[str, Any]:
        """Return one township's card with every point it lost traced to its incidents."""
        return {**card(self._books(), which, self.policy, township), "as_of": self.clock()}

    def trend(self, which: Period, count: int) -> list[dict[str, Any]]:
        """Return the district's and each township's score over the `count` periods ending with this one, oldest
        first (a month's for a year: twelve months of the ledger, never a scan of incidents)."""
        periods = [which]
        while len(periods) < count:
            periods.append(periods[-1].before())
        return trend(self._books(), periods[::-1], self.policy)

    def report(self, which: Period, township: str | None = None) -> dict[str, Any]:
        """Return the period's report (the files' data): the ranking, the boards and every incident that lost points;
        a township's holds its own row and incidents only."""
        books = self._books()
        whole = assess(books, which, self.policy)
        rows = [r for r in whole["townships"] if township in (None, r["id"])]
        by_id = {r["id"]: r for r in rows}  # traced from the rows already assessed, in the district's township order
        lost = [{**x, "township": t} for t in books.townships if t in by_id for x in traced(books, which, by_id[t])]
        return {
            "kind": "assessment",
            "day": which.label,
            "period": which.kind,
            "utc_offset_h": self.utc_offset_h,
            "as_of": self.clock(),
            "seq": books.seq,
            "township": township,
            "district": whole["district"] if township is None else rows[0],
            "townships": rows,
            "red": whole["red"] if township is None else [],
            "black": whole["black"] if township is None else [],
            "lost": lost,
        }

    def write_due(self, data_dir: Path, district: District, lang: str = "zh") -> list[Path]:
        """Write last month's assessment (PDF and workbook) into <data dir>/reports once the month is over; a file
        already there is kept (idempotent: the runtime calls it every minute)."""
        last = self.period("month", self.today().replace(day=1) - timedelta(days=1))
        paths = [data_dir / "reports" / f"assessment-{last.label}.{fmt}" for fmt in ("pdf", "xlsx")]
        if all(p.exists() for p in paths):
            return paths
        data = self.report(last)
        paths[0].parent.mkdir(parents=True, exist_ok=True)
        for p in paths:
            tmp = p.with_suffix(p.suffix + ".part")  # a reader never sees half a file
            tmp.write_bytes(report_files.render(data, district, p.suffix[1:], lang))
            tmp.replace(p)
        return paths

    def _books(self) -> Books:
        now = self.clock()
        return self.store.read(lambda state: Books.of(state, now))
