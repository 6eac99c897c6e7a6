"""What every source adapter shares: the Invalid error and field readers that say what is wrong."""
from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

MAX_TEXT = 2000  # longer free text is cut, not refused: a citizen's long complaint is still a complaint
MAX_ID = 120
MAX_AGE_S = 30 * 86400  # a record older than this is a replay or a broken clock
MAX_AHEAD_S = 300  # a source clock a little fast is tolerated
CHINA_TZ = timezone(timedelta(hours=8))


class Invalid(ValueError):
    """A record that cannot be taken; the message is the reason kept in the dead-letter."""


def text(raw: Mapping[str, Any], key: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    """Read a string field, cut to its limit."""
    value = raw.get(key)
    if value is None or value == "":
        if required:
            raise Invalid(f"missing field '{key}'")
        return ""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise Invalid(f"field '{key}' must be a string, got {type(value).__name__}")
    return str(value).strip()[:limit]


def ident(raw: Mapping[str, Any], key: str) -> str:
    """Read an identifier: a non-empty string of bounded length without control characters."""
    value = text(raw, key, limit=10**6)
    if len(value) > MAX_ID or any(ord(c) < 32 for c in value):
        raise Invalid(f"field '{key}' is not a valid id (at most {MAX_ID} printable characters)")
    return value


def number(raw: Mapping[str, Any], key: str, lo: float, hi: float, *, required: bool = True) -> float:
    """Read a finite number within [lo, hi]."""
    value = raw.get(key)
    if value is None:
        if required:
            raise Invalid(f"missing field '{key}'")
        return math.nan
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise Invalid(f"field '{key}' must be a number, got {type(value).__name__}")
    try:
        out = float(value)
    except ValueError:
        raise Invalid(f"field '{key}' must be a number, got {str(value)[:40]!r}") from None
    if not math.isfinite(out) or not lo <= out <= hi:
        raise Invalid(f"field '{key}' = {out} is outside [{lo}, {hi}]")
    return out


def timestamp(raw: Mapping[str, Any], key: str, now: float, *, required: bool = True) -> float:
    """Read a time (ISO 8601, naive means China time; or Unix seconds) not far from now."""
    value = raw.get(key)
    if value is None or value == "":
        if required:
            raise Invalid(f"missing field '{key}'")
        return now
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        at = float(value)
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise Invalid(f"field '{key}' is not an ISO 8601 time: {value[:40]!r}") from None
        at = (parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA_TZ)).timestamp()
    else:
        raise Invalid(f"field '{key}' must be a time, got {type(value).__name__}")
    if not math.isfinite(at) or not now - MAX_AGE_S <= at <= now + MAX_AHEAD_S:
        raise Invalid(f"field '{key}' is too far from now")
    return at


def choice(raw: Mapping[str, Any], key: str, allowed: Mapping[str, Any] | frozenset[str], *,
           required: bool = True, default: str = "") -> str:
    """Read a string that must be one of the allowed values."""
    value = text(raw, key, required=required, limit=200) or default
    if value not in allowed:
        raise Invalid(f"field '{key}' = {value[:40]!r} is not one of the known values")
    return value
