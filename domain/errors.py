"""Why the domain refused a command: a code the edges translate, with its parameters."""

from __future__ import annotations

from typing import Any


class Rejected(Exception):
    """A command the domain refuses; `code` is a key of the UI string catalog (error.<code>)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(f"{code} {params}" if params else code)
        self.code = code
        self.params = params
