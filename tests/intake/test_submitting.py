"""Contributors submit practices by form or Word file; bad files are refused with nothing created."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal.editor.models import Upload
from portal.extensions import db
from portal.intake.models import Submission
from portal.markdown import render_markdown
from tests.helpers.intake import TITLE, counts, files_under, form_data, png_bytes, with_file, word_file


def submit(contributor, data, url="/my/submissions/new"):
    return contributor.post(url, data, token_url="/my/submissions/new", content_type="multipart/form-data")


def only_submission() -> Submission:
    return db.session.scalars(db.select(Submission)).one()


def test_a_structured_submission_is_stored_and_listed_for_its_contributor(app, people):
    contributor, _ = people
    response = submit(contributor, form_data())
    assert response.status_code == 302
    with app.app_context():
        submission = only_submission()
        assert (submission.title, submission.region.name, submission.area.slug, submission.status) == (
            "青田县侨乡网格服务", "青田县", "fuwu", "submitted")
        assert submission.contributor_id == contributor.user_id
    listing = contributor.get("/my/submissions").get_data(as_text=True)
    assert "青田县侨乡网格服务" in listing and "待处理" in listing


def test_without_a_file_the_problem_and_what_was_done_are_required(app, people):
    contributor, _ = people
    response = submit(contributor, form_data(problem="", actions=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请写明要解决什么问题" in page and "请写明具体怎么做的" in page
    with app.app_context():
        assert counts() == (0, 0)


def test_a_word_file_becomes_markdown_with_headings_lists_table_image_and_chinese(app, people, instance_dir):
    contributor, _ = people
    original = word_file()
    response = submit(contributor, with_file(form_data(title="", problem="", actions="", results=""), original))
    assert response.status_code == 302
    with app.app_context():
        submission = only_submission()
        markdown = submission.document_md
        assert submission.title == TITLE  # taken from the document's first heading, not repeated in the body
        assert TITLE not in markdown
        assert "## 主要做法" in markdown and "## 取得成效" in markdown
        assert "- 每月固定“说事日”，村干部现场听事" in markdown
        assert "1. 收集诉求" in markdown and "2. 分类交办" in markdown
        assert "| 指标 | 数量 |" in markdown
        # A pipe inside a cell stays text in its cell instead of splitting the row.
        assert "<td>化解纠纷 | 调解</td>\n<td>120 件</td>" in render_markdown(markdown).html
        image = re.search(r"!\[[^\]]*\]\(/uploads/([0-9a-f]{32}\.png)\)", markdown)
        assert image, markdown
        upload = db.session.scalar(db.select(Upload).where(Upload.stored_name == image.group(1)))
        assert upload is not None and upload.uploader_id == contributor.user_id
        assert (Path(app.config["UPLOAD_DIR"]) / image.group(1)).read_bytes() == png_bytes()
        assert submission.attachment_name == "做法.docx"
        assert (Path(app.config["INTAKE_DIR"]) / submission.attachment_stored).read_bytes() == original
    assert contributor.get(f"/uploads/{image.group(1)}").status_code == 200


def encrypted_word_file() -> bytes:
    """The start of an OLE compound file holding an encrypted .docx (as Word writes with a password)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return header + "EncryptedPackage".encode("utf-16-le") + bytes(2048)


def truncated_word_file() -> bytes:
    return word_file()[:1500]


BAD_FILES = {
    "empty": (b"", "文件是空的"),
    "encrypted": (encrypted_word_file(), "设置了打开密码"),
    "old .doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000), "旧版 Word 97-2003"),
    "renamed PDF": (b"%PDF-1.7\n" + bytes(300), "而是PDF 文件"),
    "renamed picture": (png_bytes(), "而是PNG 图片"),
    "plain text": ("这不是 Word 文件".encode(), "内容不是 Word 文档"),
    "truncated zip": (truncated_word_file(), "文件已损坏"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_files_are_refused_in_chinese_with_nothing_created(app, people, name):
    contributor, _ = people
    content, message = BAD_FILES[name]
    response = submit(contributor, with_file(form_data(), content))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "没有提交" in page and message in page and "做法.docx" in page
    with app.app_context():
        assert counts() == (0, 0)
    assert files_under(Path(app.config["INTAKE_DIR"])) == [] and files_under(Path(app.config["UPLOAD_DIR"])) == []


def test_an_excel_file_renamed_to_docx_is_named_as_excel(app, people):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    contributor, _ = people
    response = submit(contributor, with_file(form_data(), buffer.getvalue()))
    assert response.status_code == 400 and "内容是Excel 表格" in response.get_data(as_text=True)


def test_an_oversized_file_is_refused_before_conversion(app, people):
    app.config["INTAKE_MAX_BYTES"] = 20_000
    contributor, _ = people
    big = word_file(image=png_bytes(size=(600, 600)) + bytes(30_000))
    response = submit(contributor, with_file(form_data(), big))
    assert response.status_code == 400 and "文件过大" in response.get_data(as_text=True)
    with app.app_context():
        assert counts() == (0, 0)


def test_a_failed_commit_removes_the_files_already_written(app, people, monkeypatch):
    from portal.extensions import db as database

    contributor, _ = people

    def broken_commit():
        raise RuntimeError("database went away")

    with app.app_context():
        monkeypatch.setattr(database.session, "commit", broken_commit)
    with pytest.raises(RuntimeError):
        submit(contributor, with_file(form_data(), word_file()))
    monkeypatch.undo()
    with app.app_context():
        assert counts() == (0, 0)
    assert files_under(Path(app.config["INTAKE_DIR"])) == [] and files_under(Path(app.config["UPLOAD_DIR"])) == []


def test_a_request_over_the_whole_form_limit_is_refused_in_chinese(app, people):
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    contributor, _ = people
    response = submit(contributor, with_file(form_data(), bytes(60_000)))
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and "上传的内容过大：一次提交最多" in page
    with app.app_context():
        assert counts() == (0, 0)
