"""Run a reader's search: match by coverage (all words, then most), filter, count facets, rank, highlight."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from markupsafe import Markup

from portal.search import matching, scoring
from portal.search.facets import filter_and_count, names, rows_for, value_sets
from portal.search.matching import Coverage
from portal.search.parsing import ParsedQuery, parse
from portal.search.snippets import highlight_title, snippet
from portal.search.suggest import sound_or_letter, spelling, suggest

SORTS = ("relevance", "newest")
MESSAGE_REBUILDING = "搜索索引正在重建，请稍后再试；案例仍可通过分类浏览。"
MESSAGE_NO_WORDS = "没有识别出可搜索的词，请换个说法，例如“矛盾纠纷化解”。"
MESSAGE_NOTHING = "没有找到相关案例。"
MESSAGE_RELAXED = "没有同时包含全部关键词的案例，以下是包含部分关键词的结果。"
MESSAGE_OFF_TOPIC = "案例库中没有与这个问题相关的案例。"


@dataclass
class SearchRequest:
    """A reader's query and the filters, sort and page they chose."""

    q: str = ""
    area: str | None = None
    region: str | None = None
    tag: str | None = None
    level: str | None = None
    year: int | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10

    def filters(self) -> dict:
        return {"area": self.area, "region": self.region, "tag": self.tag, "level": self.level,
                "year": self.year}


@dataclass
class Hit:
    """One result, with everything a results page or the API shows."""

    slug: str
    title: str
    title_html: Markup
    summary: str
    area: str
    area_name: str
    region: str
    region_name: str
    tags: list[str]
    highlight: Markup
    score: float
    published_at: int
    matched: list[str] = field(default_factory=list)
    full: bool = True


@dataclass
class SearchResult:
    """A page of hits plus the facet counts, suggestion and any message for the reader."""

    request: SearchRequest
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    suggestion: str | None = None
    message: str | None = None
    relaxed: bool = False
    rebuilding: bool = False
    full_total: int = 0
    # (what the reader typed, the synonyms also searched), for 已同时搜索：…
    expanded: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    top_tags: list[str] = field(default_factory=list)

    @property
    def match(self) -> str:
        """"all" if every result has every meaningful word (or a synonym), "partial", or "none"."""
        if not self.total:
            return "none"
        return "all" if self.full_total == self.total else "partial"

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))


def unavailable(request: SearchRequest) -> SearchResult:
    return SearchResult(request=request, message=MESSAGE_REBUILDING, rebuilding=True,
                        facets={"area": [], "region": [], "tag": [], "level": [], "year": []})


def run(searcher, request: SearchRequest) -> SearchResult:
    """Search one generation of the live index (`searcher`, from the app's search state) for `request`."""
    parsed = parse(request.q)
    table = rows_for(searcher)
    result = SearchResult(request=request)
    coverage = match(searcher, parsed, table, result)
    docnums = list(table) if coverage is None and not parsed.text else coverage.docs if coverage else []
    passing, counts = filter_and_count(docnums, searcher, table, request.filters())
    full = [docnum for docnum in passing if coverage is None or docnum in coverage.full]
    result.total, result.full_total = len(passing), len(full)
    result.relaxed = bool(passing) and not full
    result.facets = facet_lists(counts, names(searcher, table))
    result.hits = page_hits(searcher, coverage, passing, table, request, parsed)
    if parsed.text and result.match != "all" and not parsed.is_empty and not result.suggestion:
        result.suggestion = suggest(searcher, parsed, table, found_some=result.total > 0)
    result.message = message(result, parsed, result.message)
    if result.total == 0:
        result.top_tags = popular_tags(searcher, table)
    return result


def popular_tags(searcher, table: dict, count: int = 8) -> list[str]:
    """Return the tags on most cases: where to start when nothing is about the question."""
    tags = value_sets(searcher, table)["tag"]
    return sorted(tags, key=lambda tag: (-len(tags[tag]), tag))[:count]


def message(result: SearchResult, parsed: ParsedQuery, current: str | None) -> str | None:
    if current or parsed.is_empty:
        return current
    if result.total == 0:
        several = len(parsed.words) + len(parsed.phrases) > 1
        return MESSAGE_OFF_TOPIC if several and not result.suggestion else MESSAGE_NOTHING
    return MESSAGE_RELAXED if result.relaxed else None


def match(searcher, parsed: ParsedQuery, table: dict, result: SearchResult) -> Coverage | None:
    """Return the query's coverage (None for an empty query: every document, unranked).

    When no case holds the whole query and it is one character off (or sounds like) a known
    term, the term's coverage is used instead, and shown as searched (民情底图 → 民情地图).
    """
    if parsed.is_empty:
        if parsed.text:
            result.message = MESSAGE_NO_WORDS
        return None
    spelled = spelling(searcher, table)

    def correct(word: str) -> str | None:
        return next(iter(sound_or_letter(searcher, word, table)), None)

    coverage = matching.cover(searcher, parsed, spelled, correct)
    typed = "".join(parsed.sequence)
    if not coverage.full and not parsed.phrases and len(typed) > 2:
        corrected = correct(typed)
        retry = matching.cover(searcher, parse(corrected), spelled, correct) if corrected else None
        if retry is not None and retry.full:
            result.expanded, result.suggestion = [(typed, (corrected,))], corrected
            return retry
    result.expanded = coverage.expansions()
    result.suggestion = coverage.corrected_query()
    return coverage


def ranked(searcher, coverage: Coverage, passing: list[int], table: dict, request: SearchRequest,
           parsed: ParsedQuery, end: int) -> list[tuple[int, float]]:
    """Return the first `end` (docnum, score): full matches, then partial ones by coverage."""
    full = coverage.full.intersection(passing)
    tiers = [full, set(passing) - full]
    found: list[tuple[int, float]] = []
    for tier in tiers:
        if len(found) >= end or not tier:
            continue
        wanted = end - len(found)
        if request.sort == "relevance":
            best = scoring.top(searcher, coverage, parsed, tier, wanted) if tier is full else None
            if best is None:
                scores = scoring.scores(searcher, coverage, parsed, tier)
                best = heapq.nlargest(wanted, scores.items(), key=coverage.rank_key())
            found += best
        else:
            newest = sorted(tier, key=lambda docnum: (-table[docnum].published_at, docnum))[:wanted]
            scores = scoring.scores(searcher, coverage, parsed, set(newest))
            found += [(docnum, scores.get(docnum, 0.0)) for docnum in newest]
    return found


def page_hits(searcher, coverage: Coverage | None, passing: list[int], table: dict, request: SearchRequest,
              parsed: ParsedQuery) -> list[Hit]:
    """Rank the passing documents and return the requested page as hits."""
    start = (request.page - 1) * request.per_page
    end = start + request.per_page
    if start >= len(passing):
        return []
    if coverage is None:
        newest = sorted(passing, key=lambda docnum: -table[docnum].published_at)[start:end]
        return [make_hit(searcher.stored_fields(docnum), 0.0, []) for docnum in newest]
    terms = highlight_terms(coverage, parsed)
    hits = []
    for docnum, score in ranked(searcher, coverage, passing, table, request, parsed, end)[start:end]:
        hit = make_hit(searcher.stored_fields(docnum), score, terms)
        hit.matched, hit.full = coverage.matched(docnum), docnum in coverage.full
        hits.append(hit)
    return hits


def highlight_terms(coverage: Coverage, parsed: ParsedQuery) -> list[str]:
    """Return the strings to mark: what the reader typed, its sub-words, synonyms and pinyin's Chinese."""
    terms = parsed.highlight_terms()
    for concept in coverage.concepts:
        terms += [word for words in concept.words for word in words] + concept.grams
    return list(dict.fromkeys(terms))


def make_hit(fields: dict, score: float, terms: list[str]) -> Hit:
    title = fields.get("title", "")
    summary = fields.get("summary", "")
    return Hit(
        slug=fields["slug"], title=title, title_html=highlight_title(title, terms), summary=summary,
        area=fields.get("area", ""), area_name=fields.get("area_name", ""),
        region=fields.get("region_code", ""), region_name=fields.get("region_name", ""),
        tags=[tag for tag in (fields.get("tags") or "").split(",") if tag],
        highlight=snippet([fields.get("body", ""), summary], terms) if terms else snippet([summary], []),
        score=round(float(score or 0.0), 4),
        published_at=fields.get("published_at") or 0,
    )


def facet_lists(counts: dict, display: dict) -> dict:
    """Turn facet counters into sorted lists with display names."""
    def ordered(counter):
        return sorted(counter.items(), key=lambda item: (-item[1], str(item[0])))

    return {
        "area": [{"slug": key, "name": display["area"].get(key, key), "count": n}
                 for key, n in ordered(counts["area"])],
        "region": [{"code": key, "name": display["region"].get(key, key), "count": n}
                   for key, n in ordered(counts["region"])],
        "tag": [{"name": key, "count": n} for key, n in ordered(counts["tag"])],
        "level": [{"name": key, "count": n} for key, n in ordered(counts["level"])],
        "year": [{"year": key, "count": n} for key, n in sorted(counts["year"].items(), reverse=True)],
    }
