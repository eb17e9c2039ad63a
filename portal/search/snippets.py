"""Highlighted snippets: the passage of a case that best matches the query, with <mark> around hits."""

from __future__ import annotations

from markupsafe import Markup, escape

from portal.search.analysis import normalize

SNIPPET_CHARS = 120


def hit_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Return merged (start, end) ranges where any term occurs in the normalized text."""
    folded = normalize(text)
    spans = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        start = folded.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = folded.find(term, start + len(term))
    return merge(sorted(spans))


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def best_window(spans: list[tuple[int, int]], length: int, size: int) -> int:
    """Return the start of the window of `size` characters covering the most hits."""
    if not spans:
        return 0
    best_start, best_count, right = spans[0][0], 0, 0
    for left, (start, _end) in enumerate(spans):
        right = max(right, left)
        while right + 1 < len(spans) and spans[right + 1][1] <= start + size:
            right += 1
        if right - left + 1 > best_count:
            best_start, best_count = start, right - left + 1
    lead = size // 5
    return max(0, min(best_start - lead, max(0, length - size)))


def mark(text: str, spans: list[tuple[int, int]], start: int, end: int) -> Markup:
    """Escape text[start:end] and wrap the hit ranges inside it in <mark>."""
    pieces, cursor = [], start
    for hit_start, hit_end in spans:
        hit_start, hit_end = max(hit_start, start), min(hit_end, end)
        if hit_start >= hit_end:
            continue
        pieces.append(escape(text[cursor:hit_start]))
        pieces.append(Markup("<mark>%s</mark>") % text[hit_start:hit_end])
        cursor = hit_end
    pieces.append(escape(text[cursor:end]))
    return Markup("").join(pieces)


def snippet(texts: list[str], terms: list[str], size: int = SNIPPET_CHARS) -> Markup:
    """Return an escaped, highlighted passage from the first text that contains a term."""
    for text in texts:
        text = " ".join((text or "").split())
        spans = hit_spans(text, terms)
        if spans:
            start = best_window(spans, len(text), size)
            end = min(len(text), start + size)
            prefix = "…" if start > 0 else ""
            suffix = "…" if end < len(text) else ""
            return Markup(prefix) + mark(text, spans, start, end) + Markup(suffix)
    fallback = " ".join((texts[0] if texts else "").split())
    return escape(fallback[:size]) + ("…" if len(fallback) > size else "")


def highlight_title(title: str, terms: list[str]) -> Markup:
    """Return the escaped title with query words marked."""
    return mark(title, hit_spans(title, terms), 0, len(title))
