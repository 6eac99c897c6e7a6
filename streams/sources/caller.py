"""A caller's id (a phone number, an account) as a keyed hash: all that is kept of it, from the ingest edge on.

The recurring problems count the same caller on the same matter (同人+同事), which needs to know that two reports
came from one caller, never who it is. So an adapter reads the caller's id and keeps only HMAC-SHA256 of it under a
key derived from the installation's secret, cut to 16 hex digits: the same caller gives the same pseudonym in every
process of one installation, and nothing that reaches the log, a screen or an export turns back into a number
without the secret. An adapter without a key (a tool's, a test's) keeps no caller at all.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from typing import Any

from streams.sources.base import text

PSEUDONYM_HEX = 16  # 64 bits: no two callers of a district share one by chance
MAX_CALLER = 64
# The fields of a record that name a person: the caller's id is read from the first, the rest are never read; all
# are masked in a dead letter's raw payload (Open311's own names for the requester).
PERSONAL = ("caller", "phone", "email", "first_name", "last_name", "account_id", "device_id")
MASK = "<masked>"
_PHONE_MARKS = str.maketrans("", "", " -().+\u3000")
# "field": "value" or a number; a value cut short by a length limit is masked to the end of the text.
_IN_TEXT = re.compile(r'("(?:' + "|".join(PERSONAL) + r')"\s*:\s*)("(?:[^"\\]|\\.)*(?:"|$)|[-+\d.eE]+)')


def caller_key(secret: str) -> bytes:
    """Return the key the callers are hashed with: derived from the installation's secret, for this use only."""
    return hmac.new(secret.encode(), b"onemap/caller-id/v1", hashlib.sha256).digest()


def normalized(raw: str) -> str:
    """Return a caller id in one form: a phone number's digits (no +86 / 0086 before a mobile), else the text."""
    digits = raw.translate(_PHONE_MARKS)
    if not digits.isdigit():
        return raw.strip().casefold()
    for prefix in ("0086", "86"):
        rest = digits[len(prefix) :]
        if digits.startswith(prefix) and len(rest) == 11 and rest.startswith("1"):
            return rest
    return digits


def pseudonym(key: bytes, raw: str) -> str:
    """Return the keyed hash of a caller id (16 hex digits)."""
    return hmac.new(key, normalized(raw).encode(), hashlib.sha256).hexdigest()[:PSEUDONYM_HEX]


def read_caller(raw: Mapping[str, Any], field: str, key: bytes) -> str:
    """Read a record's optional caller id and return its pseudonym ("" without one, or without a key)."""
    value = text(raw, field, required=False, limit=MAX_CALLER)
    return pseudonym(key, value) if value and key else ""


def masked_text(body: str) -> str:
    """Return a JSON text with the values of its personal fields masked at any depth (a dead letter's raw payload)."""
    return _IN_TEXT.sub(lambda m: m.group(1) + json.dumps(MASK), body) if '"' in body else body
