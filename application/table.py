"""A report's table, as every format shows it, and the names its cells use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import i18n
from domain.model import District


@dataclass(frozen=True)
class Table:
    """One table of the report: its key (the sheet's name), title, column headers and rows of plain values."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    percent: frozenset[int] = frozenset()  # columns holding rates (0..1), shown as percentages
    percent_rows: frozenset[int] = frozenset()  # rows holding rates in every number column

    def is_rate(self, row: int, col: int) -> bool:
        """Tell whether a cell holds a rate (0..1) to be shown as a percentage."""
        return col in self.percent or (row in self.percent_rows and col > 0)


def township_name(district: District, tid: str | None, lang: str) -> str:
    """Return a township's name in the language (the district centre's when none)."""
    town = district.townships.get(tid) if tid else None
    return (town.name_en if lang == "en" else town.name_zh) if town else (tid or i18n.t("report.district_center", lang))
