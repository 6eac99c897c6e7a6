"""The one reader of time and date parameters: a finite moment or a calendar day inside what the product holds."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

from flask import Flask, Response, request

import i18n

FIRST_DAY = date(2000, 1, 1)  # before any district's log: the product holds nothing older
LAST_DAY = date(2099, 12, 24)  # a week's report from it still ends in 2099; far past any retention
EARLIEST = datetime.combine(FIRST_DAY, datetime.min.time(), UTC)
LATEST = datetime.combine(LAST_DAY + timedelta(days=1), datetime.min.time(), UTC)
_UNIX = re.compile(r"-?[0-9]{1,11}(\.[0-9]{1,9})?", re.ASCII)
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})", re.ASCII)
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9:.]+)?(Z|[+-][0-9]{2}:?[0-9]{2})?", re.ASCII)


class BadTime(ValueError):
    """A time parameter that is refused: its name and the error code saying what was expected."""

    def __init__(self, code: str, name: str) -> None:
        super().__init__(f"{name}: {code}")
        self.code, self.name = code, name

    @property
    def params(self) -> dict[str, str]:
        """Return the parameters of the error's message."""
        return {"name": self.name, "low": FIRST_DAY.isoformat(), "high": LAST_DAY.isoformat()}


def moment(raw: str, utc_offset_h: float, name: str = "at") -> float:
    """Read a moment as Unix seconds or ISO 8601 (without an offset: the district's local time); BadTime if neither."""
    raw = raw.strip()
    if _UNIX.fullmatch(raw):
        at = float(raw)
    elif _ISO.fullmatch(raw):
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise BadTime("bad_moment", name) from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone(timedelta(hours=utc_offset_h)))
        if not EARLIEST <= parsed < LATEST:
            raise BadTime("time_out_of_range", name)
        at = parsed.timestamp()
    else:
        raise BadTime("bad_moment", name)
    return seconds(at, name)


def seconds(at: float, name: str = "at") -> float:
    """Return a moment given in Unix seconds (a callback's number) when it is finite and inside the range."""
    if not (math.isfinite(at) and EARLIEST.timestamp() <= at < LATEST.timestamp()):
        raise BadTime("time_out_of_range", name)
    return at


def day(raw: str, name: str = "day") -> date:
    """Read a calendar day YYYY-MM-DD inside the range; BadTime otherwise."""
    if not _DAY.fullmatch(raw):
        raise BadTime("bad_day", name)
    try:
        found = date.fromisoformat(raw)
    except ValueError:
        raise BadTime("bad_day", name) from None
    return _in_range(found, name)


def week(raw: str, name: str = "week") -> date:
    """Read an ISO week YYYY-Www as its Monday, inside the range; BadTime otherwise."""
    match = _WEEK.fullmatch(raw)
    if not match:
        raise BadTime("bad_week", name)
    try:
        found = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise BadTime("bad_week", name) from None
    return _in_range(found, name)


def _in_range(found: date, name: str) -> date:
    if not FIRST_DAY <= found <= LAST_DAY:
        raise BadTime("time_out_of_range", name)
    return found


PAGE_PARAMS = {"/replay": ("at",), "/wall": ("at",)}  # the pages whose address names a moment


def install(server: Flask, utc_offset_h: Callable[[], float], default_lang: str) -> None:
    """Refuse a page whose address names a moment that is not one (400, in the reader's language), before Dash."""

    @server.before_request
    def _page_times() -> Response | None:
        for name in PAGE_PARAMS.get(request.path, ()):
            raw = request.args.get(name)
            try:
                if raw:
                    moment(raw, utc_offset_h(), name)
            except BadTime as exc:
                lang = request.args.get("lang") or request.accept_languages.best_match(list(i18n.LANGS))
                message = i18n.error(exc.code, lang if lang in i18n.LANGS else default_lang, **exc.params)
                return Response(message, status=400, mimetype="text/plain; charset=utf-8")
        return None
