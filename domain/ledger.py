"""The long views' ledger: per local day, township and category, the counts the assessment reads (docs/glossary.md).

Each incident's part (its contribution) is a function of the incident alone, judged as of its last change. A fold
only notes that an incident changed; when the ledger settles (once a day in the archive sweep, and in a copy whenever
someone reads it) each changed incident's old part is taken out and its new one put in. So the ledger is the sum over
every incident the log holds, as a scan would count them, without a scan: a year costs a year of days, not 730,000
incidents. It keeps LEDGER_DAYS of days and outlives the incidents archived out of memory (domain/folds.py sweep).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.model import OUTCOMES, TIMED_STEPS, VERIFIED, Incident, Order, Stage
from domain.sla import stage_verdict
from domain.state import DAY_S, LedgerKey, LostKey, State

THREE_SOURCES = ("110", "12345", "grid")  # 三源: the police line, the citizens' hotline, the grid
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
    # Where the incidents the last orders finished ended (三源), and by the three sources, settled or sent on.
    *(f"ended_{o}" for o in (*OUTCOMES, "unrecorded")),
    *(f"{v}_{src}" for src in THREE_SOURCES for v in ("settled", "out")),
)
INDEX = {name: i for i, name in enumerate(FIELDS)}
LEDGER_DAYS = 800  # two years and a month: a year compares with the year before
VOID_STAGES = frozenset({Stage.CANCELLED, Stage.MERGED})  # kpi's: received, and nowhere else
DONE_STAGES = frozenset({Stage.RESOLVED, Stage.CLOSED, Stage.TRANSFERRED})
Vector = tuple[int, ...]
Cell = tuple[int, str, str, int]  # a ledger key and one of its FIELDS' index
Lost = dict[LostKey, tuple[str, ...]]
_LostList = list[tuple[LostKey, str]]
_ZERO: Vector = (0,) * len(FIELDS)
_ORDERS, _DONE, _VERIFIED = INDEX["orders"], INDEX["on_site_done"], INDEX["on_site_verified"]
_ORDERED, _RESOLVED, _RATED, _SATISFIED = INDEX["ordered"], INDEX["resolved"], INDEX["rated"], INDEX["satisfied"]
_VERDICT = {(step, v): INDEX[f"{step}_{'on_time' if v else 'late'}"] for step in TIMED_STEPS for v in (True, False)}


def day_of(t: float, utc_offset_h: float) -> int:
    """Return the local day a moment falls in, as days since 1970-01-01 (a date's toordinal() - 719163)."""
    return int((t + utc_offset_h * 3600.0) // DAY_S)


def contribution(inc: Incident, now: float, utc_offset_h: float) -> tuple[dict[Cell, int], Lost]:
    """Return an incident's counts by (day, township, category, field) and its lost points by (day, township, id)."""
    cells: list[Cell] = [(day_of(inc.received_at, utc_offset_h), inc.township or "", inc.category, 0)]
    lost: _LostList = []
    if inc.stage not in VOID_STAGES:
        orders = inc.history + ((inc.order,) if inc.order is not None else ())
        for order in orders:
            _order(cells, lost, inc, order, day_of(order.issued_at, utc_offset_h), now)
        if orders:
            _outcome(cells, lost, inc, orders[-1], day_of(orders[-1].issued_at, utc_offset_h))
    by_key: Lost = {}
    for key, why in lost:
        by_key[key] = by_key.get(key, ()) + (why,)
    counts: dict[Cell, int] = {}
    for cell in cells:  # a handful: a plain loop beats Counter's set-up
        counts[cell] = counts.get(cell, 0) + 1
    return counts, by_key


def _order(cells: list[Cell], lost: _LostList, inc: Incident, order: Order, day: int, now: float) -> None:
    """Count one order's stages, on-site proof, and whether it was reopened or handed on unresolved."""
    town, cat, key = order.township, inc.category, (day, order.township, inc.id)
    cells.append((day, town, cat, _ORDERS))
    for step in TIMED_STEPS:
        verdict = stage_verdict(order, step, now)
        if verdict is not None:
            cells.append((day, town, cat, _VERDICT[step, verdict]))
            if not verdict:
                lost.append((key, step))
    if "on_site" in order.done:
        cells.append((day, town, cat, _DONE))
        if order.proof == VERIFIED:
            cells.append((day, town, cat, _VERIFIED))
    # An earlier order ended in a reopening (it was resolved) or a hand-on; the current one in a transfer out.
    why = ("reopened" if "resolve" in order.done else "returned") if order is not inc.order else ""
    why = why or ("returned" if inc.stage is Stage.TRANSFERRED else "")
    if why:
        cells.append((day, town, cat, INDEX[why]))
        lost.append((key, why))


def _outcome(cells: list[Cell], lost: _LostList, inc: Incident, last: Order, day: int) -> None:
    """Count the last order's outcome as kpi does: ordered, resolved, the call-backs (each reopening: unsatisfied)."""
    town, cat, key = last.township, inc.category, (day, last.township, inc.id)
    cells.append((day, town, cat, _ORDERED))
    if inc.stage in DONE_STAGES:
        cells.append((day, town, cat, _RESOLVED))
        _ended(cells, inc, last, (day, town, cat))
    else:
        lost.append((key, "unresolved"))
    if inc.feedback == "satisfied":
        cells += ((day, town, cat, _RATED), (day, town, cat, _SATISFIED))
    for _ in range(inc.reopened + (inc.feedback == "unsatisfied")):
        cells.append((day, town, cat, _RATED))
        lost.append((key, "unsatisfied"))


@dataclass
class Book:
    """The ledger's dicts to write into: the state's own (settle) or copies of them (settled_copy)."""

    ledger: dict[LedgerKey, Vector]
    lost: Lost
    parts: dict[str, tuple[dict[Cell, int], Lost]]  # where the new parts go
    floor: int
    before: Mapping[str, tuple[dict[Cell, int], Lost]]  # where the old ones are read (the state's, in a copy)


def _ended(cells: list[Cell], inc: Incident, last: Order, key: LedgerKey) -> None:
    """Count where a finished incident ended, and for the three sources whether it was settled on the spot."""
    outcome = "department" if inc.stage is Stage.TRANSFERRED else last.outcome or "unrecorded"
    cells.append((*key, INDEX[f"ended_{outcome}"]))
    if inc.source in THREE_SOURCES and outcome != "unrecorded":
        cells.append((*key, INDEX[f"{'settled' if outcome == 'on_spot' else 'out'}_{inc.source}"]))


def changed(s: State, incident_id: str) -> None:
    """Note that an incident changed (every incident fold does): its part is replaced when the ledger settles."""
    s.ledger_dirty[incident_id] = None


def settle(s: State) -> None:
    """Replace the parts of the incidents changed since the last settling (the archive sweep settles once a day, a
    function of the events alone; readers settle a copy: settled_copy)."""
    book = Book(s.ledger, s.ledger_lost, s.ledger_of, s.ledger_floor, s.ledger_of)
    for iid in s.ledger_dirty:
        _replace(book, s, iid)
    s.ledger_dirty.clear()


def settled_copy(s: State) -> Book:
    """Return copies of the ledger with the changed incidents' parts replaced, leaving the state as it is."""
    book = Book(dict(s.ledger), dict(s.ledger_lost), {}, s.ledger_floor, s.ledger_of)  # the parts stay unread
    for iid in s.ledger_dirty:
        _replace(book, s, iid)
    return book


def _replace(book: Book, s: State, iid: str) -> None:
    """Replace an incident's part by what it is now, judged as of its last change (not when this runs: so when the
    ledger settles never changes what it holds); nothing when it is no longer here."""
    inc = s.incidents.get(iid)
    new = contribution(inc, s.touched.get(iid, s.last_event_at), s.district.utc_offset_h) if inc else _NONE
    old = book.before.get(iid, _NONE)
    if new[0] != old[0]:
        _shift(book, new[0], old[0])
    if new[1] != old[1]:
        _relose(book, new[1], old[1])
    if inc is None:
        book.parts.pop(iid, None)
    else:
        book.parts[iid] = new  # never changed in place: a checkpoint may share it


def _shift(book: Book, new: dict[Cell, int], old: dict[Cell, int]) -> None:
    """Put the difference between an incident's new and old cells into the ledger, one tuple per key changed;
    days older than the ledger keeps are left alone."""
    diff = [(cell, n - old.get(cell, 0)) for cell, n in new.items() if n != old.get(cell, 0)]
    diff += [(cell, -n) for cell, n in old.items() if cell not in new]
    ledger, floor = book.ledger, book.floor
    for (day, town, cat, i), d in diff:
        if day < floor:
            continue
        key = (day, town, cat)
        row = list(ledger.get(key, _ZERO))
        row[i] += d
        if any(row):
            ledger[key] = tuple(row)
        else:
            del ledger[key]


def _relose(book: Book, new: Lost, old: Lost) -> None:
    """Replace an incident's lost points (its keys are its own: no other incident's are touched)."""
    for key in old.keys() - new.keys():
        book.lost.pop(key, None)
    for key, reasons in new.items():
        if key[0] >= book.floor:
            book.lost[key] = reasons


def prune(s: State, today: int) -> None:
    """Drop the days the ledger no longer keeps (once a day, from the archive sweep)."""
    floor = today - LEDGER_DAYS
    if floor <= s.ledger_floor:
        return
    s.ledger_floor = floor
    for book in (s.ledger, s.ledger_lost):
        for key in [k for k in book if k[0] < floor]:
            del book[key]


_NONE: tuple[dict[Cell, int], Lost] = ({}, {})
