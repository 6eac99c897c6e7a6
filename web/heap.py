"""The web process's heap: what start-up built is set aside from the collector's full collections."""

from __future__ import annotations

import gc


def settle() -> int:
    """Collect once, then freeze every object left (gc.freeze); return how many were frozen."""
    # A full (generation 2) collection walks every tracked object, and a started web process holds some 230,000
    # (modules, Dash's layouts, the district, the replayed projection): at 500 screens x 100 records/s one came
    # every 15-30 s over about 320,000 objects and held the worker's one hub 170-250 ms (a shared 2-core machine at
    # load 4-8), which set the push's p99 (bench/fanout.py). Frozen, they are skipped: a full collection walks what
    # came later (the 500 sockets, new incidents), 95,000-120,000 objects, 50-110 ms on the same machine. Frozen
    # objects are still freed by reference counting; only a cycle among them that later turns to garbage is kept,
    # and what start-up built lives as long as the process.
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
