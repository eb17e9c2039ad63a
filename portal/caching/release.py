"""A fingerprint of the code that renders pages, so a deploy never serves pages cached by the old code.

The page cache lives on disk and survives a restart, and browsers keep ETags: both are keyed by the
content generation, which a deploy does not change. Adding this fingerprint to the keys turns the cache
over when templates, styles, scripts, Python code or the Markdown renderer change.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from portal.markdown import RENDERER_VERSION

RENDERING_SUFFIXES = {".py", ".html", ".css", ".js", ".svg", ".txt", ".yml"}
PORTAL_DIR = Path(__file__).resolve().parent.parent


def code_fingerprint(root: Path = PORTAL_DIR) -> str:
    """Return a short hash of every rendering file below `root` (names and contents) and the renderer."""
    digest = hashlib.sha256(f"renderer:{RENDERER_VERSION}".encode())
    for path in sorted(p for p in root.rglob("*") if p.suffix in RENDERING_SUFFIXES and p.is_file()):
        if "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:10]
