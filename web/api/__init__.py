"""The HTTP API under /api/v1 (docs/api.md): one blueprint; the handler modules import it, never the reverse."""

from web.api import commands, reads, recurring, reports, warnings  # noqa: F401  (each registers its routes on the blueprint)
from web.api.base import api

__all__ = ["api"]
