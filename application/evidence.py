"""Evidence photos: check an upload's bytes, then re-encode it as a bounded JPEG and a thumbnail, with no metadata.

A phone's photo carries EXIF: where it was taken (GPS), when, and the device's make, model and serial
number, all personal data of the team member. None of it is needed: the step the photo proves carries
the place, the time and the person as fields. So nothing of the upload is kept but its pixels, redrawn
on a fresh image: no EXIF, no GPS, no XMP, no comment, no ICC profile.

The bytes are hostile until proven otherwise: the size is checked before anything is parsed, the
format is sniffed from the bytes (never from a name), the pixel count is read from the header before
any pixel is decoded, and every failure of the decoders is a refusal, never an error out of here.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from domain.errors import Rejected

MIB = 1024 * 1024
JPEG_QUALITY = 82  # past ~85 the file grows fast for little a screen shows; below ~75 edges ring
# Pillow names a JPEG with a multi-picture extension (many phones' cameras write one) MPO: it is a JPEG.
ALIASES = {"MPO": "JPEG"}


@dataclass(frozen=True)
class EvidenceLimits:
    """What an upload may be, and the sizes a photo is kept at."""

    max_bytes: int = 12 * MIB
    max_pixels: int = 40_000_000  # decoded, 40 MP of RGB is 120 MB; a phone's usual photo is 12 MP
    max_side: int = 1600  # the long side kept
    thumb_side: int = 320
    formats: frozenset[str] = frozenset({"JPEG", "PNG", "WEBP"})


@dataclass(frozen=True)
class Photo:
    """A photo as kept: the JPEG, its thumbnail, the JPEG's size and digest, and the upload's format."""

    jpeg: bytes
    thumb: bytes
    width: int
    height: int
    source_format: str
    sha256: str  # hex, of jpeg


def process(data: bytes, limits: EvidenceLimits = EvidenceLimits()) -> Photo:
    """Return the photo an upload holds, re-encoded without metadata; raise Rejected for anything else."""
    if len(data) > limits.max_bytes:
        raise Rejected("photo_too_large", limit_mb=_round(limits.max_bytes / MIB))
    try:
        with _open(data, limits) as img:
            source_format = ALIASES.get(str(img.format), str(img.format))
            main = _redraw(img, limits.max_side)
        thumb = main.copy()
        thumb.thumbnail((limits.thumb_side, limits.thumb_side), Image.Resampling.LANCZOS)
        jpeg = _jpeg(main)
        return Photo(jpeg, _jpeg(thumb), main.width, main.height, source_format, hashlib.sha256(jpeg).hexdigest())
    except Rejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own guard (Image.MAX_IMAGE_PIXELS, global): an error past twice it, a warning past it,
        # which a process running with warnings as errors (-W error) raises; either is too many pixels.
        raise Rejected("photo_too_many_pixels", limit_mp=_round(limits.max_pixels / 1e6)) from exc
    except Exception as exc:
        # Pillow's parsers answer hostile or truncated input with OSError (UnidentifiedImageError,
        # "image file is truncated"), ValueError, SyntaxError, struct.error, EOFError, IndexError and
        # more (its fuzzers keep finding new ones): whatever they raise, the bytes are not a photo.
        raise Rejected("photo_not_image") from exc


def _open(data: bytes, limits: EvidenceLimits) -> Image.Image:
    """Return the upload opened lazily (header read, no pixel decoded) once its format and size are allowed."""
    img = Image.open(io.BytesIO(data))  # every format Pillow knows: a GIF is told apart from a non-image
    width, height = img.size
    # Our own limit, from the header: Pillow's global one (~89 MP by default) is another module's
    # setting, and changing it would change what every other reader of images accepts.
    if width * height > limits.max_pixels:
        img.close()
        raise Rejected("photo_too_many_pixels", limit_mp=_round(limits.max_pixels / 1e6))
    if ALIASES.get(str(img.format), str(img.format)) not in limits.formats:
        img.close()
        raise Rejected("photo_format", format=str(img.format))
    return img


def _redraw(img: Image.Image, side: int) -> Image.Image:
    """Return the pixels upright, within side x side, flattened on white on a fresh image (no info carried)."""
    ImageOps.exif_transpose(img, in_place=True)  # decodes; the EXIF orientation is applied, then dropped
    upright = img.convert("RGBA" if img.has_transparency_data else "RGB")
    upright.thumbnail((side, side), Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", upright.size, "white")
    canvas.paste(upright, mask=upright if upright.mode == "RGBA" else None)
    return canvas


def _jpeg(img: Image.Image) -> bytes:
    """Return an image as an optimized JPEG; img is a fresh image, so nothing but its pixels is written."""
    out = io.BytesIO()
    # Pillow's JPEG writer takes a comment from img.info (and EXIF, XMP, ICC only when passed): the
    # canvas's info is empty, so the file is a JFIF header and the pixels.
    img.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _round(value: float) -> float | int:
    """Return a limit for a message: whole numbers without a decimal point."""
    return int(value) if value == int(value) else round(value, 1)
