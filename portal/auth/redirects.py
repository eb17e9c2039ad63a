"""Safe `next=` targets: only paths on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

# Characters browsers treat as path separators or silently drop, which turn "/x" into "//evil".
_SUSPICIOUS = ("\\", "\t", "\n", "\r", "\x00")


def is_safe_next(target: str | None) -> bool:
    """Return True if `target` is a relative path on this site (no scheme, host or protocol-relative URL)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if any(char in target for char in _SUSPICIOUS) or any(ord(char) < 32 for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default: str) -> str:
    """Return `target` if it is safe, else `default`."""
    return target if is_safe_next(target) else default
