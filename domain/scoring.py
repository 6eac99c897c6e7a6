"""The assessment's indicators and their weights (the policy file's "assessment"): what counts for how much."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Each indicator: the ledger's counts that went well, and those judged (docs/glossary.md "The assessment").
INDICATORS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "response": (("sign_on_time", "respond_on_time"), ("sign_on_time", "sign_late", "respond_on_time", "respond_late")),
    "resolution": (("resolved", "on_site_on_time"), ("ordered", "on_site_on_time", "on_site_late")),
    "satisfaction": (("satisfied",), ("rated",)),
    "held": (("orders",), ("orders",)),  # minus reopened, below: the orders not reopened
    "kept": (("orders",), ("orders",)),  # minus returned: the orders not handed on unresolved
}
MINUS = {"held": "reopened", "kept": "returned"}
# What each reason an incident lost points for counts against (route is a breach that no indicator scores).
REASONS = {
    "sign": "response",
    "respond": "response",
    "on_site": "resolution",
    "unresolved": "resolution",
    "unsatisfied": "satisfaction",
    "reopened": "held",
    "returned": "kept",
    "route": "",
}
DEFAULT_WEIGHTS: dict[str, float] = {"response": 30, "resolution": 35, "satisfaction": 35, "held": 0, "kept": 0}


@dataclass(frozen=True)
class AssessmentPolicy:
    """The indicators' weights (the policy file's "assessment"), and how long the red and black lists are."""

    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    board: int = 3

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AssessmentPolicy:
        """Build it from {"weights": {indicator: weight}, "board": n}; unknown names or negative weights refused."""
        raw = data.get("weights", {})
        bad = [k for k in raw if k not in INDICATORS]
        if bad:
            raise ValueError(f"assessment weights: unknown indicator(s) {bad}; indicators are {list(INDICATORS)}")
        weights = {**DEFAULT_WEIGHTS, **{k: float(v) for k, v in raw.items()}}
        if any(w < 0 for w in weights.values()) or not sum(weights.values()):
            raise ValueError("assessment weights: not negative, and not all zero")
        board = int(data.get("board", 3))
        if board < 1:
            raise ValueError("assessment board: at least 1")
        return cls(weights, board)
