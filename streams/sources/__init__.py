"""Source adapters: each turns one raw record of its source into a validated domain intake item."""
from __future__ import annotations

from typing import Any, Callable, Mapping

from domain.intake import Intake
from streams.sources import hall, hydrology, incident
from streams.sources.base import Invalid

Parser = Callable[[Mapping[str, Any], float], Intake]

PARSERS: dict[str, Parser] = {
    "110": incident.parse,
    "12345": incident.parse,
    "grid": incident.parse,
    "hydrology": hydrology.parse,
    "hall": hall.parse,
}


def parse(raw: Any, now: float) -> Intake:
    """Validate a raw record by its "source" field; raise Invalid with the reason."""
    if not isinstance(raw, Mapping):
        raise Invalid(f"a record must be a JSON object, got {type(raw).__name__}")
    source = raw.get("source")
    parser = PARSERS.get(source) if isinstance(source, str) else None
    if parser is None:
        raise Invalid(f"unknown source {str(source)[:40]!r}; known: {sorted(PARSERS)}")
    return parser(raw, now)
