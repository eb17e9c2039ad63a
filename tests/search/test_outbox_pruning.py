"""The search outbox is pruned by age, from the command line and by the background poller."""

from __future__ import annotations

from datetime import timedelta

from portal.extensions import db
from portal.search import pruning, state
from portal.search.models import SearchOutbox
from portal.timeutil import utcnow


def add_rows(app, ages_in_days) -> None:
    with app.app_context():
        for number, age in enumerate(ages_in_days):
            db.session.add(SearchOutbox(case_id=number + 1, slug=f"case-{number}", op="upsert",
                                        created_at=utcnow() - timedelta(days=age)))
        db.session.commit()


def remaining(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(SearchOutbox.id)))


def test_the_command_removes_rows_older_than_the_retention(app, runner):
    add_rows(app, [30, 8, 6, 0])
    result = runner.invoke(args=["search", "prune-outbox"])
    assert result.exit_code == 0 and "已删除 2 条 7 天前的索引同步记录" in result.output
    assert remaining(app) == 2


def test_the_retention_can_be_given(app, runner):
    add_rows(app, [30, 8, 6, 0])
    assert runner.invoke(args=["search", "prune-outbox", "--days", "1"]).exit_code == 0
    assert remaining(app) == 1


def test_the_poller_prunes_at_most_hourly(app):
    add_rows(app, [30])
    with app.app_context():
        assert pruning.prune_now_and_then(now=10_000.0) == 1  # a new app has not pruned yet
        assert state.current().pruned_at == 10_000.0  # the app's own clock, not the module's
        add_rows(app, [30])
        assert pruning.prune_now_and_then(now=10_060.0) == 0
        assert pruning.prune_now_and_then(now=10_000.0 + pruning.AUTOMATIC_EVERY_SECONDS) == 1
