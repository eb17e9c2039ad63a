"""Chinese typography: straight quotes in Chinese text become “ ” ‘ ’, half-width punctuation between
Chinese characters, or ending a Chinese sentence or clause, becomes full-width; code, URLs, link targets,
HTML tags and Latin text stay as they are.

normalize() is idempotent: its output contains nothing its rules would change again.
"""

from __future__ import annotations

import re

CJK = r"\u3400-\u9fff\uf900-\ufaff"
# Chinese characters and the full-width punctuation that sits beside them.
CHINESE_SIDE = rf"[{CJK}\u3000-\u303f\uff01-\uff5e“”‘’]"
# Spans left exactly as written: fenced and inline code, URLs, Markdown link targets, HTML tags.
PROTECTED = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`|https?://[^\s)\]>“”]+|\]\([^)\n]*\)|<[^>\n]+>", re.S)
DOUBLE = re.compile(rf'(?P<before>^|.)"(?P<inside>[^"\n]*[{CJK}][^"\n]*)"(?P<after>.|$)', re.M)
SINGLE = re.compile(rf"(?P<before>^|.)'(?P<inside>[^'\n]*[{CJK}][^'\n]*)'(?P<after>.|$)", re.M)
BETWEEN = re.compile(rf"(?<=[{CJK}])([,;:?!])(?=[{CJK}“‘])")
# After Chinese text (or its closing quote or bracket), a half-width mark that ends the sentence or clause:
# at the end of the line, before a space, a closing quote or bracket, or further Chinese. Emphasis markers
# (**…**) may sit on either side. Spaces after it go (the full-width mark carries its own), except before
# a line end (two trailing spaces are a Markdown line break), a table's | or a link. `图![…](…)` is an
# image: "!" before "[" stays.
CHINESE_BEFORE = rf"[{CJK}”’）」』》〉】]"
ENDING = re.compile(
    rf"(?<={CHINESE_BEFORE})(?P<marks>[*_]{{0,3}})(?P<punct>[?!]{{1,3}}|[,;:])(?P<after>[*_]{{0,3}})"
    rf"(?:[ \t]+(?=[^\s\[(|])|(?=[{CJK}“‘”’）」』》〉】\])]|\s|$))")
PARENS = re.compile(rf"\((?P<inside>[^()\n]*[{CJK}][^()\n]*)\)")
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


def normalize(text: str | None) -> str:
    """Return `text` with Chinese punctuation made consistent, everything protected left alone."""
    if not text:
        return text or ""
    parts, last = [], 0
    for match in PROTECTED.finditer(text):
        parts += [_normalize_prose(text[last:match.start()]), match.group(0)]
        last = match.end()
    parts.append(_normalize_prose(text[last:]))
    return "".join(parts)


def _normalize_prose(text: str) -> str:
    text = _quotes(DOUBLE, text, "“", "”")
    text = _quotes(SINGLE, text, "‘", "’")
    text = BETWEEN.sub(lambda match: FULL_WIDTH[match.group(1)], text)
    text = ENDING.sub(_ending, text)
    return PARENS.sub(_parens, text)


def _quotes(pattern: re.Pattern, text: str, opening: str, closing: str) -> str:
    """Curl a quote pair around Chinese words when Chinese text touches it (not a YAML or Latin quote)."""
    def curl(match: re.Match) -> str:
        before, inside, after = match.group("before"), match.group("inside"), match.group("after")
        touching = re.fullmatch(CHINESE_SIDE, before or " ") or re.fullmatch(CHINESE_SIDE, after or " ")
        # Quoted Chinese standing alone (a table cell, after a space) is Chinese text too; Latin words are not.
        alone = not re.search(r"[A-Za-z]", inside) and (before or " ") in " \t|（(" and (after or " ") in " \t|）)"
        if not (touching or alone):
            return match.group(0)
        return f"{before}{opening}{inside}{closing}{after}"

    previous = None
    while previous != text:  # neighbouring pairs share a boundary character; repeat until stable
        previous, text = text, pattern.sub(curl, text)
    return text


def _ending(match: re.Match) -> str:
    """行吗? → 行吗？ keeping emphasis markers; the spaces the pattern consumed are dropped."""
    punct = "".join(FULL_WIDTH[mark] for mark in match.group("punct"))
    return match.group("marks") + punct + match.group("after")


def _parens(match: re.Match) -> str:
    """Brackets around Chinese words beside Chinese text become full-width: 融合(小组) → 融合（小组）."""
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if re.fullmatch(CHINESE_SIDE, before or " ") or re.fullmatch(CHINESE_SIDE, after or " "):
        return f"（{match.group('inside')}）"
    return match.group(0)


def differs(text: str | None) -> bool:
    """True if normalize() would change the text."""
    return normalize(text) != (text or "")
