"""The cases feature's extension points: other features decorate its pages by answering these signals.

Cases imports no feature above it. A feature connects its receivers in its init_app, e.g. collections
answers `case_page` with the collections a case appears in. Receivers return values (blinker hands
them back to the sender), which the page merges; see `contributions()`.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

home_page = _signals.signal("home-page", doc="Sent with no sender; receivers return extra template context.")
case_page = _signals.signal("case-page", doc="Sent with the case shown; receivers return extra template context.")
sitemap_urls = _signals.signal(
    "sitemap-urls", doc="Sent with no sender; receivers return (absolute URL, last modified or None) pairs.")


def contributions(signal, sender=None, **kwargs) -> dict:
    """Merge the dicts every receiver of `signal` returns into one template context."""
    merged: dict = {}
    for _receiver, value in signal.send(sender, **kwargs):
        merged.update(value or {})
    return merged


def collected(signal, sender=None, **kwargs) -> list:
    """Concatenate the lists every receiver of `signal` returns."""
    return [item for _receiver, value in signal.send(sender, **kwargs) for item in value or []]
