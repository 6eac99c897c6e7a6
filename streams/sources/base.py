"""What every source adapter shares: the Invalid error and field readers that say what is wrong."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

MAX_TEXT = 2000  # longer free text is cut, not refused: a citizen's long complaint is still a complaint
MAX_ID = 120
MAX_AGE_S = 30 * 86400  # a record older than this is a replay or a broken clock
MAX_AHEAD_S = 300  # a source clock a little fast is tolerated
CHINA_TZ = timezone(timedelta(hours=8))
CRS = frozenset({"wgs84", "gcj02", "bd09"})


class Invalid(ValueError):
    """A record that cannot be taken; the message is the reason kept in the dead-letter."""


def text(raw: Mapping[str, Any], key: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    """Read a string field, cut to its limit."""
    value = raw.get(key)
    if type(value) is str and value:  # the usual case, tested first: this runs several times a record
        return value[: limit * 2].strip()[:limit]  # cut first: stripping a megabyte of spaces is wasted work
    if value is None or value == "":
        if required:
            raise Invalid(f"missing field '{key}'")
        return ""
    if isinstance(value, str):
        return value[: limit * 2].strip()[:limit]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**30:
        return str(value)
    raise Invalid(f"field '{key}' must be a string, got {type(value).__name__}")


def ident(raw: Mapping[str, Any], *keys: str) -> str:
    """Read an identifier from the first present key: non-empty, bounded, no control characters."""
    key = keys[0]
    for k in keys:
        if raw.get(k) not in (None, ""):
            key = k
            break
    value = text(raw, key, limit=MAX_ID + 1)
    # Blank after stripping (space, tab, no-break space) or holding any character isprintable() rules out
    # (controls, zero-width and bidi marks, separators other than the space): two such ids would look the
    # same to a person, or both be "", and the second would come back a duplicate of the first.
    if not value:
        raise Invalid(f"field '{key}' is blank")
    if len(value) > MAX_ID or not value.isprintable():
        raise Invalid(f"field '{key}' is not a valid id (at most {MAX_ID} printable characters)")
    return value


def number(raw: Mapping[str, Any], key: str, lo: float, hi: float, *, required: bool = True) -> float:
    """Read a finite number within [lo, hi]; NaN when optional and absent."""
    value = raw.get(key)
    if type(value) is float:  # the usual case: JSON numbers with a fraction
        out = value
    else:
        if value is None or value == "":
            if required:
                raise Invalid(f"missing field '{key}'")
            return math.nan
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise Invalid(f"field '{key}' must be a number, got {type(value).__name__}")
        try:
            out = float(value[:64] if isinstance(value, str) else value)
        except (ValueError, OverflowError):
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
    at = parse_time(value, key)
    if not now - MAX_AGE_S <= at <= now + MAX_AHEAD_S:
        raise Invalid(f"field '{key}' is too far from now")
    return at


def parse_time(value: Any, key: str) -> float:
    """Turn an ISO 8601 string or Unix seconds into Unix seconds (finite), or raise Invalid."""
    try:
        if isinstance(value, str) and len(value) <= 64:  # the usual case first
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            at = (parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA_TZ)).timestamp()
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            at = float(value)
        else:
            raise Invalid(f"field '{key}' must be a time, got {type(value).__name__}")
    except (ValueError, OverflowError, OSError) as exc:
        if isinstance(exc, Invalid):
            raise
        raise Invalid(f"field '{key}' is not an ISO 8601 time: {str(value)[:40]!r}") from None
    if not math.isfinite(at):
        raise Invalid(f"field '{key}' is not a finite time")
    return at


def choice(
    raw: Mapping[str, Any],
    key: str,
    allowed: Mapping[str, Any] | frozenset[str],
    *,
    required: bool = True,
    default: str = "",
) -> str:
    """Read a string that must be one of the allowed values."""
    value = text(raw, key, required=required, limit=200) or default
    if value not in allowed:
        raise Invalid(f"field '{key}' = {value[:40]!r} is not one of the known values")
    return value


def mapped(raw: Mapping[str, Any], key: str, table: Mapping[str, str], what: str) -> str:
    """Read a source's code and return what the table maps it to (a catalog category, say)."""
    code = text(raw, key, limit=200)
    try:
        return table[code]
    except KeyError:
        raise Invalid(f"unknown {what} {code[:40]!r} in field '{key}'") from None


def point(
    raw: Mapping[str, Any], lon_key: str = "lon", lat_key: str = "lat", crs_key: str = "crs"
) -> tuple[float, float]:
    """Read a point and convert it from its "crs" (wgs84 | gcj02 | bd09; default wgs84) to WGS-84."""
    lon, lat, given = raw.get(lon_key), raw.get(lat_key), raw.get(crs_key)
    # Most records: two floats in range (NaN fails the comparisons), nothing to convert or normalise.
    if (
        type(lon) is float
        and type(lat) is float
        and -180 <= lon <= 180
        and -90 <= lat <= 90
        and (given is None or given == "wgs84")
    ):
        return round(lon, 7), round(lat, 7)
    lon, lat = number(raw, lon_key, -180, 180), number(raw, lat_key, -90, 90)
    crs = text(raw, crs_key, required=False, limit=20).lower().replace("-", "").replace("_", "") or "wgs84"
    if crs not in CRS:
        raise Invalid(f"field '{crs_key}' = {crs!r} is not one of wgs84, gcj02, bd09")
    if crs != "wgs84":
        from geo.coords import to_wgs84  # pure math; imported only when a source sends shifted coordinates

        lon, lat = to_wgs84(lon, lat, crs)
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
            raise Invalid(f"{lon_key}/{lat_key} do not convert from {crs} to a WGS-84 point")
    return round(float(lon), 7), round(float(lat), 7)


def obj(raw: Mapping[str, Any], key: str, *, required: bool = True) -> Mapping[str, Any]:
    """Read a nested JSON object."""
    value = raw.get(key)
    if type(value) is dict:  # what JSON gives; the ABC check below costs more than the rest of this
        return value
    if value is None and not required:
        return {}
    if not isinstance(value, Mapping):
        raise Invalid(f"field '{key}' must be an object" if value is not None else f"missing field '{key}'")
    return value


def priority(raw: Mapping[str, Any], key: str, table: Mapping[Any, int] | None = None) -> int | None:
    """Read an optional priority: 1, 2 or 3 (or a source's own words through a table)."""
    value = raw.get(key)
    if value is None or value == "":
        return None
    if table is not None and isinstance(value, (str, int)) and not isinstance(value, bool) and value in table:
        return table[value]
    if value in (1, 2, 3) and not isinstance(value, bool):
        return int(value)
    raise Invalid(f"field '{key}' must be 1, 2 or 3" + (f" or one of {sorted(map(str, table))}" if table else ""))
