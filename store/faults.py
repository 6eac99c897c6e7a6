"""Which failures mean a server is out of reach (the store, the bus) rather than a bad request or a bug."""

from __future__ import annotations

import redis
from sqlalchemy import exc as sa

STORE, BUS = "store", "bus"


def unavailable(exc: BaseException) -> str:
    """Return "store" or "bus" when exc says that server cannot be reached now, else ""."""
    if isinstance(exc, (redis.ConnectionError, redis.TimeoutError)):  # BusyLoadingError too: Redis restarting
        return BUS
    if isinstance(exc, (sa.OperationalError, sa.InterfaceError, sa.TimeoutError)):  # refused, dropped, pool exhausted
        return STORE
    if isinstance(exc, sa.DBAPIError) and exc.connection_invalidated:  # the connection died mid-statement
        return STORE
    return ""
