"""Image uploads: content-sniffed, size-limited, stored under a random name, served with safe headers."""

from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path

from portal.editor.models import Upload
from portal.editor.uploads import sniff
from portal.extensions import db
from tests.helpers.editor import BODY, case_data

JSON = {"Accept": "application/json"}


def png_bytes(width: int = 2, height: int = 2, padding: int = 0) -> bytes:
    """A real, decodable PNG (optionally with a large text chunk to make it big)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    extra = chunk(b"tEXt", b"Comment\x00" + b"x" * padding) if padding else b""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def upload(editor, content: bytes, filename: str, headers=None, description: str = "网格员走访"):
    return editor.post("/editor/uploads", {"image": (io.BytesIO(content), filename), "description": description},
                       content_type="multipart/form-data", headers=headers or JSON)


def stored_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"])
    return sorted(folder.iterdir()) if folder.exists() else []


def test_magic_bytes_decide_the_type():
    assert sniff(png_bytes()[:16]).content_type == "image/png"
    assert sniff(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00").extension == "jpg"
    assert sniff(b"GIF89a\x01\x00\x01\x00").content_type == "image/gif"
    assert sniff(b"RIFF\x24\x00\x00\x00WEBPVP8 ").content_type == "image/webp"
    assert sniff(b"<html><body>") is None


def test_a_png_is_stored_under_a_random_name_and_served_with_safe_headers(app, client, staff):
    editor = staff("zhang")
    content = png_bytes()
    response = upload(editor, content, "../../etc/passwd.png")
    assert response.status_code == 201
    data = response.get_json()
    name = re.fullmatch(r"/uploads/([0-9a-f]{32}\.png)", data["url"]).group(1)
    assert data["markdown"] == f"![网格员走访](/uploads/{name})"
    assert [path.name for path in stored_files(app)] == [name]
    with app.app_context():
        row = db.session.scalar(db.select(Upload))
        assert (row.stored_name, row.content_type, row.size, row.uploader_id) == (
            name, "image/png", len(content), editor.user_id)

    served = client.get(f"/uploads/{name}")  # anonymous readers see images in published cases
    assert served.status_code == 200 and served.data == content
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"] == "inline"
    assert served.headers["Content-Security-Policy"] == "default-src 'none'"


def test_without_javascript_the_upload_page_shows_the_snippet_to_copy(app, staff):
    editor = staff("zhang")
    response = upload(editor, png_bytes(), "photo.png", headers={"Accept": "text/html"}, description="")
    assert response.status_code == 302
    page = editor.get(response.headers["Location"]).get_data(as_text=True)
    name = stored_files(app)[0].name
    assert "上传成功" in page and f"![说明](/uploads/{name})" in page
    edit_page = editor.get("/editor/cases/new").get_data(as_text=True)
    assert f"![说明](/uploads/{name})" in edit_page and "data-insert=" in edit_page


def test_svg_is_refused_with_a_message(app, staff):
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    response = upload(staff("zhang"), svg, "logo.png")
    assert response.status_code == 400 and "SVG" in response.get_json()["error"]["message"]
    assert stored_files(app) == []


def test_html_disguised_as_an_image_is_refused(app, staff):
    response = upload(staff("zhang"), b"<html><script>alert(1)</script></html>", "photo.jpg",
                      headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert "无法识别为图片" in response.get_data(as_text=True)
    assert stored_files(app) == []


def test_oversized_images_are_refused(app, staff):
    app.config["UPLOAD_MAX_BYTES"] = 1024
    response = upload(staff("zhang"), png_bytes(padding=4000), "big.png")
    assert response.status_code == 400 and "图片过大" in response.get_json()["error"]["message"]
    assert stored_files(app) == []
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Upload.id))) == 0


def test_a_missing_file_is_explained(app, staff):
    response = staff("zhang").post("/editor/uploads", {"description": "无图"}, headers=JSON)
    assert response.status_code == 400 and "请选择要上传的图片" in response.get_json()["error"]["message"]


def test_only_stored_names_are_served(app, client, staff):
    upload(staff("zhang"), png_bytes(), "a.png")
    assert client.get("/uploads/..%2Fportal.sqlite3").status_code == 404
    assert client.get("/uploads/" + "0" * 32 + ".png").status_code == 404
    assert client.get("/uploads/notes.txt").status_code == 404


def test_anonymous_visitors_cannot_upload(app, client, taxonomy):
    response = client.post("/editor/uploads", data={"image": (io.BytesIO(png_bytes()), "a.png")},
                           content_type="multipart/form-data")
    assert response.status_code in (302, 400, 401, 403)
    assert stored_files(app) == []


def test_an_inserted_image_shows_on_the_published_case(app, client, staff):
    editor, reviewer = staff("zhang"), staff("li", "reviewer")
    snippet = upload(editor, png_bytes(), "photo.png").get_json()["markdown"]
    editor.post("/editor/cases/new", case_data(slug="with-image", body=f"{BODY}\n{snippet}\n"))
    editor.post("/editor/cases/with-image/submit")
    reviewer.post("/editor/cases/with-image/publish")
    name = stored_files(app)[0].name
    page = client.get("/cases/with-image").get_data(as_text=True)
    assert f'src="/uploads/{name}"' in page and 'alt="网格员走访"' in page
    assert client.get(f"/uploads/{name}").status_code == 200
