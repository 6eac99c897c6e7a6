"""The production app: built in the gunicorn worker, after the fork and after gevent patched the standard library.

`python serve.py` runs it; with a gunicorn of your own: `gunicorn -k gevent -w 1 'wsgi:application()'` (never
--preload: the loops must start in the worker, and psycopg must be imported after the patching).
"""
from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from app import OneMap
    from config import Settings


def async_mode() -> str:
    """Return the Socket.IO mode this process needs: gevent once its worker patched the standard library."""
    monkey = sys.modules.get("gevent.monkey")
    return "gevent" if monkey is not None and monkey.is_module_patched("socket") else "threading"


def build(settings: Settings | None = None) -> OneMap:
    """Build OneMap in this worker with the Socket.IO mode of its server, and start its loops, once."""
    from app import create_app  # here, not at the top: imported by the worker once gevent patched it
    from config import from_env

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = (settings or from_env([])).with_(async_mode=async_mode())
    onemap = create_app(settings)
    onemap.start()
    logging.getLogger("onemap").info("OneMap on http://%s:%s/wall (store %s, %s)", settings.host, settings.port,
                                     settings.db_url, settings.async_mode)
    return onemap


def application(settings: Settings | None = None) -> Flask:
    """Return the WSGI app of a freshly built and started OneMap (gunicorn's factory: 'wsgi:application()')."""
    return build(settings).server
