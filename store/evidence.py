"""Evidence photos kept in the database: the re-encoded JPEG, its thumbnail, and who took it for which step."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.engine import Engine

from store.tables import evidence, metadata

# Every column but the bytes: what a list of an incident's photos shows.
META = [c for c in evidence.c if c.name not in ("jpeg", "thumb")]


class PhotoData(Protocol):
    """What is kept of a photo: application.evidence.Photo (the store imports no higher layer)."""

    @property
    def jpeg(self) -> bytes: ...
    @property
    def thumb(self) -> bytes: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...
    @property
    def sha256(self) -> str: ...


class EvidenceStore:
    """Put and get evidence photos.

    The engine is the event log's: the embedded default's SQLite file in the data directory, or in the
    scaled mode the one PostgreSQL every web process shares. The photos are rows of that same database,
    never files on one machine's disk, so every web process reads every photo whichever took it in.
    """

    def __init__(self, engine: Engine, clock: Callable[[], float]) -> None:
        self.engine, self.clock = engine, clock
        metadata.create_all(engine)

    def put(self, photo: PhotoData, incident_id: str, step: str, uploaded_by: str, note: str = "") -> str:
        """Keep a photo taken for an incident's step; return its new id."""
        photo_id = uuid.uuid4().hex
        row = {
            "id": photo_id,
            "incident_id": incident_id,
            "step": step,
            "uploaded_by": uploaded_by,
            "at": self.clock(),
            "note": note,
            "width": photo.width,
            "height": photo.height,
            "sha256": photo.sha256,
            "jpeg": photo.jpeg,
            "thumb": photo.thumb,
        }
        with self.engine.begin() as conn:
            conn.execute(evidence.insert(), [row])
        return photo_id

    def get(self, photo_id: str, thumb: bool = False) -> bytes | None:
        """Return a photo's JPEG, or its thumbnail's; None for an unknown id."""
        column = evidence.c.thumb if thumb else evidence.c.jpeg
        with self.engine.connect() as conn:
            data = conn.execute(select(column).where(evidence.c.id == photo_id)).scalar()
        return None if data is None else bytes(data)

    def meta(self, photo_id: str) -> dict[str, Any] | None:
        """Return what is known of a photo but its bytes; None for an unknown id."""
        with self.engine.connect() as conn:
            row = conn.execute(select(*META).where(evidence.c.id == photo_id)).mappings().first()
        return None if row is None else dict(row)

    def for_incident(self, incident_id: str) -> list[dict[str, Any]]:
        """Return what is known of an incident's photos but their bytes, oldest first."""
        query = select(*META).where(evidence.c.incident_id == incident_id).order_by(evidence.c.at, evidence.c.id)
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]
