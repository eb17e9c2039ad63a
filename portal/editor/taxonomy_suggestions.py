"""Suggest an area, a region and tags for a case from its text (jieba keywords + taxonomy names)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from portal.cases.models import REGION_KINDS, Area, Region, Tag
from portal.extensions import db
from portal.search import synonyms
from portal.search.analysis import segmenter

if TYPE_CHECKING:
    from jieba.analyse import TFIDF

KEYWORD_COUNT = 20
# Nouns, names of things and set phrases make tags; verbs and adjectives do not.
TAG_POS = ("n", "nz", "vn", "nt", "l", "i", "j", "nw")
# Nouns too general to tell one case from another.
GENERIC_WORDS = frozenset([
    "工作", "问题", "情况", "方面", "作用", "机制", "体系", "能力", "水平", "服务", "群众", "部门", "基层",
    "全市", "背景", "做法", "成效", "经验", "启示", "案例", "汇报", "活动", "人员", "领域", "名称", "方式",
    "内容", "措施", "乡镇", "街道", "村民", "村里", "干部", "政府", "单位", "地方", "全县", "全省", "社会", "治理",
    "图片", "说明", "流程图", "示意图", "照片", "表格", "列表", "链接",
])
TAG_LIMIT = 8
# A new tag must be a named practice or theme: three characters or more, named at least twice.
FRESH_TAG_LIMIT = 2
FRESH_MIN_LENGTH = 3
FRESH_MIN_MENTIONS = 2
HAN = re.compile(r"[\u3400-\u9fff]")
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
MARKDOWN_LINK_TARGET = re.compile(r"\]\([^)]*\)")
CODE = re.compile(r"```.*?```|`[^`]*`", re.S)
# Suffixes dropped to get the short name texts use ("青田" for 青田县, "景宁" for 景宁畲族自治县).
REGION_SUFFIXES = ("畲族自治县", "自治县", "市", "县", "区", "镇", "乡", "街道", "村")
_extractor_lock = threading.Lock()
_extractor: list[TFIDF] = []


@dataclass(frozen=True)
class AreaInfo:
    slug: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class RegionInfo:
    code: str
    name: str
    depth: int


@dataclass(frozen=True)
class Suggestions:
    area: AreaInfo | None = None
    region: RegionInfo | None = None
    tags: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.area is None and self.region is None and not self.tags


def extractor() -> TFIDF:
    """jieba's TF-IDF keyword extractor on search's segmenter, which knows the domain dictionary.

    Imported on first use: its IDF and part-of-speech tables (some 70 MB) serve only editors, and
    loaded with the app they sat in every gunicorn master, a third of them in each worker's PSS.
    """
    import jieba.analyse
    import jieba.posseg

    with _extractor_lock:
        if not _extractor:
            tfidf = jieba.analyse.TFIDF()
            tfidf.tokenizer = segmenter()
            tfidf.postokenizer = jieba.posseg.POSTokenizer(segmenter())
            _extractor.append(tfidf)
    return _extractor[0]


def keywords(text: str, count: int = KEYWORD_COUNT) -> list[tuple[str, float]]:
    """Return the text's TF-IDF keywords with their weights, best first."""
    return extractor().extract_tags(text or "", topK=count, withWeight=True, allowPOS=TAG_POS)


def suggest_area(text: str, areas: list[AreaInfo], text_keywords: list[tuple[str, float]]) -> AreaInfo | None:
    """Pick the area whose name the text mentions most, else whose description shares most keywords."""
    by_mentions = max(areas, key=lambda area: text.count(area.name), default=None)
    if by_mentions is not None and text.count(by_mentions.name) > 0:
        return by_mentions
    scores = {area.slug: _keyword_overlap(area.description, text_keywords) for area in areas}
    best = max(areas, key=lambda area: scores[area.slug], default=None)
    return best if best is not None and scores[best.slug] > 0 else None


def _keyword_overlap(description: str, text_keywords: list[tuple[str, float]]) -> float:
    described = _description_keywords(description)
    return sum(weight for word, weight in text_keywords if word in described)


@lru_cache(maxsize=64)
def _description_keywords(description: str) -> frozenset[str]:
    # The five area descriptions hardly ever change; segment each once.
    return frozenset(word for word, _ in keywords(description, 30)) - GENERIC_WORDS


def region_short_name(name: str) -> str:
    """Drop the administrative suffix, keeping at least two characters."""
    for suffix in REGION_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def region_mentions(text: str, region: RegionInfo) -> int:
    """Count how often the text names the region, by full or short name."""
    short = region_short_name(region.name)
    return text.count(short) if short != region.name else text.count(region.name)


def suggest_region(text: str, regions: list[RegionInfo]) -> RegionInfo | None:
    """Pick the most specific region the text names; among equally deep ones, the most mentioned."""
    mentioned = [(region.depth, region_mentions(text, region), region) for region in regions]
    mentioned = [item for item in mentioned if item[1] > 0]
    if not mentioned:
        return None
    return max(mentioned, key=lambda item: (item[0], item[1]))[2]


def suggest_tags(text: str, known_tags: list[str], text_keywords: list[tuple[str, float]],
                 exclude: set[str] | None = None, limit: int = TAG_LIMIT,
                 variants: Callable[[str], tuple[str, ...]] = lambda term: (term,)) -> list[str]:
    """The library's tags the text names (or names by a synonym), most mentioned first; then at most a few
    fresh keywords, only those clearly distinct from every tag (no fragments, no one-off mentions)."""
    exclude = exclude or set()
    prose = prose_text(text)
    mentions = {name: max(prose.count(word) for word in variants(name) or (name,)) for name in known_tags if name}
    found = sorted((name for name, count in mentions.items() if count), key=lambda name: -mentions[name])
    tags = [name for name in dict.fromkeys(found) if name not in exclude][:limit]
    fresh = [word for word, _ in text_keywords
             if word not in exclude and _clearly_new(word, prose, [*known_tags, *exclude, *tags])]
    return tags + fresh[:max(0, min(FRESH_TAG_LIMIT, limit - len(tags)))]


def prose_text(text: str) -> str:
    """The text without image captions, link targets and code, which say nothing about the case's themes."""
    text = MARKDOWN_IMAGE.sub(" ", text or "")
    text = MARKDOWN_LINK_TARGET.sub(" ", text)
    return CODE.sub(" ", text)


def _clearly_new(word: str, prose: str, tags: list[str]) -> bool:
    """A keyword makes a new tag only if it is a real theme and not a near-duplicate or piece of another word."""
    if len(word) < FRESH_MIN_LENGTH or not _usable_keyword(word) or prose.count(word) < FRESH_MIN_MENTIONS:
        return False
    if any(word in tag or tag in word or _shared_pairs(word, tag) for tag in tags if tag):
        return False
    return not _always_glued(word, prose)


def _shared_pairs(word: str, tag: str) -> bool:
    # Two characters in a row shared with an existing tag: 调解法 beside 人民调解 is the same theme.
    return bool({word[i:i + 2] for i in range(len(word) - 1)} & {tag[i:i + 2] for i in range(len(tag) - 1)})


def _always_glued(word: str, prose: str) -> bool:
    """True if every mention has the same Chinese character just before (or after) it: 娘舅 of 老娘舅."""
    before, after = set(), set()
    for match in re.finditer(re.escape(word), prose):
        before.add(prose[match.start() - 1] if match.start() else "")
        after.add(prose[match.end()] if match.end() < len(prose) else "")
    return any(len(sides) == 1 and HAN.fullmatch(next(iter(sides)) or "x") for sides in (before, after))


def _usable_keyword(word: str) -> bool:
    # Single characters, numbers and administrative words make poor tags.
    return len(word) >= 2 and word not in GENERIC_WORDS and not re.fullmatch(r"[\d.%]+", word)


def suggest(text: str, areas: list[AreaInfo], regions: list[RegionInfo], known_tags: list[str],
            exclude_tags: set[str] | None = None,
            variants: Callable[[str], tuple[str, ...]] = lambda term: (term,)) -> Suggestions:
    """Suggest an area, a region and tags for the text."""
    if not (text or "").strip():
        return Suggestions()
    text_keywords = keywords(text)
    taxonomy_names = {area.name for area in areas} | {region.name for region in regions}
    taxonomy_names |= {region_short_name(region.name) for region in regions}
    exclude = (exclude_tags or set()) | taxonomy_names
    return Suggestions(area=suggest_area(text, areas, text_keywords),
                       region=suggest_region(text, regions),
                       tags=suggest_tags(text, known_tags, text_keywords, exclude, variants=variants))


def suggest_from_database(text: str, exclude_tags: set[str] | None = None) -> Suggestions:
    """Suggest using the taxonomy and tags stored in the database."""
    areas = [AreaInfo(a.slug, a.name, a.description) for a in db.session.scalars(db.select(Area))]
    regions = [RegionInfo(r.code, r.name, REGION_KINDS.index(r.kind) if r.kind in REGION_KINDS else 0)
               for r in db.session.scalars(db.select(Region))]
    known = list(db.session.scalars(db.select(Tag.name)))
    return suggest(text, areas, regions, known, exclude_tags, variants=synonyms.variants)
