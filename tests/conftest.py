"""Shared fixtures: the demo district, a clock tests move by hand, stores on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from application.district import build_district, load_fixtures
from domain.model import District
from tests.support import PG_URL, REDIS_URL, T0, Clock

__all__ = ["PG_URL", "REDIS_URL", "T0", "Clock"]  # older imports of these from conftest keep working


def pytest_configure(config: pytest.Config) -> None:
    """Make a UI string missing from the catalog an error in every test, not the key shown silently."""
    import i18n

    i18n.set_strict(True)


@pytest.fixture(scope="session")
def boundaries():
    from geo.boundaries import demo_boundaries

    return demo_boundaries()


@pytest.fixture(scope="session")
def district(boundaries) -> District:
    return build_district(boundaries.townships, boundaries.neighbours(), load_fixtures())


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A PostgreSQL schema of the test's own, dropped after; a missing server fails the test."""
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(PG_URL)
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # never skip: CI must fail when the service is missing
        pytest.fail(f"PostgreSQL is required at {PG_URL}: {exc}")
    yield schema
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    """An engine on SQLite (a file of the test's own) and on PostgreSQL (a schema of the test's own)."""
    from store.log import make_engine

    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'log.sqlite3'}")
        yield eng
    else:
        schema = request.getfixturevalue("pg_schema")
        eng = make_engine(PG_URL, schema=schema)
        yield eng
    eng.dispose()
