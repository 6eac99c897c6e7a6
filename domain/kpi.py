"""The figures the district is judged by, for one day window, district-wide and per township."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Iterable

from domain.model import Incident, Stage
from domain.state import State

DONE_STAGES = frozenset({Stage.RESOLVED, Stage.CLOSED, Stage.TRANSFERRED})
VOID_STAGES = frozenset({Stage.CANCELLED, Stage.MERGED})  # not the district's work: out of the rates


@dataclass
class Figures:
    """Counts and rates for a set of incidents; rates are None when nothing was counted."""

    received: int = 0
    ordered: int = 0
    on_time: int = 0
    late: int = 0
    resolved: int = 0
    open: int = 0
    breached_open: int = 0
    order_wait_s_total: float = 0.0
    satisfied: int = 0
    rated: int = 0

    def rates(self) -> dict[str, Any]:
        """Return the counts with on-time, completion and satisfaction rates and mean time to order."""
        out = asdict(self)
        del out["order_wait_s_total"]
        out["on_time_rate"] = _ratio(self.on_time, self.on_time + self.late)
        out["completion_rate"] = _ratio(self.resolved, self.ordered)
        out["satisfaction_rate"] = _ratio(self.satisfied, self.rated)
        out["mean_order_wait_s"] = round(self.order_wait_s_total / self.ordered, 1) if self.ordered else None
        return out


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _count(f: Figures, inc: Incident, start: float, end: float) -> None:
    if start <= inc.received_at < end:
        f.received += 1
    if inc.is_open and inc.stage is not Stage.RESOLVED:
        f.open += 1
        f.breached_open += bool(inc.order and inc.order.breached)
    order = inc.order or (inc.history[-1] if inc.history else None)
    if order is None or not start <= order.issued_at < end or inc.stage in VOID_STAGES:
        return
    f.ordered += 1
    f.order_wait_s_total += max(0.0, order.issued_at - inc.received_at)
    if order.late or order.breached:
        f.late += 1
    elif "on_site" in order.done:
        f.on_time += 1
    f.resolved += inc.stage in DONE_STAGES
    # Each reopening was an unsatisfied call-back; the current feedback counts once more.
    f.rated += inc.reopened + (inc.feedback in ("satisfied", "unsatisfied"))
    f.satisfied += inc.feedback == "satisfied"


def day_figures(state: State, start: float, end: float) -> dict[str, Any]:
    """Return {"district": figures, "townships": [figures with id and rank]} for [start, end)."""
    district, per = Figures(), {t: Figures() for t in state.district.townships}
    for inc in _relevant(state.incidents.values(), start):
        _count(district, inc, start, end)
        if inc.township in per:
            _count(per[inc.township], inc, start, end)
    rows = [{"id": t, **f.rates()} for t, f in per.items()]
    # Rank as the district does: on-time first, then completion; townships with nothing ordered last.
    rows.sort(key=lambda r: (r["on_time_rate"] is None, -(r["on_time_rate"] or 0), -(r["completion_rate"] or 0), r["id"]))
    for i, row in enumerate(rows, 1):
        row["rank"] = i
    return {"start": start, "end": end, "district": district.rates(), "townships": rows}


def _relevant(incidents: Iterable[Incident], start: float) -> Iterable[Incident]:
    return (i for i in incidents if i.is_open or i.received_at >= start or (i.order and i.order.issued_at >= start))
