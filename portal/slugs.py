"""网址名 (the slug in /cases/<slug>): proposed from a Chinese title in pinyin, checked with a clear reason."""

from __future__ import annotations

import re
from collections.abc import Callable

import jieba
from pypinyin import Style, lazy_pinyin, load_phrases_dict

# \A and \Z, not ^ and $: "$" also matches before a trailing newline ("abc\n" would pass).
SLUG_PATTERN = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_SLUG_LENGTH = 120
# Long enough to tell cases apart, short enough to read out or type from a handout.
PROPOSED_LENGTH = 48
SLUG_RULE = "网址名只能用小写拼音字母、数字和连字符（-），连字符不能打头、结尾或连用，如 jingning-yuwai-wangge"
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Place names whose local reading pypinyin's dictionary gets wrong (莲都 is Liándū, not Liándōu). The
# table is pypinyin's own, shared with search: only readings no one would type otherwise belong here
# (民事村了 is typed both "minshicunle" and "minshicunliao", and search completes either).
load_phrases_dict({"莲都": [["lián"], ["dū"]], "莲都区": [["lián"], ["dū"], ["qū"]]})


def slug_from_title(title: str, length: int = PROPOSED_LENGTH) -> str:
    """Spell the title in toneless pinyin, one hyphen-joined part per word: 景宁域外网格 → jingning-yuwai-wangge.

    The whole title is read at once, so a name that jieba splits into words (莲都 → 莲 / 都) still
    gets the reading pypinyin has for the whole name; the words only place the hyphens.
    """
    title = title or ""
    syllables = title_syllables(title)
    parts: list[str] = []
    start = 0
    for word in jieba.lcut(title):
        spelled = "".join(syllables[start:start + len(word)])
        start += len(word)
        if spelled := re.sub(r"[^a-z0-9]+", "", spelled.lower()):
            parts.append(spelled)
    return _shorten("-".join(parts), length)


def title_syllables(title: str) -> list[str]:
    """Return one item per character of the title: a Chinese character's toneless pinyin, any other
    character as itself."""
    syllables = lazy_pinyin(title, style=Style.NORMAL, errors=lambda chars: [None] * len(chars))
    if len(syllables) != len(title):  # never seen; spell character by character rather than misalign
        syllables = [lazy_pinyin(char, style=Style.NORMAL, errors=lambda chars: [None])[0] for char in title]
    return [syllable or char for syllable, char in zip(syllables, title, strict=True)]


def _shorten(slug: str, length: int) -> str:
    """Cut at the last hyphen before `length` so no word is cut in half."""
    if len(slug) <= length:
        return slug
    cut = slug[:length + 1].rsplit("-", 1)[0]
    return cut if cut else slug[:length]


def slug_problem(slug: str) -> str | None:
    """Say in Chinese what is wrong with a proposed 网址名, or None when it is well formed."""
    if not slug:
        return "请填写网址名，或先填写标题由系统按拼音生成。"
    if len(slug) > MAX_SLUG_LENGTH:
        return f"网址名太长（最多 {MAX_SLUG_LENGTH} 个字符）。"
    if HAN.search(slug):
        suggestion = slug_from_title(slug)
        return f"网址名不能用汉字，请用拼音{f'，如 {suggestion}' if suggestion else ''}。{SLUG_RULE}。"
    if slug != slug.lower() and SLUG_PATTERN.match(slug.lower()):
        return f"网址名请用小写字母：{slug.lower()}。"
    if not SLUG_PATTERN.match(slug):
        return f"{SLUG_RULE}。"
    return None


def unique_slug(slug: str, taken: Callable[[str], bool]) -> str:
    """Return `slug`, or `slug-2`, `slug-3`… the first one `taken` says is free."""
    candidate, number = slug, 2
    while taken(candidate):
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def verdict(title: str, slug: str, taken: Callable[[str], bool]) -> dict:
    """What the form's live check shows: a proposal from the title, or whether the typed 网址名 can be used."""
    title, slug = (title or "")[:200].strip(), (slug or "")[:200].strip()
    proposed = unique_slug(slug_from_title(title), taken) if slug_from_title(title) else ""
    if not slug:
        return {"slug": proposed, "proposed": proposed, "ok": bool(proposed),
                "message": f"按标题拼音生成：{proposed}" if proposed else "填写标题后会按拼音生成网址名。"}
    problem = slug_problem(slug)
    if problem is None and taken(slug):
        problem = f"网址名 {slug} 已被使用，可改用 {unique_slug(slug, taken)}。"
    return {"slug": slug, "proposed": proposed, "ok": problem is None, "message": problem or "这个网址名可以使用。"}
