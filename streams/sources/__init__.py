"""Source adapters: each turns one raw record of its source into a validated domain intake item."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from streams.codec import Undecodable
from streams.sources import cap, grid, hall, hotline12345, hydrology, open311, police110, security
from streams.sources.base import Invalid

Parser = Callable[[Mapping[str, Any], float], Any]
# The field that carries each source's own id (the envelope's "source_id" is accepted by all).
ID_FIELDS: dict[str, str] = {
    "110": "alarm_no",
    "12345": "order_no",
    "grid": "event_no",
    "open311": "service_request_id",
    "security": "event_no",
}


class Adapters:
    """The parser of each source, with the installation's tables (Open311 service codes)."""

    def __init__(self, open311_codes: Mapping[str, str] | None = None, caller_key: bytes = b"") -> None:
        # caller_key hashes the callers' ids (streams/sources/caller.py): without it, no caller is kept at all.
        self.parsers: dict[str, Parser] = {
            "110": partial(police110.parse, caller_key=caller_key),
            "12345": partial(hotline12345.parse, caller_key=caller_key),
            "grid": grid.parse,
            "open311": partial(open311.parse, codes=open311_codes or open311.SERVICE_CODES, caller_key=caller_key),
            "cap": cap.parse,
            "hydrology": hydrology.parse,
            "security": security.parse,
            "hall": hall.parse,
        }

    @classmethod
    def from_file(cls, open311_codes: str = "", caller_key: bytes = b"") -> Adapters:
        """Build with the Open311 table of a JSON file (empty path: the built-in table) and the callers' key."""
        return cls(open311.load_codes(open311_codes) if open311_codes else None, caller_key)

    def parse(self, raw: Any, now: float) -> Any:
        """Validate a raw record by its "source" field; raise Invalid with the reason."""
        if type(raw) is not dict and not isinstance(raw, Mapping):  # the exact check first: ABCs are slow
            raise Invalid(
                raw.reason
                if isinstance(raw, Undecodable)
                else f"a record must be a JSON object, got {type(raw).__name__}"
            )
        source = raw.get("source")
        parser = self.parsers.get(source) if isinstance(source, str) else None
        if parser is None:
            raise Invalid(f"unknown source {str(source)[:40]!r}; known: {sorted(self.parsers)}")
        return parser(raw, now)


DEFAULT = Adapters()
PARSERS = DEFAULT.parsers


def parse(raw: Any, now: float) -> Any:
    """Validate a raw record with the built-in tables."""
    return DEFAULT.parse(raw, now)


def source_id_of(raw: Any) -> str:
    """Return a record's own id for a rejection's answer, whatever shape the record has."""
    if not isinstance(raw, Mapping):
        return ""
    source = raw.get("source")
    value = raw.get(ID_FIELDS.get(source, "source_id")) if isinstance(source, str) else None
    value = raw.get("source_id") if value is None else value
    return str(value)[:120] if value is not None else ""
