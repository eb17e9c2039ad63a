"""Run a reader's search: match, fall back from AND to OR, filter, count facets, rank, highlight."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from portal.search import ranking, synonyms
from portal.search.facets import filter_and_count, names, rows_for
from portal.search.parsing import ParsedQuery, parse, positive_clauses
from portal.search.snippets import highlight_title, snippet
from portal.search.suggest import suggest

SORTS = ("relevance", "newest")
MESSAGE_REBUILDING = "搜索索引正在重建，请稍后再试；案例仍可通过分类浏览。"
MESSAGE_NO_WORDS = "没有识别出可搜索的词，请换个说法，例如“矛盾纠纷化解”。"
MESSAGE_NOTHING = "没有找到相关案例。"
MESSAGE_RELAXED = "没有同时包含全部关键词的案例，以下是包含部分关键词的结果。"


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
    # (what the reader typed, the synonyms also searched), for 已同时搜索：…
    expanded: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))


def unavailable(request: SearchRequest) -> SearchResult:
    return SearchResult(request=request, message=MESSAGE_REBUILDING, rebuilding=True,
                        facets={"area": [], "region": [], "tag": [], "level": [], "year": []})


def run(snapshot, request: SearchRequest) -> SearchResult:
    """Search one generation of the live index (a state.Snapshot) for `request`."""
    parsed = parse(request.q)
    parsed.concepts = synonyms.expand(parsed.words)
    table = rows_for(snapshot)
    result = SearchResult(request=request)
    result.expanded = [(c.typed, c.synonyms) for c in parsed.concepts if c.synonyms]
    postings, docnums = match(snapshot.searcher, parsed, table, result)
    passing, counts = filter_and_count(docnums, snapshot, table, request.filters())
    result.total = len(passing)
    result.facets = facet_lists(counts, names(snapshot, table))
    result.hits = page_hits(snapshot, postings, passing, table, request, parsed)
    if parsed.text and (result.total == 0 or result.relaxed) and not parsed.is_empty:
        result.suggestion = suggest(snapshot, parsed, table, found_some=result.total > 0)
    if result.total == 0 and not result.message:
        result.message = MESSAGE_NOTHING
    return result


def match(searcher, parsed: ParsedQuery, table: dict, result: SearchResult):
    """Return the query words' postings and the docnums matched (every document for an empty query)."""
    if parsed.is_empty:
        if parsed.text:
            result.message = MESSAGE_NO_WORDS
            return None, []
        return None, list(table)
    postings = {word: ranking.term_postings(searcher, word) for word in ranking.scoring_words(parsed)}
    docnums = ranking.matching_docs(searcher, parsed, postings, require_all=True)
    if not docnums and len(positive_clauses(parsed)) > 1:
        docnums = ranking.matching_docs(searcher, parsed, postings, require_all=False)
        result.relaxed = bool(docnums)
        result.message = MESSAGE_RELAXED if docnums else None
    return postings, docnums


def page_hits(snapshot, postings: dict | None, passing: list[int], table: dict, request: SearchRequest,
              parsed: ParsedQuery) -> list[Hit]:
    """Rank the passing documents and return the requested page as hits."""
    start = (request.page - 1) * request.per_page
    end = start + request.per_page
    if start >= len(passing):
        return []
    if postings is not None and request.sort == "relevance":
        scored = ranking.top(ranking.bm25_scores(snapshot, postings, set(passing)), end)[start:end]
    else:
        newest = sorted(passing, key=lambda docnum: -table[docnum].published_at)[start:end]
        scores = ranking.bm25_scores(snapshot, postings, set(newest)) if postings is not None else {}
        scored = [(docnum, scores.get(docnum, 0.0)) for docnum in newest]
    terms = parsed.highlight_terms()
    return [make_hit(snapshot.searcher.stored_fields(docnum), score, terms) for docnum, score in scored]


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
