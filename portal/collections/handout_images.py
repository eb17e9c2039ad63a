"""Uploaded images in handouts: read from the upload folder only, in a format the handout can hold.

WeasyPrint gets a URL fetcher that serves /uploads/<name> from disk and refuses every other URL (a
case body must never make the server fetch anything). Word cannot show WebP and a few other formats,
so those are converted to PNG with Pillow before python-docx embeds them.
"""

from __future__ import annotations

import io
import mimetypes
import re
from pathlib import Path

from flask import current_app

UPLOAD_URL = re.compile(r"^(?:file://)?/uploads/([A-Za-z0-9_-]+\.[A-Za-z0-9]+)$")


def uploaded_file(src: str) -> Path | None:
    """Return the local file behind an /uploads/ URL (as written, or as WeasyPrint resolved it), else None."""
    match = UPLOAD_URL.match(src or "")
    if not match:
        return None
    path = Path(current_app.config["UPLOAD_DIR"]) / match.group(1)
    return path if path.is_file() else None


def upload_fetcher():
    """Return a WeasyPrint URL fetcher that loads uploaded images and nothing else."""
    try:
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:  # WeasyPrint before 66 takes a plain function returning a dict
        return legacy_fetch

    class UploadFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            data, mime_type = upload_bytes(url)
            return URLFetcherResponse(url, data, {"Content-Type": mime_type})

    return UploadFetcher(allowed_protocols=())


def legacy_fetch(url: str, *args, **kwargs) -> dict:
    data, mime_type = upload_bytes(url)
    return {"string": data, "mime_type": mime_type, "redirected_url": url}


def upload_bytes(url: str) -> tuple[bytes, str]:
    """The bytes and type of an uploaded image; any other URL is refused."""
    path = uploaded_file(url)
    if path is None:
        raise ValueError(f"handouts load only uploaded images ({url})")
    return path.read_bytes(), mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def picture_of(path: Path) -> io.BytesIO | None:
    """The image as Word can embed it: as stored (PNG, JPEG, GIF…) or converted to PNG (WebP…)."""
    from docx.image.exceptions import UnrecognizedImageError
    from docx.image.image import Image as WordImage

    data = path.read_bytes()
    try:
        WordImage.from_blob(data)
        return io.BytesIO(data)
    except UnrecognizedImageError:
        return converted_to_png(data)


def converted_to_png(data: bytes) -> io.BytesIO | None:
    """Convert the image's first frame to PNG, keeping transparency; None if Pillow cannot read it."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.seek(0)
            keeps_alpha = "A" in image.getbands() or "transparency" in image.info
            frame = image.convert("RGBA" if keeps_alpha else "RGB")
            stream = io.BytesIO()
            frame.save(stream, format="PNG")
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    stream.seek(0)
    return stream
