"""The long views' ledger: per local day, township and category, the counts the assessment reads (docs/glossary.md).

Each incident's part in the ledger (its contribution) is a function of the incident alone; when a fold changes an
incident, its old part is taken out and its new one put in. So the ledger is always the sum over every incident the
log holds, as a scan would count them, without a scan: a year's figures cost a year of days, not 730,000 incidents.
The ledger keeps LEDGER_DAYS of days and outlives the incidents archived out of memory (domain/folds.py sweep).
"""

from __future__ import annotations

from collections.abc import Callable

from domain.model import TIMED_STEPS, VERIFIED, Incident, Order, Stage
from domain.sla import stage_verdict
from domain.state import DAY_S, LedgerKey, LostKey, State

# The counts of one (day, township, category), in this order: the vector each ledger value is.
FIELDS: tuple[str, ...] = (
    "received",  # incidents received, in the township where they happened
    "orders",  # orders issued (each order of a transfer or a reopening counts once)
    *(f"{s}_{v}" for s in TIMED_STEPS for v in ("on_time", "late")),  # each order's stages, by its township
    "on_site_done",
    "on_site_verified",
    "ordered",  # incidents whose last order this is (kpi `ordered`), and of those:
    "resolved",
    "rated",
    "satisfied",
    "reopened",  # orders resolved, then reopened on an unsatisfied call-back (重办)
    "returned",  # orders handed on unresolved: to another township or a department (回退/转办)
)
INDEX = {name: i for i, name in enumerate(FIELDS)}
LEDGER_DAYS = 800  # two years and a month: a year compares with the year before
VOID_STAGES = frozenset({Stage.CANCELLED, Stage.MERGED})  # kpi's: received, and nowhere else
DONE_STAGES = frozenset({Stage.RESOLVED, Stage.CLOSED, Stage.TRANSFERRED})
Vector = tuple[int, ...]
Part = tuple[tuple[tuple[LedgerKey, Vector], ...], tuple[tuple[LostKey, tuple[str, ...]], ...]]
EMPTY: Part = ((), ())
_ZERO: Vector = (0,) * len(FIELDS)
_At = Callable[[LedgerKey], list[int]]
_Lose = Callable[[float, str, str], None]


def day_of(t: float, utc_offset_h: float) -> int:
    """Return the local day a moment falls in, as days since 1970-01-01 (a date's toordinal() - 719163)."""
    return int((t + utc_offset_h * 3600.0) // DAY_S)


def contribution(inc: Incident, now: float, utc_offset_h: float) -> Part:
    """Return an incident's counts by (day, township, category) and the points it lost by (day, township, id)."""
    counts: dict[LedgerKey, list[int]] = {}
    lost: dict[LostKey, list[str]] = {}

    def at(key: LedgerKey) -> list[int]:
        row = counts.get(key)
        if row is None:
            row = counts[key] = [0] * len(FIELDS)
        return row

    def lose(t: float, township: str, why: str) -> None:
        lost.setdefault((day_of(t, utc_offset_h), township, inc.id), []).append(why)

    at((day_of(inc.received_at, utc_offset_h), inc.township or "", inc.category))[0] += 1
    if inc.stage not in VOID_STAGES:
        orders = inc.history + ((inc.order,) if inc.order is not None else ())
        for order in orders:
            _order(inc, order, at((day_of(order.issued_at, utc_offset_h), order.township, inc.category)), now, lose)
        _outcome(inc, orders[-1] if orders else None, utc_offset_h, at, lose)
    return (
        tuple((k, tuple(v)) for k, v in counts.items()),
        tuple((k, tuple(v)) for k, v in lost.items()),
    )


def _order(inc: Incident, order: Order, row: list[int], now: float, lose: _Lose) -> None:
    """Count one order's stages, on-site proof, and whether it was reopened or handed on unresolved."""
    row[INDEX["orders"]] += 1
    for step in TIMED_STEPS:
        verdict = stage_verdict(order, step, now)
        if verdict is not None:
            row[INDEX[f"{step}_on_time" if verdict else f"{step}_late"]] += 1
            if not verdict:
                lose(order.issued_at, order.township, step)
    if "on_site" in order.done:
        row[INDEX["on_site_done"]] += 1
        row[INDEX["on_site_verified"]] += order.proof == VERIFIED
    if order is not inc.order:  # an earlier order: it ended in a reopening (it was resolved) or a hand-on
        why = "reopened" if "resolve" in order.done else "returned"
        row[INDEX[why]] += 1
        lose(order.issued_at, order.township, why)
    elif inc.stage is Stage.TRANSFERRED:
        row[INDEX["returned"]] += 1
        lose(order.issued_at, order.township, "returned")


def _outcome(inc: Incident, last: Order | None, utc_offset_h: float, at: _At, lose: _Lose) -> None:
    """Count the last order's outcome as kpi does: ordered, resolved, the call-backs (each reopening: unsatisfied)."""
    if last is None:
        return
    row = at((day_of(last.issued_at, utc_offset_h), last.township, inc.category))
    done = inc.stage in DONE_STAGES
    unsatisfied = inc.reopened + (inc.feedback == "unsatisfied")
    row[INDEX["ordered"]] += 1
    row[INDEX["resolved"]] += done
    row[INDEX["rated"]] += unsatisfied + (inc.feedback == "satisfied")
    row[INDEX["satisfied"]] += inc.feedback == "satisfied"
    if not done:
        lose(last.issued_at, last.township, "unresolved")
    for _ in range(unsatisfied):
        lose(last.issued_at, last.township, "unsatisfied")


def account(s: State, incident_id: str) -> None:
    """Replace an incident's part in the ledger by what it is now (nothing when it is no longer here)."""
    inc = s.incidents.get(incident_id)
    new = contribution(inc, s.last_event_at, s.district.utc_offset_h) if inc is not None else EMPTY
    old = s.ledger_of.get(incident_id, EMPTY)
    if new == old:
        return
    _shift(s, old, -1)
    _shift(s, new, 1)
    if inc is None:
        s.ledger_of.pop(incident_id, None)
    else:
        s.ledger_of[incident_id] = new


def _shift(s: State, part: Part, sign: int) -> None:
    """Add (sign 1) or take out (sign -1) a part; days older than the ledger keeps are left alone."""
    ledger, floor = s.ledger, s.ledger_floor
    for key, vector in part[0]:
        if key[0] < floor:
            continue
        row = ledger.get(key)
        total = vector if row is None and sign > 0 else tuple(a + sign * b for a, b in zip(row or _ZERO, vector))
        if any(total):
            ledger[key] = total
        else:
            ledger.pop(key, None)
    for lkey, reasons in part[1]:
        if lkey[0] < floor:
            continue
        if sign > 0:
            s.ledger_lost[lkey] = reasons
        else:
            s.ledger_lost.pop(lkey, None)


def prune(s: State, today: int) -> None:
    """Drop the days the ledger no longer keeps (once a day, from the archive sweep)."""
    floor = today - LEDGER_DAYS
    if floor <= s.ledger_floor:
        return
    s.ledger_floor = floor
    for book in (s.ledger, s.ledger_lost):
        for key in [k for k in book if k[0] < floor]:
            del book[key]
