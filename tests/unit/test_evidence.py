"""Evidence photos: an upload is a JPEG, PNG or WEBP of bounded size, kept upright, resized and without metadata."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

import pytest
from PIL import Image, ImageFile, ImageOps

import i18n
from application.evidence import EvidenceLimits, process
from domain.errors import Rejected

GPS_IFD, ORIENTATION, MAKE, BODY_SERIAL = 0x8825, 0x0112, 0x010F, 0xA431
SERIAL = "SN-0042-SECRET"
DEFAULTS = EvidenceLimits()


def _image_bytes(img: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **params)
    return out.getvalue()


def _gradient(width: int, height: int) -> Image.Image:
    """Return an image whose pixels differ, so its JPEG has real scan data to cut short."""
    return Image.radial_gradient("L").resize((width, height)).convert("RGB")


def _phone_jpeg(width: int, height: int, orientation: int = 1) -> bytes:
    """Return a JPEG as a phone writes it: EXIF with orientation, make, body serial and a GPS position."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "PhoneMaker"
    exif[BODY_SERIAL] = SERIAL
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (22.0, 33.0, 44.0), 3: "E", 4: (113.0, 55.0, 6.0)})
    return _image_bytes(_gradient(width, height), "JPEG", exif=exif.tobytes(), comment=b"taken by Li Wei")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_header_only(width: int, height: int) -> bytes:
    """Return a PNG that declares width x height 1-bit grey pixels and holds a few bytes of them (a bomb's shape)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def _gif_declaring(width: int, height: int) -> bytes:
    """Return a small real GIF whose logical screen claims width x height."""
    data = bytearray(_image_bytes(Image.new("P", (8, 8)), "GIF"))
    data[6:10] = struct.pack("<HH", width, height)
    return bytes(data)


def _rejected(data: bytes, limits: EvidenceLimits = DEFAULTS) -> Rejected:
    with pytest.raises(Rejected) as caught:
        process(data, limits)
    return caught.value


@pytest.fixture
def no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make decoding any pixel fail: a refusal that decoded would then come out as photo_not_image."""

    def refuse(self: ImageFile.ImageFile) -> None:
        raise AssertionError("pixels decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    monkeypatch.setattr(ImageFile.ImageFile, "load_prepare", refuse)


def test_a_phone_photo_is_kept_with_no_exif_no_gps_no_serial_and_no_comment() -> None:
    source = _phone_jpeg(640, 480)
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(GPS_IFD)  # the input does carry them

    photo = process(source)

    for kept in (photo.jpeg, photo.thumb):
        img = Image.open(io.BytesIO(kept))
        assert img.format == "JPEG" and not img.getexif() and "comment" not in img.info
        assert b"Exif" not in kept and SERIAL.encode() not in kept and b"Li Wei" not in kept
    assert photo.source_format == "JPEG" and photo.sha256 == hashlib.sha256(photo.jpeg).hexdigest()


def test_a_photo_is_turned_upright_by_its_exif_orientation() -> None:
    photo = process(_phone_jpeg(300, 200, orientation=6))  # 6: the camera was held turned a quarter

    assert (photo.width, photo.height) == (200, 300)
    assert Image.open(io.BytesIO(photo.jpeg)).size == (200, 300)


def test_a_large_photo_is_kept_at_1600_px_and_its_thumbnail_at_320_px_on_the_long_side() -> None:
    photo = process(_image_bytes(Image.new("RGB", (4000, 3000), "teal"), "JPEG"))

    assert (photo.width, photo.height) == (1600, 1200)
    assert Image.open(io.BytesIO(photo.jpeg)).size == (1600, 1200)
    assert Image.open(io.BytesIO(photo.thumb)).size == (320, 240)


def test_a_small_photo_is_not_enlarged() -> None:
    photo = process(_image_bytes(Image.new("RGB", (200, 100), "teal"), "PNG"))

    assert (photo.width, photo.height) == (200, 100) and Image.open(io.BytesIO(photo.thumb)).size == (200, 100)


def test_a_png_with_transparency_becomes_a_jpeg_flattened_on_white() -> None:
    img = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    img.paste((200, 0, 0, 255), (50, 0, 100, 100))

    photo = process(_image_bytes(img, "PNG"))

    out = Image.open(io.BytesIO(photo.jpeg))
    assert out.format == "JPEG" and out.mode == "RGB" and photo.source_format == "PNG"
    assert min(out.getpixel((10, 50))) >= 245  # transparent: white, not black
    red, green, _ = out.getpixel((90, 50))
    assert red > 180 and green < 40


def test_webp_and_a_phones_multi_picture_jpeg_are_accepted() -> None:
    assert process(_image_bytes(_gradient(64, 48), "WEBP")).source_format == "WEBP"
    mpo = _image_bytes(_gradient(64, 48), "MPO", save_all=True, append_images=[_gradient(32, 24)])
    assert Image.open(io.BytesIO(mpo)).format == "MPO"
    assert process(mpo).source_format == "JPEG"


def test_a_file_over_the_byte_limit_is_refused_before_anything_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "open", lambda *a, **k: pytest.fail("parsed"))  # would surface as photo_not_image
    huge = b"\xff\xd8\xff\xe0" + bytes(50 * 1024 * 1024)

    refused = _rejected(huge)

    assert refused.code == "photo_too_large" and refused.params == {"limit_mb": 12}


def test_a_decompression_bomb_is_refused_from_its_header_without_decoding(no_decoding: None) -> None:
    bomb = _png_header_only(20_000, 20_000)  # 400 MP: past Pillow's own guard too
    assert len(bomb) < 200

    refused = _rejected(bomb)

    assert refused.code == "photo_too_many_pixels" and refused.params == {"limit_mp": 40}


def test_an_image_over_our_pixel_limit_but_under_pillows_is_refused_without_decoding(no_decoding: None) -> None:
    limit_before = Image.MAX_IMAGE_PIXELS
    assert _rejected(_png_header_only(7_000, 7_000)).code == "photo_too_many_pixels"  # 49 MP
    assert _rejected(_gif_declaring(8_000, 8_000)).code == "photo_too_many_pixels"  # 64 MP, a GIF
    assert _rejected(_gif_declaring(60_000, 60_000)).code == "photo_too_many_pixels"  # past Pillow's guard
    assert _rejected(_png_header_only(300, 300), EvidenceLimits(max_pixels=50_000)).code == "photo_too_many_pixels"
    assert Image.MAX_IMAGE_PIXELS == limit_before  # the global guard is left as it was


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"#!/bin/sh\nrm -rf /\n", id="a script named .jpg"),
        pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', id="svg"),
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', id="xml"
        ),
        pytest.param(b"<html><body><img src=x onerror=alert(1)></body></html>", id="html"),
        pytest.param(b"\xff\xd8\xff\xe0" + b"\0" * 100, id="a jpeg's first bytes and nothing"),
        pytest.param(b"", id="empty"),
    ],
)
def test_what_is_not_an_image_is_refused_whatever_it_claims(data: bytes) -> None:
    assert _rejected(data).code == "photo_not_image"


def test_a_truncated_jpeg_is_refused() -> None:
    whole = _image_bytes(_gradient(640, 480), "JPEG")
    assert process(whole)  # the whole file is a photo

    assert _rejected(whole[: len(whole) * 2 // 3]).code == "photo_not_image"


def test_a_png_whose_text_inflates_past_pillows_limit_is_refused() -> None:
    png = _image_bytes(Image.new("RGB", (8, 8)), "PNG")
    text_bomb = _chunk(b"zTXt", b"k\0\0" + zlib.compress(b"a" * 2 * 1024 * 1024))  # Pillow raises ValueError
    at = png.index(b"IDAT") - 4

    assert _rejected(png[:at] + text_bomb + png[at:]).code == "photo_not_image"


@pytest.mark.parametrize("error", [ValueError, SyntaxError, struct.error, EOFError, IndexError, TypeError, KeyError])
def test_whatever_a_decoder_raises_is_a_refusal_not_an_error(
    error: type[Exception], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(img: Image.Image, **_: object) -> None:
        raise error("hostile input")

    monkeypatch.setattr(ImageOps, "exif_transpose", fail)

    assert _rejected(_image_bytes(Image.new("RGB", (8, 8)), "PNG")).code == "photo_not_image"


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_a_real_image_in_another_format_is_refused_naming_it(fmt: str) -> None:
    refused = _rejected(_image_bytes(Image.new("RGB", (32, 32), "teal"), fmt))

    assert refused.code == "photo_format" and refused.params == {"format": fmt}


def test_every_refusal_has_a_message_in_both_languages_with_its_limit() -> None:
    refusals = [
        _rejected(bytes(3 * 512 * 1024 + 1), EvidenceLimits(max_bytes=3 * 512 * 1024)),
        _rejected(b"not an image"),
        _rejected(_image_bytes(Image.new("RGB", (8, 8)), "GIF")),
        _rejected(_png_header_only(2_000, 1_000), EvidenceLimits(max_pixels=1_500_000)),
    ]
    shown = {lang: [i18n.error(r.code, lang, **r.params) for r in refusals] for lang in i18n.LANGS}

    assert [r.code for r in refusals] == ["photo_too_large", "photo_not_image", "photo_format", "photo_too_many_pixels"]
    for lang in i18n.LANGS:
        assert "1.5 MB" in shown[lang][0] and "GIF" in shown[lang][2] and "1.5 " in shown[lang][3], shown[lang]
    assert all("{" not in text for texts in shown.values() for text in texts)
