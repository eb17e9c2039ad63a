"""What every search derives from the live index, built once in gunicorn's master before it forks.

A worker that builds the facet rows, document lengths, vocabulary, pinyin tables and suggestion index
on its first search keeps a private copy of them (60–75 MB at 10k cases); building the facet rows
also segments every title, and jieba's dictionary lookups write reference counts into the master's
pages, un-sharing them too. Built in the master instead, the workers share all of it copy-on-write
and reuse it for as long as the index generation stays the same (segment data, longer).
"""

from __future__ import annotations

from portal.search import completion, searching, state
from portal.search.engine import IndexUnavailable

# Browsing, a word, its pinyin, a phrase and a word the index lacks: together they build every
# per-generation table a search reads (facets, lengths, phrases' positions, vocabulary, spellings).
QUERIES = ("", "治理", "zhili", "“基层治理”", "治里")
# What a reader types into the search box first: builds the suggestion index.
TYPED = ("治", "zh")


def prepare() -> bool:
    """Build the live generation's search data in this process; False (and nothing built) when the
    index is missing or unreadable — rebuilding it here would start threads in gunicorn's master."""
    search_state = state.current()
    try:
        searcher = search_state.snapshot().searcher
    except IndexUnavailable:
        return False
    for query in QUERIES:
        searching.run(searcher, searching.SearchRequest(q=query))
    for typed in TYPED:
        completion.complete(typed)
    search_state.release_searcher()  # each worker opens the index files itself
    return True
