"""Text leaving the product for a spreadsheet: what Excel or WPS would run as a formula goes as plain text."""

from __future__ import annotations

from typing import Any

# OWASP's CSV injection list: a cell starting with one of these is a formula (or becomes one) in Excel, WPS, LibreOffice.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # and full-width forms


def is_formula_like(value: Any) -> bool:
    """Tell whether a cell's value is text a spreadsheet would run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def neutralise(value: Any) -> Any:
    """Return the value for a CSV cell: text a spreadsheet would run gets a leading ' (shown as text); numbers stay."""
    return f"'{value}" if is_formula_like(value) else value
