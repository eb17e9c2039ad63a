"""`portal content import [DIR] [--dry-run]`, `portal content export DIR`, `portal content rerender [--all]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from portal.cached_html import rerender
from portal.content.export import export_content_dir
from portal.content.normalize import normalize_dir
from portal.content.pipeline import import_content_dir
from portal.extensions import db

TABLE_NAMES = {"cases": "案例", "collections": "合集"}
content_cli = AppGroup("content", help="导入、导出 content/ 目录中的案例与分类。")


@content_cli.command("import")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="只检查并报告会有哪些变化，不写入数据库。")
def import_command(directory: Path | None, dry_run: bool) -> None:
    """检查并导入内容目录（默认为配置中的 CONTENT_DIR）。"""
    root = directory or Path(current_app.config["CONTENT_DIR"])
    report = import_content_dir(root, dry_run=dry_run)
    if not report.ok:
        for problem in report.problems:
            click.echo(str(problem), err=True)
        click.echo(f"发现 {len(report.problems)} 个问题，未导入任何内容，数据库保持不变。", err=True)
        raise SystemExit(1)
    if dry_run:
        click.echo("试运行：以下变化不会写入数据库。")
    for line in report.summary_lines():
        click.echo(line)
    for notice in report.notices:
        click.echo(f"注意：{notice}", err=True)
    if report.bulk and not dry_run:
        click.echo("案例较多：搜索索引与相关案例由运行中的实例在后台更新；"
                   "也可运行 `portal search sync`（增量）或 `portal search reindex`（重建）。")


@content_cli.command("rerender")
@click.option("--all", "everything", is_flag=True, help="重新生成全部正文，而不只是旧版渲染器生成的。")
def rerender_command(everything: bool) -> None:
    """用当前的 Markdown 渲染器重新生成数据库中缓存的正文 HTML（案例正文、合集导言）。"""
    counts = rerender(db.session, everything=everything)
    click.echo("已重新生成：" + "，".join(f"{TABLE_NAMES.get(table, table)} {count} 条" for table, count in counts.items()))


@content_cli.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_command(directory: Path) -> None:
    """把数据库中的分类与全部案例（含草稿）写出到 DIRECTORY。"""
    written = export_content_dir(directory)
    click.echo(f"已导出 {written} 个案例到 {directory.as_posix()}")


@content_cli.command("normalize")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="只检查，不改写文件；有需要改的文件时以非零状态退出（供 CI 使用）。")
def normalize_command(directory: Path | None, check: bool) -> None:
    """统一内容文件的中文标点：中文里的直引号改为“ ”‘ ’，中文之间的半角标点改为全角；代码、网址和西文不动。"""
    root = directory or Path(current_app.config["CONTENT_DIR"])
    outcomes = normalize_dir(root)
    for outcome in outcomes:
        where = f"{outcome.path.relative_to(root).as_posix()} 第 {outcome.line} 行"
        if outcome.problem:
            click.echo(f"{where}：{outcome.problem}", err=True)
        elif check:
            click.echo(f"{where}：标点需要统一（运行 portal content normalize 自动改写）", err=True)
        else:
            outcome.path.write_text(outcome.new_text, encoding="utf-8")
            click.echo(f"已改写 {where} 起的标点")
    if any(outcome.problem for outcome in outcomes) or (check and outcomes):
        raise SystemExit(1)
    if not outcomes:
        click.echo("全部内容文件的标点已统一。")
