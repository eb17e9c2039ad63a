"""The one module that knows the search engine (Whoosh): schema, index directories, writers, searchers.

The live index directory (SEARCH_INDEX_DIR) is a symlink to a generation directory beside it, so a
rebuilt index swaps in with one atomic rename while open searchers keep reading the old files.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
import time
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, Schema
from whoosh.fields import TEXT as TextField
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Frequency, Positions
from whoosh.index import LockError
from whoosh.reading import SegmentReader
from whoosh.system import pack_uint

from portal.cases.fields import SEARCH_PARTS
from portal.search import reopen
from portal.search.analysis import BigramTokenizer, WeightedPartsPlaceholder, WordTokenizer

# How much one occurrence of a word in each part of a case counts (declared with the case's
# fields). The parts are indexed together in the "text" field.
PART_WEIGHTS = SEARCH_PARTS
TEXT = "text"
# The character-bigram field: the parts a reader names a case by (a 2-character prefix of a practice
# name finds it); its matches score below word matches. Not the body, which keeps reindexing fast.
GRAMS = "grams"
GRAM_PARTS = ("title", "tags_text", "place", "summary")
STATE_FILE = "sync-state.json"

__all__ = ["GRAMS", "LockError", "PART_WEIGHTS", "TEXT", "IndexUnavailable", "build_schema"]


class ChineseText(TextField):
    """The portal's analyzed text field (its own class, so a stored schema names it)."""

    def index(self, value, **kwargs):
        """Return what Whoosh's FieldType.index returns, from the analyzer's (word, position, boost)
        triples: without a Token per occurrence, which cost a tenth of a reindex
        (tests/search/test_analysis.py holds both equal, for the word and the bigram field)."""
        occurrences = getattr(self.analyzer, "occurrences", None)
        if occurrences is None or kwargs or type(self.format) not in (Positions, Frequency):
            return super().index(value, **kwargs)
        if type(self.format) is Frequency:
            return frequency_postings(self.format, occurrences(value))
        return positions_postings(self.format, occurrences(value))


def frequency_postings(format_: Frequency, occurrences) -> list[tuple[bytes, int, float, bytes]]:
    """Return (term bytes, frequency, weight, encoded frequency) per word, as Frequency.word_values does."""
    counts: dict[str, int] = {}
    weights: dict[str, float] = {}
    for word, _position, boost in occurrences:
        counts[word] = counts.get(word, 0) + 1
        weights[word] = weights.get(word, 0.0) + boost
    return [(word.encode("utf-8"), count, weights[word] * format_.field_boost, pack_uint(count))
            for word, count in counts.items()]


def positions_postings(format_: Positions, occurrences) -> list[tuple[bytes, int, float, bytes]]:
    """Return (term bytes, frequency, weight, encoded positions) per word, as Positions.word_values does."""
    positions: dict[str, list[int]] = {}
    weights: dict[str, float] = {}
    for word, position, boost in occurrences:
        if word in positions:
            positions[word].append(position)
            weights[word] += boost
        else:
            positions[word] = [position]
            weights[word] = 0.0 + boost
    boost, encode = format_.field_boost, format_.encode
    return [(word.encode("utf-8"), len(found), weights[word] * boost, encode(found))
            for word, found in positions.items()]


class IndexUnavailable(Exception):
    """The index directory is missing or cannot be read."""


def build_schema() -> Schema:
    """Return the index schema: one analyzed text field plus stored text, facets and bookkeeping."""
    return Schema(
        text=ChineseText(analyzer=WordTokenizer(), phrase=True),
        grams=ChineseText(analyzer=BigramTokenizer(), phrase=False),
        title=STORED(),
        summary=STORED(),
        body=STORED(),
        id=ID(stored=True, unique=True),
        slug=ID(stored=True),
        version=STORED(),
        fingerprint=STORED(),
        area=ID(stored=True),
        area_name=STORED(),
        region=KEYWORD(stored=True, commas=True),
        region_code=STORED(),
        region_name=STORED(),
        region_names=STORED(),
        tags=KEYWORD(stored=True, commas=True),
        level=ID(stored=True),
        year=NUMERIC(stored=True),
        published_at=NUMERIC(stored=True, sortable=True, bits=64),
    )


def searchable_text(document: dict):
    """Return the document's weighted parts, tokenized when the analyzer runs (in a writer process)."""
    return WeightedPartsPlaceholder([(document.get(name) or "", weight) for name, weight in PART_WEIGHTS.items()])


def index_fields(document: dict) -> dict:
    """Return the fields the writer takes: stored values plus the one analyzed text field."""
    fields = {name: value for name, value in document.items() if name not in PART_WEIGHTS or name in STORED_PARTS}
    fields[TEXT] = searchable_text(document)
    fields[GRAMS] = "\n".join(document.get(name) or "" for name in GRAM_PARTS)
    return fields


STORED_PARTS = ("title", "summary", "body")


# --- directories -------------------------------------------------------------------------------

def live_dir(path: str | Path) -> Path:
    """Return the generation directory the live path points at (itself if it is a plain directory)."""
    return Path(os.path.realpath(path))


def index_exists(path: str | Path) -> bool:
    """Return True if a readable index lives at `path`."""
    real = live_dir(path)
    try:
        return real.is_dir() and whoosh_index.exists_in(str(real))
    except Exception:  # noqa: BLE001  (unreadable table of contents: treat as missing)
        return False


def new_generation_dir(path: str | Path) -> Path:
    """Create an empty directory beside the live path for a fresh build."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 100000}"
    build = path.parent / f"{path.name}.{stamp}"
    build.mkdir()
    return build


def swap_in(path: str | Path, build: Path) -> None:
    """Point the live path at `build` atomically, then remove generations older than the previous one."""
    path = Path(path)
    previous = live_dir(path) if path.exists() else None
    if path.exists() and not path.is_symlink():
        # A plain directory (made by an older layout): move it aside once; later swaps are atomic.
        aside = path.parent / f"{path.name}.replaced-{int(time.time())}"
        os.rename(path, aside)
        previous = aside
    link = path.parent / f".{path.name}.link-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(link)
    os.symlink(build.name, link)
    os.replace(link, path)
    remove_old_generations(path, keep={build, previous})


def remove_old_generations(path: Path, keep: set) -> None:
    """Delete generation directories no longer live (open searchers keep their files on POSIX)."""
    keep = {p.resolve() for p in keep if p}
    for candidate in path.parent.glob(f"{path.name}.*"):
        if candidate.is_dir() and not candidate.is_symlink() and candidate.resolve() not in keep:
            if candidate.name.endswith(".building"):
                continue
            shutil.rmtree(candidate, ignore_errors=True)


def move_aside(path: str | Path) -> None:
    """Move a corrupt index out of the way so it can be rebuilt."""
    path = Path(path)
    if path.is_symlink():
        path.unlink()
    elif path.exists():
        os.rename(path, path.parent / f"{path.name}.corrupt-{int(time.time())}")


# --- indexes and writers -----------------------------------------------------------------------

def create_index(directory: Path):
    """Create an empty index in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    return FileStorage(str(directory)).create_index(build_schema())


def open_index(path: str | Path):
    """Open the live index; raise IndexUnavailable if it is missing, unreadable or of an older schema."""
    real = live_dir(path)
    if not index_exists(path):
        raise IndexUnavailable(f"no index in {real}")
    try:
        ix = listing_again(lambda: counted(FileStorage(str(real)).open_index()))
    except Exception as error:  # noqa: BLE001  (any unreadable file means "rebuild")
        raise IndexUnavailable(f"unreadable index in {real}: {error}") from error
    if sorted(ix.schema.names()) != sorted(build_schema().names()):
        raise IndexUnavailable(f"unreadable index in {real}: built with an older schema")
    return ix


def counted(ix):
    """Return `ix` once it has read its newest table of contents and segments (so they are readable)."""
    ix.doc_count()
    return ix


def try_writer(ix, **kwargs):
    """Return a writer if the index write lock is free right now; raise LockError otherwise."""
    # Compound segments (Whoosh's default): a reader opens each segment's one file up front, so a
    # merge by another process cannot delete files a live searcher has yet to open.
    return ix.writer(timeout=0.0, **kwargs)


# --- commit and merge policy -------------------------------------------------------------------

# A commit applying a publish writes one small segment and merges nothing: Whoosh's default merged
# small segments every few commits (0.1–0.2 s at 10k cases, before the change was searchable). The
# poller merges the small segments once the index is quiet; a commit merges them only when they have
# piled up (a process without a poller). Merged, they stay small until SMALL_SEGMENT_DOCS.
SMALL_SEGMENT_DOCS = 200
MERGE_WHEN_QUIET = 4
MERGE_IN_COMMIT = 16
# However the small segments' sizes fall, a search never reads more of them than this.
MAX_SMALL_SEGMENTS = 32


def small_segments(segments) -> list:
    """The segments among `segments` small enough to merge cheaply."""
    return [segment for segment in segments if segment.doc_count_all() < SMALL_SEGMENT_DOCS]


def segments_to_merge(segments, limit: int) -> list:
    """The small segments a merge rewrites: the newest ones, each older one only while it holds no
    more live cases than the newer ones taken (a binary counter's carries), once `limit` are taken.

    Merging every small segment rewrote the oldest, largest of them on every merge (0.6 s of CPU
    every 16 publishes at 60 cases); merging like sizes rewrites each case a few times in all.
    """
    small = small_segments(segments)
    if len(small) >= MAX_SMALL_SEGMENTS:
        return small
    taken, total = [], 0
    for segment in reversed(small):
        if taken and segment.doc_count() > total:
            break
        taken.append(segment)
        total += segment.doc_count()
    return taken[::-1] if len(taken) >= limit else []


def merging_when(limit: int):
    """A Whoosh merge policy (writer.commit(mergetype=…)): merge `segments_to_merge` into the new
    segment, keep every segment otherwise."""
    def policy(writer, segments):
        merging = segments_to_merge(segments, limit)
        for segment in merging:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
        return [segment for segment in segments if segment not in merging]

    return policy


def commit_changes(writer) -> None:
    """Commit applied changes as a new segment, merging only when small segments have piled up."""
    writer.commit(mergetype=merging_when(MERGE_IN_COMMIT))


def merge_small_segments(ix) -> bool:
    """Merge small segments if MERGE_WHEN_QUIET or more are due (`segments_to_merge`) and the write
    lock is free now."""
    try:
        writer = try_writer(ix)
    except LockError:
        return False
    if not segments_to_merge(writer.segments, MERGE_WHEN_QUIET):
        writer.cancel()
        return False
    writer.commit(mergetype=merging_when(MERGE_WHEN_QUIET))
    return True


def index_documents(writer, documents) -> int:
    """Add or replace documents (matched on their unique id)."""
    count = 0
    for document in documents:
        writer.update_document(**index_fields(document))
        count += 1
    return count


def delete_documents(writer, ids) -> None:
    """Remove documents by id; ids not in the index are ignored."""
    for document_id in ids:
        writer.delete_by_term("id", str(document_id))


# --- searchers ---------------------------------------------------------------------------------

# A commit (in this process or another instance sharing the index) deletes the previous generation's
# table of contents and merged segments right after writing the new one: a reader that listed
# generation N can find N's files gone when it opens them (bench/native_crash.py shows it). That is
# "list again", not a broken index.
OPEN_ATTEMPTS = 3


def open_searcher(ix, previous=None):
    """Return a searcher of the newest generation (listing again if a commit removed its files meanwhile).

    Given the `previous` searcher of this thread, it keeps that searcher's readers of the segments
    the new generation holds unchanged and closes the rest (so `previous` must not be used again): a
    publish adds one small segment, and reopening every segment on it cost each worker ~2 ms a segment.
    """
    if previous is None:
        return listing_again(ix.searcher)
    try:
        return listing_again(lambda: reopen.searcher_reusing(ix, previous))
    except BaseException:
        previous.close()
        raise


def listing_again(open_newest):
    """Return open_newest(), called again if a commit removed the files it listed (see OPEN_ATTEMPTS)."""
    for _ in range(OPEN_ATTEMPTS - 1):
        try:
            return open_newest()
        except FileNotFoundError:
            continue
    return open_newest()


def generation(ix) -> int:
    """Return the index's newest committed generation (a new one after every commit)."""
    return ix.latest_generation()


def stored_versions(path: str | Path) -> dict[str, tuple[int, str]]:
    """Return {case id: (version, fingerprint)} for every live document."""
    with open_index(path).searcher() as reader_searcher:
        return {fields["id"]: (fields.get("version"), fields.get("fingerprint"))
                for fields in reader_searcher.all_stored_fields()}


# --- sync state --------------------------------------------------------------------------------

def read_state(directory: str | Path) -> dict:
    """Return how far this index has applied the outbox."""
    try:
        state = json.loads((live_dir(directory) / STATE_FILE).read_text())
    except (OSError, ValueError):
        return {"last_id": 0, "gaps": {}}
    state.setdefault("last_id", 0)
    state.setdefault("gaps", {})
    return state


def write_state(directory: str | Path, state: dict) -> None:
    """Write the sync state atomically (after the index commit it describes)."""
    target = live_dir(directory) / STATE_FILE
    temporary = target.with_name(f".{STATE_FILE}.{os.getpid()}.{threading.get_ident()}")
    with open(temporary, "w") as handle:
        json.dump(state, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
