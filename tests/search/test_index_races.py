"""A commit (here or in another instance sharing the index) deletes the previous generation's table of
contents and merged segments right after writing the new one, so opening a searcher can find the files
it just listed gone. bench/native_crash.py showed it; a search must list again, not give up."""

from __future__ import annotations

import whoosh.index

from portal.search.searching import MESSAGE_REBUILDING


def test_a_search_that_races_a_commit_still_answers(seeded_client, monkeypatch):
    opened = whoosh.index.FileIndex.searcher
    raced = []

    def searcher_after_a_commit_removed_its_files(self, **kwargs):
        if not raced:
            raced.append(True)
            raise FileNotFoundError(2, "No such file or directory", "_MAIN_4.toc")
        return opened(self, **kwargs)

    monkeypatch.setattr(whoosh.index.FileIndex, "searcher", searcher_after_a_commit_removed_its_files)
    page = seeded_client.get("/search?q=网格").get_data(as_text=True)
    assert raced and MESSAGE_REBUILDING not in page
    assert 'class="card search-hit"' in page
