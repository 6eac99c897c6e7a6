"""The wire form of a record on a bus: JSON bytes; what cannot be decoded becomes an Undecodable."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

try:  # orjson is several times faster on the hot path; the standard library does the same job
    import orjson

    def _dumps(value: Any) -> bytes:
        return orjson.dumps(value)

    _loads: Callable[[bytes | str], Any] = orjson.loads
except ImportError:  # pragma: no cover - exercised only where orjson is absent

    def _dumps(value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()

    _loads = json.loads

MAX_RAW_CHARS = 100_000  # a dead letter keeps the raw payload, cut to this
MAX_DEPTH = 32  # a record nests far less; deeper ones are refused before anything recurses into them
_SCALARS = (str, int, float, bool, type(None))


class _Cut:
    """What stands in a parsed body for a container cut off by parse_text: too deep by definition."""

    def __repr__(self) -> str:
        return f"<nested deeper than {MAX_DEPTH}>"


CUT = _Cut()
_CUT_KEY = "\u0000onemap:cut"
_CUT_TEXT = '{"%s":1}' % _CUT_KEY.replace("\u0000", "\\u0000")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Tell whether a decoded value nests containers deeper than limit (walked without recursion)."""
    if type(value) is dict and all(type(v) in _SCALARS for v in value.values()):
        return False  # the usual flat record: no walk
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if item is CUT:
            return True
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict) else item))
    return False


@dataclass(frozen=True)
class Undecodable:
    """A bus entry whose fields are not a record: why, which source stream, and its raw fields as text."""

    reason: str
    source: str
    raw: str


def dumps(record: Any) -> bytes:
    """Encode a record; what JSON cannot hold (huge ints, odd keys, objects) is kept as text, never lost."""
    try:
        return _dumps(record)
    except (TypeError, ValueError, OverflowError):
        pass
    try:
        return json.dumps(record, ensure_ascii=False, default=repr).encode()
    except (TypeError, ValueError, RecursionError):  # e.g. non-string keys that are not scalars
        return json.dumps({"unencodable": repr(record)[:MAX_RAW_CHARS]}, ensure_ascii=False).encode()


def parse_text(raw: str) -> Any:
    """Parse a JSON body with the same answer however deep the caller's stack is (ValueError when it is not JSON).

    json.loads recurses once per level, so whether a deep body parses would depend on the caller's stack. When it
    runs out, the body is split, by an iterative scan, into pieces at most MAX_DEPTH + 2 levels deep (a record
    inside {"records": [...]} plus its own MAX_DEPTH); every piece is parsed, so what is not JSON is refused as
    before, and each cut container stands as CUT in the value: the record holding one is too deep, as it is when
    the body parses whole, and the rest of a batch is kept.
    """
    try:
        return json.loads(raw)
    except RecursionError:
        top, *deeper = _pieces(raw, MAX_DEPTH + 2)
        try:
            for piece in deeper:  # parsed only to refuse what is not JSON, each at most MAX_DEPTH + 3 deep
                json.loads(piece)
            return json.loads(top, object_hook=_uncut)
        except ValueError as exc:
            raise ValueError(f"nested deeper than {MAX_DEPTH}, and {exc}") from None


def _pieces(raw: str, keep: int) -> list[str]:
    """Split raw at every container opening keep, 2 keep, ... levels down; each leaves the cut marker in its parent."""
    done: list[str] = []
    stack: list[list[str]] = [[]]  # the pieces being written, outermost first
    depth, last = 0, 0
    for match in _TOKEN.finditer(raw):
        token, start = match.group(), match.start()
        if token in "[{":
            depth += 1
            if depth > keep and depth % keep == 1 % keep:
                stack[-1].append(raw[last:start] + _CUT_TEXT)
                stack.append([])
                last = start
        elif token in "]}":
            depth -= 1
            if depth >= keep and depth % keep == 0 and len(stack) > 1:
                stack[-1].append(raw[last : match.end()])
                done.append("".join(stack.pop()))
                last = match.end()
    stack[-1].append(raw[last:])
    while len(stack) > 1:  # unclosed: not JSON, and parsing the piece says so
        done.append("".join(stack.pop()))
        stack[-1].append("")
    return ["".join(stack[0]), *done]


def _uncut(obj: dict[str, Any]) -> Any:
    return CUT if len(obj) == 1 and _CUT_KEY in obj else obj


def loads(data: bytes | str) -> Any:
    """Decode JSON bytes (ValueError, incl. UnicodeDecodeError, when they are not JSON)."""
    return _loads(data)


def decode_fields(fields: Mapping[bytes, bytes] | None, source: str, key: bytes = b"record") -> Any:
    """Return the record in a stream entry's fields, or an Undecodable saying why not."""
    if not fields or key not in fields:
        return Undecodable(f"entry has no '{key.decode()}' field", source, fields_text(fields))
    try:
        return loads(fields[key])
    except ValueError as exc:  # orjson.JSONDecodeError and UnicodeDecodeError are ValueErrors
        return Undecodable(f"undecodable record: {str(exc)[:200]}", source, fields_text(fields))


def decode_pairs(pairs: list[Any], source: str, key: bytes = b"record") -> Any:
    """Like decode_fields, for fields as Redis sends them: a flat [name, value, ...] list."""
    if len(pairs) == 2 and pairs[0] == key:  # the usual entry, one field: no dict to build
        try:
            return _loads(pairs[1])
        except ValueError:
            pass  # decode_fields says why, with the raw fields
    it = iter(pairs)
    return decode_fields(dict(zip(it, it)), source, key)


def fields_text(fields: Mapping[bytes, bytes] | None) -> str:
    """Render raw entry fields as text for a dead letter; bytes that are not UTF-8 are escaped."""
    if not fields:
        return "{}"
    pairs = {_text(k): _text(v) for k, v in fields.items()}
    return json.dumps(pairs, ensure_ascii=False)[:MAX_RAW_CHARS]


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value[:MAX_RAW_CHARS].decode("utf-8", "backslashreplace")
    return str(value)[:MAX_RAW_CHARS]
