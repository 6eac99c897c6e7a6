"""`python serve.py`: OneMap on gunicorn with one gevent worker, the production server (`python app.py` is the dev one).

Takes app.py's flags. One worker per process: Socket.IO needs every request of a client at the same process, so
N processes are N `serve.py` on N ports behind nginx's sticky upstream (deploy/nginx.conf), with REDIS_URL set.
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from config import Settings, serve_from_env

BOOT_TIMEOUT_S = 300  # the worker's start replays the event log before its first heartbeat; beyond this it is replaced
GRACEFUL_S = 10  # on SIGTERM: open sockets get this long, then the worker exits
GEVENT_CONNECTIONS = 10_000  # sockets one gevent worker holds: every wall, console and API call
GTHREAD_THREADS = 1_000  # gthread holds a socket per thread (and threading mode a second thread per websocket)


def options(settings: Settings, worker: str) -> dict[str, Any]:
    """Return gunicorn's settings for one worker of this class on the configured address."""
    opts: dict[str, Any] = {
        "bind": f"{settings.host}:{settings.port}",
        "workers": 1,
        "worker_class": worker,
        "timeout": BOOT_TIMEOUT_S,
        "graceful_timeout": GRACEFUL_S,
        "proc_name": "onemap",
        "accesslog": None,
        "errorlog": "-",
        "preload_app": False,
    }
    if worker == "gevent":
        opts["worker_connections"] = GEVENT_CONNECTIONS
    else:
        opts["threads"] = GTHREAD_THREADS
    return opts


class Server(BaseApplication):  # type: ignore[misc]  # gunicorn is untyped
    """Gunicorn, configured here rather than from its own command line, serving wsgi.build's app."""

    def __init__(self, settings: Settings, worker: str) -> None:
        self.settings, self.worker = settings, worker
        self.onemap: Any = None  # built in the worker
        super().__init__()

    def load_config(self) -> None:
        for key, value in options(self.settings, self.worker).items():
            self.cfg.set(key, value)
        self.cfg.set("worker_exit", self._worker_exit)

    def load(self) -> Any:
        import wsgi  # in the worker, after the fork and gevent's patching: so are the app and psycopg

        self.onemap = wsgi.build(self.settings)
        return self.onemap.server

    def _worker_exit(self, _arbiter: Any, _worker: Any) -> None:
        if self.onemap is not None:  # the loops end between two rounds: no batch is cut in half
            self.onemap.stop.set()


def main() -> None:
    """Serve OneMap on gunicorn: `python serve.py [--host H] [--port P] [--no-simulator] ...`."""
    settings, worker = serve_from_env()
    Server(settings, worker).run()


if __name__ == "__main__":
    main()
