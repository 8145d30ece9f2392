"""The check of an uploaded logo: really a PNG or a JPEG (Pillow reads and decodes every pixel of it, whatever its
name or declared type says), at most 1 MB, and of sane dimensions for a header and a proposal's cover."""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError

MAX_LOGO_BYTES = 1_000_000
MAX_SIDE = 4000  # pixels: a 4000 x 4000 logo is already far more than a cover needs
MIN_SIDE = 16
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
_STRICT = threading.Lock()  # one check at a time changes Pillow's process-wide setting


class LogoRefused(Exception):
    """The upload is not a logo the firm can use; the message says why, in the reader's language."""


def checked_logo(data: bytes) -> tuple[bytes, str]:
    """The logo's bytes as uploaded and its media type (image/png or image/jpeg); raises ``LogoRefused``."""
    if not data:
        raise LogoRefused(_("The file is empty."))
    if len(data) > MAX_LOGO_BYTES:
        raise LogoRefused(_("The logo is larger than 1 MB. Please upload a smaller PNG or JPEG."))
    kind, width, height = _decoded(data)
    if kind not in FORMATS:
        raise LogoRefused(_("The logo must be a PNG or JPEG image."))
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise LogoRefused(
            _(
                "The logo is %(width)s × %(height)s pixels: each side must be between %(low)s and %(high)s.",
                width=width,
                height=height,
                low=MIN_SIDE,
                high=MAX_SIDE,
            )
        )
    return data, FORMATS[kind]


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Decode a truncated file as the error it is: WeasyPrint, once imported, tells Pillow to fill in the
    missing rows of any truncated image, process-wide; this check turns that off while it decodes."""
    with _STRICT:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _decoded(data: bytes) -> tuple[str, int, int]:
    """The image's format and size once every pixel has been decoded (a truncated or disguised file fails)."""
    try:
        with warnings.catch_warnings(), _strict_decoding():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = str(image.format or ""), image.size
                if kind in FORMATS and max(width, height) <= MAX_SIDE:
                    image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):  # fmt: skip
        raise LogoRefused(_("The file is not a PNG or JPEG image Readiness can read.")) from None
    return kind, width, height
