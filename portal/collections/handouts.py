"""PDF and Word handouts of a collection (学员版 / 教师版) or a single case, cached on disk.

Downloads are served from the cache; a handout not rendered yet is queued for the background
renderer and the visitor gets a page that refreshes until it is ready (202), never a silent wait.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from flask import make_response, render_template, send_file
from markupsafe import Markup
from sqlalchemy import select

from portal.auth.decorators import role_required
from portal.cases.models import Case
from portal.collections import queries, word
from portal.collections.access import keep_private
from portal.collections.handout_cache import cache_path, cached_file, renderer
from portal.collections.handout_images import upload_fetcher
from portal.collections.models import Collection, CollectionItem
from portal.collections.sections import note_html
from portal.collections.views import bp
from portal.extensions import db
from portal.timeutil import as_utc

STATIC_DIR = Path(__file__).resolve().parent / "static"
HANDOUT_CSS = STATIC_DIR / "handout.css"
ANCHOR_ATTRIBUTE = re.compile(r'\b(id="|href="#)')
# Bump when word.py or the PDF rendering changes what they write, so cached files are rebuilt.
WORD_VERSION = "word-2"
PDF_VERSION = "pdf-2"
MIMETYPES = {"pdf": "application/pdf",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
RETRY_SECONDS = 2


@dataclass(frozen=True)
class Handout:
    """One downloadable handout: what it is called, what it contains and how to build it."""

    name: str
    fmt: str
    title: str
    slug: str
    html: str
    build: Callable[[], bytes]
    job: tuple

    @property
    def path(self) -> Path:
        extra = HANDOUT_CSS.read_text(encoding="utf-8") + PDF_VERSION if self.fmt == "pdf" else WORD_VERSION
        return cache_path(self.name, self.fmt, self.html + "\0" + extra)

    def file(self) -> Path:
        """Return the rendered file, rendering it now if needed."""
        return cached_file(self.path, self.name, self.build)


@bp.get("/collections/<slug>/handout.pdf")
def collection_handout(slug: str):
    """Download a collection's 学员版 PDF: introduction, cases and questions, no teaching notes."""
    return serve(collection_handout_of(queries.collection_or_404(slug), "pdf", teacher=False))


@bp.get("/collections/<slug>/handout.docx")
def collection_handout_docx(slug: str):
    """Download a collection's 学员版 Word handout."""
    return serve(collection_handout_of(queries.collection_or_404(slug), "docx", teacher=False))


@bp.get("/collections/<slug>/teacher-handout.pdf")
@role_required("trainer")
def collection_teacher_handout(slug: str):
    """Download a collection's 教师版 PDF, with the trainers' teaching notes."""
    return keep_private(serve(collection_handout_of(queries.collection_or_404(slug), "pdf", teacher=True)))


@bp.get("/collections/<slug>/teacher-handout.docx")
@role_required("trainer")
def collection_teacher_handout_docx(slug: str):
    """Download a collection's 教师版 Word handout, with the trainers' teaching notes."""
    return keep_private(serve(collection_handout_of(queries.collection_or_404(slug), "docx", teacher=True)))


@bp.get("/cases/<slug>/handout.pdf")
def case_handout(slug: str):
    """Download one published case as a PDF handout: the case and its questions."""
    return serve(case_handout_of(queries.published_case_or_404(slug), "pdf"))


@bp.get("/cases/<slug>/handout.docx")
def case_handout_docx(slug: str):
    """Download one published case as a Word handout: the case and its questions."""
    return serve(case_handout_of(queries.published_case_or_404(slug), "docx"))


def serve(handout: Handout):
    """Send the cached file, or queue it for the background renderer and answer 202 with a waiting page."""
    target = handout.path
    worker = renderer()
    if target.exists() or worker is None:
        return file_response(handout.file(), handout)
    worker.submit(handout.job, lambda: render_job(*handout.job))
    response = make_response(render_template("collections/handout_wait.html", handout=handout,
                                             retry=RETRY_SECONDS), 202)
    response.headers["Retry-After"] = str(RETRY_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def render_job(kind: str, ident: int, fmt: str, teacher: bool) -> None:
    """Render one handout from fresh rows (runs in the background renderer's app context)."""
    for handout in handouts_for(kind, ident, formats=(fmt,), teachers=(teacher,)):
        handout.file()


def render_changed(collection_ids: set, case_ids: set) -> None:
    """Queue every handout whose content these committed changes touched, for the background renderer."""
    worker = renderer()
    worker.submit(("changed", frozenset(collection_ids), frozenset(case_ids)),
                  lambda: render_all(collection_ids, case_ids))


def render_all(collection_ids: set, case_ids: set) -> None:
    """Render the handouts of these collections and cases, and of the collections holding those cases."""
    holding = db.session.scalars(select(CollectionItem.collection_id).where(CollectionItem.case_id.in_(case_ids)))
    for collection_id in set(collection_ids) | set(holding):
        for handout in handouts_for("collection", collection_id):
            handout.file()
    for case_id in case_ids:
        for handout in handouts_for("case", case_id):
            handout.file()


def handouts_for(kind: str, ident: int, formats=("pdf", "docx"), teachers=(False, True)) -> list[Handout]:
    """Return the handouts of a collection or a published case (none if it is gone or unpublished)."""
    if kind == "case":
        case = db.session.get(Case, ident)
        return [case_handout_of(case, fmt) for fmt in formats] if case and case.is_published else []
    collection = db.session.get(Collection, ident)
    if collection is None:
        return []
    return [collection_handout_of(collection, fmt, teacher) for fmt in formats for teacher in teachers]


def handout_name(collection: Collection, teacher: bool = False) -> str:
    """Name a collection handout's cache file; the two editions never share one."""
    return f"collection-{collection.id}" + ("-teacher" if teacher else "")


def collection_handout_of(collection: Collection, fmt: str, teacher: bool) -> Handout:
    html = collection_handout_html(collection, teacher)
    if fmt == "pdf":
        build = lambda: render_pdf(html, HANDOUT_CSS.read_text(encoding="utf-8"))  # noqa: E731
    else:
        items = queries.public_items(collection)
        build = lambda: word.collection_docx(collection, items, teacher)  # noqa: E731
    title = collection.title + ("（教师版）" if teacher else "")
    return Handout(handout_name(collection, teacher), fmt, title, collection.slug, html, build,
                   ("collection", collection.id, fmt, teacher))


def case_handout_of(case: Case, fmt: str) -> Handout:
    html = case_handout_html(case)
    if fmt == "pdf":
        build = lambda: render_pdf(html, HANDOUT_CSS.read_text(encoding="utf-8"))  # noqa: E731
    else:
        questions = queries.questions_for_case(case)
        build = lambda: word.case_docx(case, questions)  # noqa: E731
    return Handout(f"case-{case.id}", fmt, case.title, case.slug, html, build, ("case", case.id, fmt, False))


def collection_handout_html(collection: Collection, teacher: bool = False) -> str:
    """Render the handout HTML of a collection: cover, contents, every public case, all questions.

    Only the 教师版 (`teacher`) carries the teaching notes.
    """
    items = queries.public_items(collection)
    entries = [{"case": item.case, "note": note_html(item.note_md) if teacher else "",
                "questions": item.questions or [],
                "body": scoped_ids(item.case.body_html, f"c{n}-")} for n, item in enumerate(items, 1)]
    stamps = [collection.updated_at] + [item.case.updated_at for item in items]
    return render_template("collections/handout.html", title=collection.title, audience=collection.audience,
                           intro_html=collection.intro_html, entries=entries, updated=latest(stamps),
                           kind="collection", teacher=teacher)


def case_handout_html(case: Case) -> str:
    """Render the handout HTML of one case, with the questions collections attach to it."""
    entries = [{"case": case, "note": "", "questions": queries.questions_for_case(case),
                "body": Markup(case.body_html)}]
    return render_template("collections/handout.html", title=case.title, audience="", intro_html="",
                           entries=entries, updated=latest([case.updated_at]), kind="case", teacher=False)


def scoped_ids(body_html: str, prefix: str) -> Markup:
    """Prefix the body's anchors, so cases sharing headings (背景, 做法…) keep distinct ids in one PDF."""
    html = ANCHOR_ATTRIBUTE.sub(lambda match: match.group(1) + prefix, body_html or "")
    # body_html was sanitized when the case was saved; only attribute values changed here.
    return Markup(html)


def latest(stamps: list) -> str:
    """Return the newest of these timestamps as a date, the handout's edition."""
    known = [as_utc(stamp) for stamp in stamps if stamp is not None]
    return max(known).strftime("%Y-%m-%d") if known else ""


def render_pdf(html: str, css: str) -> bytes:
    """Turn handout HTML into PDF bytes; only uploaded images are loaded, no other URL is fetched."""
    from weasyprint import CSS, HTML  # imported lazily: loading Pango costs startup time

    document = HTML(string=html, base_url=str(STATIC_DIR), url_fetcher=upload_fetcher())
    # Presentational hints honour HTML attributes such as <ol start="4"> (Markdown writes it).
    return document.write_pdf(stylesheets=[CSS(string=css)], presentational_hints=True)


def file_response(path: Path, handout: Handout):
    """Send the file as a download named after its Chinese title (RFC 5987), with an ASCII fallback."""
    response = send_file(path, mimetype=MIMETYPES[handout.fmt], conditional=True, max_age=0)
    fallback = re.sub(r"[^A-Za-z0-9._-]", "", handout.slug) or "handout"
    filename = f"{handout.title}.{handout.fmt}"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}.{handout.fmt}\"; filename*=UTF-8''{quote(filename, safe='')}")
    return response
