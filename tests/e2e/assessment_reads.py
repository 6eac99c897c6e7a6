"""What the assessment page shows, read from the page as a person reads it: a 三源 block and a row of the trend."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.periods import period

ENDINGS_JS = """el => ({
    share: el.querySelector('.om-end-share').innerText,
    of: el.querySelector('.om-end-of').innerText,
    flows: el.querySelector('.om-end-flows').innerText,
    outcomes: Object.fromEntries([...el.querySelectorAll('[data-outcome]')]
        .map(e => [e.dataset.outcome, e.querySelector('.om-end-n').innerText])),
    sources: Object.fromEntries([...el.querySelectorAll('tr[data-source]')]
        .map(r => [r.dataset.source, [...r.cells].slice(1).map(c => c.innerText)])),
})"""


def endings(page: Any, within: str) -> dict[str, Any]:
    """Return where the incidents ended as a block shows it: the share, of how many, the flows out, where and whence."""
    return dict(page.eval_on_selector(within, ENDINGS_JS))


def heat_row(page: Any, row: str) -> list[str]:
    """Return the cells of one row of the trend (a township's or the district's), oldest period first."""
    return list(page.eval_on_selector_all(f".om-heat tr{row} td", "els => els.map(e => e.innerText)"))


def periods_ending(kind: str, day: str, count: int) -> list[str]:
    """Return the labels of the count periods of a kind ending with the one holding the day, oldest first."""
    labels = [period(kind, date.fromisoformat(day))]
    while len(labels) < count:
        labels.append(labels[-1].before())
    return [p.label for p in reversed(labels)]
