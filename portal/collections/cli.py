"""`portal collections list` and `portal collections handout SLUG`: collections from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from portal.collections.models import Collection
from portal.extensions import db

collections_cli = AppGroup("collections", help="培训合集：列出合集、生成 PDF 讲义。")


@collections_cli.command("list")
def list_command() -> None:
    """列出全部合集（网址名、案例数、是否发布、是否推荐）。"""
    for collection in db.session.scalars(select(Collection).order_by(Collection.slug)):
        flags = ("已发布" if collection.published else "未发布") + ("，推荐" if collection.featured else "")
        click.echo(f"{collection.slug}\t{len(collection.items)} 个案例\t{flags}\t{collection.title}")


@collections_cli.command("handout")
@click.argument("slug")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="讲义写到哪里；以 .docx 结尾时生成 Word 讲义（默认：<网址名>.pdf）。")
@click.option("--teacher", is_flag=True, help="生成教师版（含培训者导读）；默认生成学员版。")
def handout_command(slug: str, output: Path | None, teacher: bool) -> None:
    """生成网址名为 SLUG 的合集的 PDF 或 Word 讲义（只含已发布的案例）。"""
    from portal.collections.handouts import collection_handout_of

    collection = db.session.scalar(select(Collection).where(Collection.slug == slug))
    if collection is None:
        raise click.ClickException(f"没有网址名为 '{slug}' 的合集")
    target = output or Path(f"{slug}.pdf")
    fmt = "docx" if target.suffix.lower() == ".docx" else "pdf"
    if target.suffix.lower() not in (".pdf", ".docx"):
        raise click.ClickException(f"不支持的讲义格式 '{target.suffix}'：文件名请以 .pdf 或 .docx 结尾")
    target.write_bytes(collection_handout_of(collection, fmt, teacher).file().read_bytes())
    click.echo(f"已生成 {target}")
