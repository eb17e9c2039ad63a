"""One process of a machine polls the outbox for its index; another takes over when it exits."""

from __future__ import annotations

from portal.search import sync


def test_only_one_process_polls_for_an_index_and_another_takes_over(tmp_path):
    index_dir = str(tmp_path / "search-index")
    first, second = sync.MachinePoller(index_dir), sync.MachinePoller(index_dir)
    assert first.holds(now=0.0)
    assert not second.holds(now=0.0)
    first.release()  # as when its process exits
    assert not second.holds(now=0.5)  # it looks again only after POLLER_TAKEOVER_SECONDS
    assert second.holds(now=0.0 + sync.POLLER_TAKEOVER_SECONDS)
    assert not first.holds(now=10.0)


def test_each_index_of_a_machine_has_its_own_poller(tmp_path):
    assert sync.MachinePoller(str(tmp_path / "one")).holds(now=0.0)
    assert sync.MachinePoller(str(tmp_path / "two")).holds(now=0.0)
