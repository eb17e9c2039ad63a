"""Related cases, computed when a case or its neighbours change and stored in the database.

A case page then reads its list with one query and never tokenizes anything. A list is "shared tags
and key terms" (see portal.search.similarity) over the index as it stands after applying the change.
Neighbours are the cases listing a changed case and the cases a changed case now lists (they may now
list it back). After a full build every list is computed in one pass over the index.
"""

from __future__ import annotations

import multiprocessing

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from portal.cases.models import Case, RelatedCase

LIMIT = 5
CHUNK = 500


def similarity_of(searcher):
    """Return the scorer for `searcher`'s generation (imported here: it reads the search state's caches)."""
    from portal.search.similarity import Similarity

    return Similarity(searcher)


def refresh(db_engine, ix, entries: list[tuple[int, int]]) -> int:
    """Recompute the lists of the cases in applied outbox `entries` and of their neighbours."""
    changed = {case_id for _, case_id in entries}
    as_of = max(entry_id for entry_id, _ in entries)
    with Session(db_engine) as session:
        if stored_as_of(session, changed, as_of):
            return 0  # another instance applied these entries to its index and stored the lists
    with Session(db_engine) as session, ix.searcher() as searcher:
        scorer = similarity_of(searcher)
        lists = compute(session, scorer, changed | listing(session, changed))
        neighbours = {other for ids in lists.values() for other in ids} - set(lists)
        lists.update(compute(session, scorer, neighbours))
        return store(session, lists, as_of)


def stored_as_of(session: Session, case_ids: set[int], as_of: int) -> bool:
    """Tell whether every case in `case_ids` has a stored list computed as of outbox entry `as_of` or later
    (the lists live in the shared database: every instance applying the same entries computes the same)."""
    newest = dict(session.execute(select(RelatedCase.case_id, func.min(RelatedCase.as_of))
                                  .where(RelatedCase.case_id.in_(case_ids)).group_by(RelatedCase.case_id)).all())
    return all(newest.get(case_id, -1) >= as_of for case_id in case_ids)


def refresh_missing(db_engine, ix, progress=lambda count: (lambda done: None), procs: int = 1) -> int:
    """Compute the lists of published cases that have none yet (after a fresh build); with procs > 1,
    in that many forked processes (only from a command: never fork a threaded server)."""
    with Session(db_engine) as session:
        missing = sorted(missing_ids(session))
        tick = progress(len(missing))
        for lists in computed_lists(session, ix, missing, procs):
            store(session, lists, as_of=0)
            tick(len(lists))
        return len(missing)


def computed_lists(session: Session, ix, case_ids: list[int], procs: int):
    """Yield {case id: related ids} chunk by chunk (the cases read here, scored here or in workers)."""
    if procs <= 1 or len(case_ids) <= CHUNK:
        with ix.searcher() as searcher:
            scorer = similarity_of(searcher) if case_ids else None
            yield from (lists_for(scorer, case_rows(session, set(chunk))) for chunk in chunks(set(case_ids)))
        return
    with multiprocessing.get_context("fork").Pool(procs, initializer=_start_worker,
                                                  initargs=(ix, session.get_bind())) as pool:
        # Read while the workers open their scorers; all of it first: the pool's feeder is a thread.
        pending = [case_rows(session, set(chunk)) for chunk in chunks(set(case_ids))]
        yield from pool.imap_unordered(_lists_in_worker, pending)


# A pool worker's own searcher and scorer, made once when it starts (it then scores many chunks).
_worker: dict = {}


def _start_worker(ix, db_engine) -> None:
    db_engine.dispose(close=False)  # the parent's pooled connections stay the parent's (SQLAlchemy's advice)
    _worker["searcher"] = searcher = ix.searcher()
    _worker["scorer"] = similarity_of(searcher)


def _lists_in_worker(rows: list[tuple]) -> dict[int, list[int]]:
    return lists_for(_worker["scorer"], rows)


def missing_ids(session: Session) -> set[int]:
    """Return the published cases that have no stored list."""
    listed = select(RelatedCase.case_id)
    return set(session.scalars(select(Case.id).where(Case.status == "published", Case.id.not_in(listed))))


def listing(session: Session, case_ids: set[int]) -> set[int]:
    """Return the cases whose stored list names any of `case_ids`."""
    found: set[int] = set()
    for chunk in chunks(case_ids):
        found.update(session.scalars(select(RelatedCase.case_id).where(RelatedCase.related_id.in_(chunk))))
    return found


def compute(session: Session, scorer, case_ids: set[int]) -> dict[int, list[int]]:
    """Return {case id: related ids}; a case no longer published gets an empty list."""
    lists = dict.fromkeys(case_ids, [])
    for chunk in chunks(case_ids):
        lists.update(lists_for(scorer, case_rows(session, set(chunk))))
    return lists


def case_rows(session: Session, case_ids: set[int]) -> list[tuple]:
    """Return (id, title, tag names, summary) of the published cases among `case_ids`."""
    cases = session.scalars(select(Case).where(Case.id.in_(case_ids), Case.status == "published")
                            .options(selectinload(Case.tags))).all()
    return [(case.id, case.title, case.tag_names, case.summary) for case in cases]


def lists_for(scorer, rows: list[tuple]) -> dict[int, list[int]]:
    return {case_id: scorer.similar(case_id, title, tags, summary, LIMIT) for case_id, title, tags, summary in rows}


def store(session: Session, lists: dict[int, list[int]], as_of: int) -> int:
    """Replace the stored lists that differ (unless stored from a newer position); return how many."""
    lock_cases(session, set(lists))
    stored = stored_lists(session, set(lists))
    current = {case_id for case_id in lists if stored.get(case_id, ([], 0))[1] <= as_of}
    replaced = [case_id for case_id in current if stored.get(case_id, ([], 0))[0] != lists[case_id]]
    for chunk in chunks(current - set(replaced)):  # unchanged, but now known to hold as of this entry
        session.execute(update(RelatedCase).where(RelatedCase.case_id.in_(chunk)).values(as_of=as_of))
    for chunk in chunks(set(replaced)):
        session.execute(delete(RelatedCase).where(RelatedCase.case_id.in_(chunk)))
    rows = [{"case_id": case_id, "rank": rank, "related_id": other, "as_of": as_of}
            for case_id in replaced for rank, other in enumerate(lists[case_id])]
    if rows:  # one executemany, not an ORM object per row (a third of a 10k rebuild's lists)
        session.execute(insert(RelatedCase), rows)
    session.commit()  # no generation bump: a case page's version names its own list (cases/related.py)
    return len(replaced)


def lock_cases(session: Session, case_ids: set[int]) -> None:
    """Take the cases' rows until commit, in id order, so that two instances storing the same lists
    take turns: each then reads the other's rows instead of inserting beside them (on PostgreSQL the
    second insert failed on the primary key; SQLite lets one writer in at a time anyway)."""
    for chunk in chunks(case_ids):
        session.execute(select(Case.id).where(Case.id.in_(chunk)).order_by(Case.id).with_for_update())


def stored_lists(session: Session, case_ids: set[int]) -> dict[int, tuple[list[int], int]]:
    lists: dict[int, tuple[list[int], int]] = {}
    for chunk in chunks(case_ids):
        rows = session.execute(select(RelatedCase.case_id, RelatedCase.related_id, RelatedCase.as_of)
                               .where(RelatedCase.case_id.in_(chunk)).order_by(RelatedCase.case_id, RelatedCase.rank))
        for case_id, related_id, as_of in rows:
            ids, newest = lists.get(case_id, ([], 0))
            lists[case_id] = ([*ids, related_id], max(newest, as_of))
    return lists


def chunks(ids: set[int]):
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start:start + CHUNK]
