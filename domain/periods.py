"""The assessment's periods: a week, month, quarter or year of local days, and the one before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("week", "month", "quarter", "year")
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class Period:
    """A run of local days [first, end): its kind and the label a screen and a file name show."""

    kind: str
    first: date
    end: date  # the day after its last

    @property
    def label(self) -> str:
        """Return 2026-W49, 2026-11, 2026-Q4 or 2026."""
        if self.kind == "week":
            year, week, _ = self.first.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{self.first.year}-{self.first.month:02d}"
        if self.kind == "quarter":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        return str(self.first.year)

    @property
    def days(self) -> tuple[int, int]:
        """Return its days as the ledger counts them: [first, end) in days since 1970-01-01."""
        return self.first.toordinal() - EPOCH_ORDINAL, self.end.toordinal() - EPOCH_ORDINAL

    def before(self) -> Period:
        """Return the period of the same kind just before it."""
        return period(self.kind, self.first - timedelta(days=1))


def period(kind: str, day: date) -> Period:
    """Return the period of a kind that holds a day; ValueError for an unknown kind."""
    if kind == "week":
        first = day - timedelta(days=day.weekday())
        return Period(kind, first, first + timedelta(days=7))
    if kind == "month":
        first = day.replace(day=1)
        return Period(kind, first, _months_on(first, 1))
    if kind == "quarter":
        first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(kind, first, _months_on(first, 3))
    if kind == "year":
        return Period(kind, date(day.year, 1, 1), date(day.year + 1, 1, 1))
    raise ValueError(f"period must be one of {', '.join(KINDS)}")


def _months_on(first: date, months: int) -> date:
    n = first.month - 1 + months
    return date(first.year + n // 12, n % 12 + 1, 1)
