"""Word files (.docx) contributors upload: checked by their bytes, converted to Markdown with mammoth.

Conversion writes nothing: images come back in memory (`Converted.images`), and the caller stores
them only once the whole submission is known to be good.
"""

from __future__ import annotations

import io
import re
import secrets
import zipfile
from dataclasses import dataclass, field

import mammoth
from bs4 import BeautifulSoup
from markdownify import MarkdownConverter
from PIL import Image, UnidentifiedImageError

from portal.editor.uploads import ImageKind, sniff

DOCX_NAME = re.compile(r"\.docx$", re.I)
ZIP_MAGIC = b"PK\x03\x04"
# Word 97-2003 files and password-protected .docx files are both OLE compound files (CFB).
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
OTHER_FORMATS = (
    (b"%PDF", "PDF 文件"), (b"\x89PNG", "PNG 图片"), (b"\xff\xd8\xff", "JPEG 图片"), (b"{\\rtf", "RTF 文档"),
    (b"Rar!", "RAR 压缩包"), (b"7z\xbc\xaf", "7z 压缩包"),
)
ZIP_LOOKALIKES = (("xl/workbook.xml", "Excel 表格"), ("ppt/presentation.xml", "PowerPoint 演示文稿"),
                  ("content.xml", "WPS/OpenDocument 文档"))
SAVE_AS_DOCX = "请在 Word 或 WPS 中“另存为”Word 文档（.docx）后再上传。"
# Word's built-in style names are stored in English even in Chinese Word; WPS may write Chinese ones.
STYLE_MAP = "\n".join([
    "p[style-name='Title'] => h1:fresh", "p[style-name='标题'] => h1:fresh",
    *(f"p[style-name='标题 {level}'] => h{level}:fresh" for level in range(1, 7)),
])
# Case bodies start at ## (the title is the page's only h1).
TOP_HEADING_LEVEL = 2


class WordFileRefused(Exception):
    """The file cannot be taken as a Word document; the message says why, in Chinese."""


@dataclass
class PendingImage:
    """An image found in the document, not yet written: its future upload name and checked bytes."""

    stored_name: str
    data: bytes
    kind: ImageKind
    original_name: str


@dataclass
class Converted:
    title: str
    markdown: str
    images: list[PendingImage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def check_container(data: bytes, filename: str, max_bytes: int, max_unpacked: int) -> None:
    """Refuse anything that is not a readable, unencrypted .docx of sensible size."""
    shown = filename or "上传的文件"
    if not data:
        raise WordFileRefused(f"{shown}：文件是空的。")
    if len(data) > max_bytes:
        raise WordFileRefused(f"{shown}：文件过大（{megabytes(len(data))}），最大 {megabytes(max_bytes)}。"
                              "可压缩文中图片后再上传。")
    if data.startswith(CFB_MAGIC):
        raise WordFileRefused(cfb_message(data, shown))
    if not data.startswith(ZIP_MAGIC):
        raise WordFileRefused(f"{shown}：{not_word_reason(data)}{SAVE_AS_DOCX}")
    check_zip(data, shown, max_unpacked)


def megabytes(size: int) -> str:
    """A size as people read it: 6.0 MB, or 300 KB below a megabyte."""
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def cfb_message(data: bytes, shown: str) -> str:
    if ENCRYPTED_STREAM in data:
        return f"{shown}：文件设置了打开密码（已加密），无法读取。请在 Word 中取消密码后再上传。"
    return f"{shown}：这是旧版 Word 97-2003 文档（.doc），不能直接转换。{SAVE_AS_DOCX}"


def not_word_reason(data: bytes) -> str:
    for magic, name in OTHER_FORMATS:
        if data.startswith(magic):
            return f"内容不是 Word 文档，而是{name}（可能只改了文件名）。"
    return "内容不是 Word 文档（.docx），可能只改了文件名。"


def check_zip(data: bytes, shown: str, max_unpacked: int) -> None:
    """A .docx is a zip holding word/document.xml; refuse broken zips, other Office files and zip bombs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
            broken = archive.testzip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError, OSError) as error:
        raise WordFileRefused(f"{shown}：文件已损坏，无法打开（{type(error).__name__}）。请重新保存后再上传。") from error
    if "word/document.xml" not in names:
        kind = next((name for part, name in ZIP_LOOKALIKES if part in names), "压缩包")
        raise WordFileRefused(f"{shown}：内容是{kind}，不是 Word 文档（.docx）。{SAVE_AS_DOCX}")
    if unpacked > max_unpacked:
        raise WordFileRefused(f"{shown}：文件解压后过大（{megabytes(unpacked)}），最大 {megabytes(max_unpacked)}。")
    if broken is not None:
        raise WordFileRefused(f"{shown}：文件已损坏（{broken} 校验失败）。请重新保存后再上传。")


def convert(data: bytes, filename: str, max_image_bytes: int, typed_title: str = "") -> Converted:
    """Turn a checked .docx into Markdown: headings, lists, tables, images (kept in memory) and text.

    A leading top heading becomes the title and leaves the body, unless the contributor typed a
    different title: then it stays in the body, so nothing they wrote is lost.
    """
    images: list[PendingImage] = []
    notes: list[str] = []
    try:
        result = mammoth.convert_to_html(io.BytesIO(data), style_map=STYLE_MAP,
                                         convert_image=mammoth.images.img_element(
                                             lambda image: take_image(image, images, notes, max_image_bytes)))
    except Exception as error:  # noqa: BLE001 - mammoth raises many kinds for malformed XML
        raise WordFileRefused(f"{filename or '上传的文件'}：Word 文档内容无法解析，文件可能已损坏"
                              f"（{type(error).__name__}）。请重新保存后再上传。") from error
    soup = BeautifulSoup(result.value, "html.parser")
    title = take_title(soup, typed_title.strip())
    prepare(soup)
    markdown = MarkdownConverter(heading_style="ATX", bullets="-", table_infer_header=True).convert_soup(soup)
    return Converted(title=title, markdown=tidy(markdown), images=images, notes=notes)


def take_image(image, images: list[PendingImage], notes: list[str], max_bytes: int) -> dict:
    """mammoth's image callback: keep a usable image for storing later; note one that is not."""
    number = len(images) + len(notes) + 1
    with image.open() as stream:
        data = stream.read(max_bytes + 1)
    alt = (image.alt_text or "").strip()
    if len(data) > max_bytes:
        notes.append(f"第 {number} 张图片过大（超过 {megabytes(max_bytes)}），没有转入正文，请见原文件。")
        return {"alt": f"图片 {number}：过大，见原文件"}
    usable = usable_image(data)
    if usable is None:
        notes.append(f"第 {number} 张图片的格式（{image.content_type or '未知'}）无法在网页显示，没有转入正文，请见原文件。")
        return {"alt": f"图片 {number}：格式无法在网页显示，见原文件"}
    data, kind = usable
    pending = PendingImage(f"{secrets.token_hex(16)}.{kind.extension}", data, kind, f"Word 图片 {number}")
    images.append(pending)
    return {"src": f"/uploads/{pending.stored_name}", "alt": alt or f"图片 {number}"}


def usable_image(data: bytes) -> tuple[bytes, ImageKind] | None:
    """PNG, JPEG, GIF and WebP as they are; other raster formats (BMP, TIFF) as PNG; vector EMF/WMF not."""
    kind = sniff(data[:16])
    if kind is not None:
        return data, kind
    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
            converted = io.BytesIO()
            picture.save(converted, "PNG")
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    return converted.getvalue(), ImageKind("image/png", "png")


def take_title(soup: BeautifulSoup, typed_title: str) -> str:
    """The document's title: its first heading when that comes first; removed so it is not repeated."""
    first = next((element for element in soup.find_all(True, recursive=False)
                  if element.get_text(strip=True)), None)
    if first is None or first.name != "h1":
        return ""
    title = first.get_text(" ", strip=True)
    if not typed_title or typed_title == title:
        first.decompose()
    return title


def prepare(soup: BeautifulSoup) -> None:
    """Shift headings so the top one is ##, and escape table-cell pipes that would split a Markdown row."""
    levels = sorted({int(heading.name[1]) for heading in soup.find_all(re.compile(r"^h[1-6]$"))})
    shift = TOP_HEADING_LEVEL - levels[0] if levels else 0
    for heading in soup.find_all(re.compile(r"^h[1-6]$")):
        heading.name = f"h{min(6, max(TOP_HEADING_LEVEL, int(heading.name[1]) + shift))}"
    for cell in soup.find_all(["td", "th"]):
        for text in cell.find_all(string=True):
            if "|" in text:
                text.replace_with(text.replace("|", "\\|"))
    for image in soup.find_all("img", src=False):
        image.replace_with(f"［{image.get('alt', '图片')}］")  # an image that did not convert stays named
    for anchor in soup.find_all("a", href=False):
        anchor.unwrap()  # mammoth's bookmark anchors carry no text worth keeping as links


def tidy(markdown: str) -> str:
    """Trim trailing spaces and runs of blank lines the converter leaves."""
    lines = [line.rstrip() for line in markdown.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
