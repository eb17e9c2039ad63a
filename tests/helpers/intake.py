"""Helpers for the intake tests: real Word files built with python-docx, and the submission form as posted."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.shared import Inches
from PIL import Image

from portal.editor.models import Upload
from portal.extensions import db
from portal.intake.models import Submission

TITLE = "缙云县“村民说事”化解邻里纠纷"


def png_bytes(color=(200, 30, 30), size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def word_file(title: str = TITLE, *, image: bytes | None = None) -> bytes:
    """A .docx with a title heading, a second-level heading, lists, a table, an image and Chinese text."""
    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph("缙云县壶镇镇以前邻里纠纷多，群众反映处置慢。")
    document.add_heading("主要做法", level=2)
    document.add_paragraph("每月固定“说事日”，村干部现场听事", style="List Bullet")
    document.add_paragraph("网格员跟踪办理 | 限时反馈", style="List Bullet")
    document.add_paragraph("收集诉求", style="List Number")
    document.add_paragraph("分类交办", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for (row, column), text in {(0, 0): "指标", (0, 1): "数量", (1, 0): "化解纠纷 | 调解", (1, 1): "120 件"}.items():
        table.cell(row, column).text = text
    document.add_picture(io.BytesIO(image or png_bytes()), width=Inches(1))
    document.add_heading("取得成效", level=2)
    document.add_paragraph("矛盾纠纷就地化解，群众满意。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def form_data(**overrides) -> dict:
    """A complete structured submission (no file)."""
    data = {"title": "青田县侨乡网格服务", "region": "331121", "place": "方山乡", "area": "fuwu",
            "problem": "华侨家庭留守老人多，诉求难以及时反映。", "actions": "网格员每周上门走访，建立侨胞联络群。",
            "results": "老人求助当天有人回应。", "contact": "王某某 0578-0000000"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def with_file(data: dict, content: bytes, filename: str = "做法.docx") -> dict:
    return {**data, "document": (io.BytesIO(content), filename)}


def counts() -> tuple[int, int]:
    """(submissions, uploads) rows: what a refused file must leave unchanged."""
    return (db.session.scalar(db.select(db.func.count()).select_from(Submission)),
            db.session.scalar(db.select(db.func.count()).select_from(Upload)))


def files_under(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []
