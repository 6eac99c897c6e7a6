"""Faster constructors and copies for the frozen dataclasses made once per ingested record (plain fields only)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import MISSING
from typing import Any, TypeVar

T = TypeVar("T")
_LOCALS = frozenset({"_o", "_d", "_new", "_cls"})  # names the compiled constructors use themselves


def quick_init(cls: type[T]) -> type[T]:
    """Decorator: give a frozen dataclass a faster __init__ (see _compile); the objects are the same."""
    cls.__init__ = _compile(cls, as_init=True)  # type: ignore[method-assign]
    return cls


def quick_new(cls: type[T]) -> Callable[..., T]:
    """Return a faster constructor of a frozen dataclass whose own __init__ stays as it is (see _compile)."""
    return _compile(cls, as_init=False)


def quick_replace(obj: T, **changes: Any) -> T:
    """Return a copy of a frozen dataclass of plain fields with some fields changed: dataclasses.replace, without
    its field-by-field checks and __init__ (the folds replace an incident or an order for nearly every event)."""
    assert changes.keys() <= obj.__dict__.keys(), f"not fields of {type(obj).__name__}: {set(changes) - set(vars(obj))}"
    new = object.__new__(type(obj))
    d = new.__dict__
    d.update(obj.__dict__)
    d.update(changes)
    return new


def _compile(cls: type, *, as_init: bool) -> Callable[..., Any]:
    """Compile a constructor that fills a new object's __dict__ field by field, in field order."""
    # A frozen dataclass's own __init__ calls object.__setattr__ once a field, over twice as slow, and
    # the ingest path makes several such objects a record. Filled in field order, the dict keeps
    # sharing its keys with the class's other instances, as with the generated __init__.
    fields = dataclasses.fields(cls)
    frozen = cls.__dataclass_params__.frozen  # type: ignore[attr-defined]  # dataclasses' own, not in typeshed
    if (
        not frozen
        or hasattr(cls, "__post_init__")
        or "__slots__" in vars(cls)
        or any(f.default_factory is not MISSING or not f.init or f.kw_only or f.name in _LOCALS for f in fields)
    ):
        raise TypeError(f"{cls.__name__}: only frozen dataclasses of plain fields are compiled")
    params = ", ".join(f.name if f.default is MISSING else f"{f.name}=_v_{f.name}" for f in fields)
    fill = "".join(f"    _d[{f.name!r}] = {f.name}\n" for f in fields)
    head = f"def __init__(_o, {params}):\n" if as_init else f"def new({params}):\n    _o = _new(_cls)\n"
    scope: dict[str, Any] = {
        "_new": object.__new__,
        "_cls": cls,
        **{f"_v_{f.name}": f.default for f in fields if f.default is not MISSING},
    }
    # As dataclasses does; the source holds nothing but the class's own field names.
    exec(head + "    _d = _o.__dict__\n" + fill + ("" if as_init else "    return _o\n"), scope)  # noqa: S102
    made: Callable[..., Any] = scope["__init__" if as_init else "new"]
    made.__qualname__ = f"{cls.__qualname__}.{made.__name__}"
    return made
