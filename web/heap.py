"""The web process's heap: what start-up built is set aside from the collector's full collections."""

from __future__ import annotations

import gc


def settle() -> int:
    """Collect once, then freeze every object left (gc.freeze); return how many were frozen."""
    # A full (generation 2) collection walks every tracked object, and a started web process holds some 230,000
    # (modules, Dash's layouts, the district, the replayed projection): 190-220 ms with the worker's one hub held,
    # about once every 15 s at 500 screens x 100 records/s, which set the push's p99 (bench/fanout.py). Frozen, they
    # are skipped: a full collection walks only what came later (the sockets, new incidents), 30-80 ms on the same
    # loaded machine. Frozen objects are still freed by reference counting; only a cycle among them that later
    # turns to garbage is kept, and what start-up built lives as long as the process.
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
