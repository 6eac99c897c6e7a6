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
    """Return the Socket.IO mode this process needs: gevent (or eventlet) once its worker patched the stdlib."""
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("socket"):
        return "gevent"
    patcher = sys.modules.get("eventlet.patcher")  # deprecated; measured only (bench/fanout.py --server eventlet)
    if patcher is not None and patcher.is_monkey_patched("socket"):
        return "eventlet"
    return "threading"


def build(settings: Settings | None = None) -> OneMap:
    """Build OneMap in this worker with the Socket.IO mode of its server, and start its loops, once."""
    from app import create_app  # here, not at the top: imported by the worker once gevent patched it
    from config import from_env

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = (settings or from_env([])).with_(async_mode=async_mode())
    onemap = create_app(settings)
    if settings.proxies:  # behind nginx: sign-in limits and the audit trail see the client, not the proxy
        from werkzeug.middleware.proxy_fix import ProxyFix

        n, server = settings.proxies, onemap.server
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n)  # type: ignore[method-assign]
    onemap.start()
    from store.log import shown
    from web import heap

    frozen = heap.settle()  # after start-up (and the demo's warm-up): a full collection walks only what came later

    logging.getLogger("onemap").info(
        "OneMap on http://%s:%s/wall (store %s, %s; %d objects of start-up frozen)",
        settings.host,
        settings.port,
        shown(settings.db_url),
        settings.async_mode,
        frozen,
    )
    return onemap


def application(settings: Settings | None = None) -> Flask:
    """Return the WSGI app of a freshly built and started OneMap (gunicorn's factory: 'wsgi:application()')."""
    return build(settings).server
