"""A body's depth is judged the same from any stack: a too-deep record is cut from its batch, never the batch."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest

from streams.codec import MAX_DEPTH, parse_text, too_deep

DEEP = '{"a":' * 970 + '{"x":1}' + "}" * 970
BATCH = '{"records":[{"source":"12345","source_id":"GOOD-1"},{"source":"12345","source_id":"DEEP-1","x":%s}]}' % DEEP


def frames_down(n: int, fn: Callable[[], Any]) -> Any:
    """Call fn with n more Python frames on the stack."""
    return fn() if n == 0 else frames_down(n - 1, fn)


def in_thread(fn: Callable[[], Any]) -> Any:
    """Call fn on a new thread and return what it returned or raised."""
    out: list[Any] = []

    def run() -> None:
        try:
            out.append(fn())
        except BaseException as exc:  # the caller compares it
            out.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return out[0]


def judged(body: str) -> list[bool]:
    return [too_deep(r) for r in parse_text(body)["records"]]


def near_the_limit() -> int:
    """Return how many frames down leaves a few hundred before the recursion limit (some tools raise it)."""
    return sys.getrecursionlimit() - 400


def test_the_plain_parser_fails_a_970_deep_body_far_down_the_stack_so_the_stack_matters():
    with pytest.raises(RecursionError):
        frames_down(near_the_limit(), lambda: json.loads(BATCH))


@pytest.mark.parametrize("where", ["here", "500 frames down", "near the limit", "a thread", "a thread 500 down"])
def test_a_970_deep_record_is_too_deep_and_its_batch_mate_kept_from_any_stack(where):
    call = {
        "here": lambda f: f(),
        "500 frames down": lambda f: frames_down(500, f),
        "near the limit": lambda f: frames_down(near_the_limit(), f),
        "a thread": in_thread,
        "a thread 500 down": lambda f: in_thread(lambda: frames_down(500, f)),
    }[where]
    assert call(lambda: judged(BATCH)) == [False, True]
    assert call(lambda: parse_text(BATCH))["records"][0] == {"source": "12345", "source_id": "GOOD-1"}


@pytest.mark.parametrize(
    "bad",
    [
        '{"records":[' + "[" * 2000 + "]" * 1999 + "]}",  # one closer short
        '{"records":[' + "[" * 2000 + "]" * 1999 + "}]}",  # a closer of the wrong kind, deep down
        '{"records":[' + "[" * 2000 + "1 2" + "]" * 2000 + "]}",  # no comma, deep down
        '{"records":[' + "[" * 2000 + '"open' + "]" * 2000 + "]}",  # a string never closed
        "[" * 100_000,
    ],
)
def test_a_deep_body_that_is_not_json_is_refused_from_any_stack(bad):
    for depth in (0, 500):
        with pytest.raises(ValueError):
            frames_down(depth, lambda: parse_text(bad))


def test_a_record_at_the_limit_is_kept_and_one_level_more_is_too_deep_in_a_deep_body():
    at_limit = "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1)
    over = "[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH
    body = '{"records":[{"x":%s},{"x":%s},%s]}' % (at_limit, over, "[" * 3000 + "]" * 3000)
    assert frames_down(800, lambda: judged(body)) == [False, True, True]
    assert frames_down(800, lambda: parse_text(body))["records"][0] == json.loads('{"x":%s}' % at_limit)


def test_brackets_and_the_cut_marker_inside_strings_are_only_text():
    body = '{"records":[{"k":"[[[{{\\u0000onemap:cut"},%s]}' % ("[" * 3000 + "]" * 3000)
    assert frames_down(500, lambda: parse_text(body))["records"][0] == {"k": "[[[{{\x00onemap:cut"}
