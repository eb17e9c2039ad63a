"""Image uploads: checked by their bytes, stored under a random name, served with safe headers."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from portal.auth.models import User
from portal.editor.models import Upload
from portal.extensions import db

STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg|gif|webp)$")
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)
ACCEPTED = "只接受 PNG、JPEG、GIF 或 WebP 格式的图片。"


class UploadRefused(Exception):
    """The file is not an acceptable image; the message says why, in Chinese."""


@dataclass(frozen=True)
class ImageKind:
    content_type: str
    extension: str


def sniff(head: bytes) -> ImageKind | None:
    """Identify an image by its magic bytes, ignoring whatever name or type the browser claimed."""
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return ImageKind(content_type, extension)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ImageKind("image/webp", "webp")
    return None


def looks_like_svg(head: bytes) -> bool:
    """SVG is XML that can carry scripts, so it is refused with its own message."""
    start = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(b"<?xml") or b"<svg" in start


def read_checked(file: FileStorage, max_bytes: int) -> tuple[bytes, ImageKind]:
    """Read the upload, refusing anything too large or not a raster image."""
    data = file.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRefused(f"图片过大：最大 {max_bytes // 1024} KB。")
    if not data:
        raise UploadRefused("文件是空的。")
    if looks_like_svg(data):
        raise UploadRefused("出于安全考虑，不接受 SVG 图片。" + ACCEPTED)
    kind = sniff(data[:16])
    if kind is None:
        raise UploadRefused("无法识别为图片。" + ACCEPTED)
    return data, kind


def upload_dir() -> Path:
    """Where uploaded images live: under the instance dir unless configured elsewhere."""
    return Path(current_app.config["UPLOAD_DIR"])


def store(file: FileStorage, uploader: User) -> Upload:
    """Check and save the file under a random name, and record it (the caller commits)."""
    data, kind = read_checked(file, current_app.config["UPLOAD_MAX_BYTES"])
    return save_image(data, kind, file.filename or "", uploader)


def save_image(data: bytes, kind: ImageKind, original_name: str, uploader: User, name: str = "") -> Upload:
    """Write checked image bytes under a random name (or the one given) and record them (the caller commits)."""
    name = name or f"{secrets.token_hex(16)}.{kind.extension}"
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    upload = Upload(stored_name=name, original_name=original_name[:255], content_type=kind.content_type,
                    size=len(data), uploader_id=uploader.id)
    db.session.add(upload)
    return upload


def markdown_snippet(upload: Upload, description: str = "") -> str:
    """The Markdown that shows the image; brackets and newlines are dropped from the alt text."""
    alt = re.sub(r"[\[\]()\r\n]", "", description).strip() or "说明"
    return f"![{alt}](/uploads/{upload.stored_name})"
