"""`portal search reindex | verify [--repair] | status | sync | prune-misses [--days N]`."""

from __future__ import annotations

import json
import os
import time

import click
from flask import current_app
from flask.cli import AppGroup
from tqdm import tqdm

from portal.extensions import db
from portal.search import rebuild, related, service, state

search_cli = AppGroup("search", help="Build, check and repair the search index.")


def progress_bar(disabled: bool):
    """Return a progress factory for rebuild(): total → tick(n)."""
    def start(total: int):
        bar = tqdm(total=total, unit="案例", desc="索引", disable=disabled, leave=True)
        return bar.update
    return start


@search_cli.command("reindex")
@click.option("--procs", type=int, default=None, help="Processes tokenizing in parallel (default: CPU count).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def reindex(procs: int | None, quiet: bool) -> None:
    """Rebuild the index from the database in a fresh directory and swap it in atomically."""
    procs = procs or min(os.cpu_count() or 1, 4)
    stats = rebuild.rebuild(db.engine, current_app.config["SEARCH_INDEX_DIR"], procs=procs,
                            progress=progress_bar(quiet))
    rate = stats["documents"] / stats["seconds"] if stats["seconds"] else 0
    click.echo(f"已索引 {stats['documents']} 个已发布案例，用时 {stats['seconds']:.1f} 秒（{rate:.0f} 个/秒；"
               f"其中写倒排存储 {stats['store_seconds']:.1f} 秒）。")
    started = time.perf_counter()
    computed = related.refresh_missing(db.engine, state.current().open_index(), procs=procs)
    if computed:
        click.echo(f"已为 {computed} 个案例计算相关案例，用时 {time.perf_counter() - started:.1f} 秒。")


@search_cli.command("related")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def related_command(quiet: bool) -> None:
    """Compute the related-case lists of published cases that have none (after a bulk import)."""
    computed = related.refresh_missing(db.engine, state.current().open_index(), progress=progress_bar(quiet),
                                       procs=min(os.cpu_count() or 1, 4))
    click.echo(f"已为 {computed} 个案例计算相关案例。")


@search_cli.command("verify")
@click.option("--repair", is_flag=True, help="Re-index missing and stale cases and remove extra ones.")
def verify(repair: bool) -> None:
    """Compare the index with the database; exit 1 if they differ (and were not repaired)."""
    path = current_app.config["SEARCH_INDEX_DIR"]
    service.open_or_rebuild()
    report = rebuild.verify(db.engine, path)
    for label, items in (("缺失", report.missing), ("过期", report.stale), ("多余", report.extra)):
        click.echo(f"{label}：{len(items)}" + (f"（{'、'.join(map(str, items[:20]))}）" if items else ""))
    if not report.drift:
        click.echo("索引与数据库一致。")
        return
    if not repair:
        click.echo(f"发现 {report.drift} 处不一致；运行 `portal search verify --repair` 修复。", err=True)
        raise SystemExit(1)
    fixed = rebuild.repair(db.engine, path, report)
    after = rebuild.verify(db.engine, path)
    click.echo(f"已修复 {fixed} 个案例；修复后不一致：{after.drift}。")
    if after.drift:
        raise SystemExit(1)


@search_cli.command("status")
def status() -> None:
    """Print the index status (the same figures /healthz reports) as JSON."""
    click.echo(json.dumps(service.index_status(), ensure_ascii=False))


@search_cli.command("sync")
def sync_now() -> None:
    """Apply pending outbox entries to this machine's index now."""
    applied = service.apply_now()
    if written := service.write_stores_when_idle():
        click.echo(f"已为 {len(written)} 个索引段写入倒排缓存。")
    documents = state.current().snapshot().searcher.doc_count()
    click.echo(f"已应用 {applied} 条待同步记录；索引中共 {documents} 个案例。")


@search_cli.command("prune-misses")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Keep this many days (default: SEARCH_MISS_RETENTION_DAYS, 180).")
def prune_misses(days: int | None) -> None:
    """Delete search-miss entries older than the retention period."""
    from portal.search import misses

    kept = days or current_app.config["SEARCH_MISS_RETENTION_DAYS"]
    removed = misses.prune(kept)
    click.echo(f"已删除 {removed} 条 {kept} 天前的未找到记录。")


@search_cli.command("prune-outbox")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Keep this many days (default: SEARCH_OUTBOX_RETENTION_DAYS, 7).")
def prune_outbox(days: int | None) -> None:
    """Delete search-outbox entries old enough that every running instance has applied them."""
    from portal.search import pruning

    kept = days or current_app.config["SEARCH_OUTBOX_RETENTION_DAYS"]
    removed = pruning.prune_outbox(kept)
    click.echo(f"已删除 {removed} 条 {kept} 天前的索引同步记录；停机超过 {kept} 天的实例请运行 portal search verify --repair。")
