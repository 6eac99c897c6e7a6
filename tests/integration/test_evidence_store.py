"""Evidence photos are rows of the log's database: SQLite embedded, PostgreSQL shared by every web process."""

from __future__ import annotations

import io

from PIL import Image

from application.evidence import Photo, process
from store.evidence import EvidenceStore
from store.log import make_engine
from tests.support import PG_URL, T0, Clock


def _photo(color: str, size: tuple[int, int] = (800, 600)) -> Photo:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return process(out.getvalue())


def test_a_photo_put_is_got_back_with_its_thumbnail_and_what_is_known_of_it(engine, clock: Clock) -> None:
    photos = EvidenceStore(engine, clock)
    photo = _photo("teal")

    photo_id = photos.put(photo, "inc-1", "arrive", "team.li", note="pump running")

    assert photos.get(photo_id) == photo.jpeg and photos.get(photo_id, thumb=True) == photo.thumb
    assert photos.meta(photo_id) == {
        "id": photo_id,
        "incident_id": "inc-1",
        "step": "arrive",
        "uploaded_by": "team.li",
        "at": T0,
        "note": "pump running",
        "width": 800,
        "height": 600,
        "sha256": photo.sha256,
    }


def test_an_unknown_photo_is_none(engine, clock: Clock) -> None:
    photos = EvidenceStore(engine, clock)

    assert photos.get("nope") is None and photos.get("nope", thumb=True) is None and photos.meta("nope") is None
    assert photos.for_incident("inc-1") == []


def test_an_incidents_photos_are_listed_oldest_first_without_their_bytes(engine, clock: Clock) -> None:
    photos = EvidenceStore(engine, clock)
    first = photos.put(_photo("red"), "inc-1", "arrive", "team.li")
    clock.advance(60)
    photos.put(_photo("blue"), "inc-2", "arrive", "team.wu")
    clock.advance(60)
    second = photos.put(_photo("green", (300, 400)), "inc-1", "resolve", "team.li", note="done")

    listed = photos.for_incident("inc-1")

    assert [(p["id"], p["step"], p["at"]) for p in listed] == [(first, "arrive", T0), (second, "resolve", T0 + 120)]
    assert all("jpeg" not in p and "thumb" not in p for p in listed)
    assert (listed[1]["width"], listed[1]["height"], listed[1]["note"]) == (300, 400, "done")


def test_a_photo_put_through_one_web_process_is_got_through_another(pg_schema: str, clock: Clock) -> None:
    one, other = make_engine(PG_URL, schema=pg_schema), make_engine(PG_URL, schema=pg_schema)
    try:
        photo = _photo("orange")
        photo_id = EvidenceStore(one, clock).put(photo, "inc-9", "arrive", "team.li")

        reader = EvidenceStore(other, clock)

        assert reader.get(photo_id) == photo.jpeg and reader.get(photo_id, thumb=True) == photo.thumb
        assert [p["id"] for p in reader.for_incident("inc-9")] == [photo_id]
    finally:
        one.dispose()
        other.dispose()
