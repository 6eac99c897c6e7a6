"""Any past moment of the district, rebuilt by folding the log: pure, the moment is a parameter.

A moment t is the log's longest prefix whose events all happened at or before t. Events are appended
in time order per process, so that is every event with `at <= t`; stopping at the first later one
(rather than skipping it) keeps the fold a prefix of the log even when two processes' clocks interleave.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import fields

from domain import events as ev
from domain.model import District
from domain.projection import Projection


def checkpoint(state: Projection) -> Projection:
    """Return a copy of a state that later folds into either one cannot change in the other."""
    # Every value the state holds is frozen, so copying the containers is a full copy, and cheap.
    out = copy.copy(state)
    for f in fields(state):
        value = getattr(state, f.name)
        if isinstance(value, (dict, set, list)):  # an index kept beside the dicts is a container too
            setattr(out, f.name, copy.copy(value))
    return out


def fold_until(state: Projection, pairs: Iterable[tuple[int, ev.Event]], t: float) -> bool:
    """Fold (seq, event) pairs into state while their events happened by t; True when a later one was met."""
    for seq, event in pairs:
        if seq <= state.seq:
            continue
        if event.at > t:
            return True
        state.apply(event, seq)
    return False


def moment(
    district: District, pairs: Iterable[tuple[int, ev.Event]], t: float, dispatch_s: Mapping[int, float] | None = None
) -> Projection:
    """Return the district's state at t, folded from the whole log from its start (no checkpoints)."""
    state = Projection(district, dict(dispatch_s)) if dispatch_s else Projection(district)
    fold_until(state, pairs, t)
    return state
