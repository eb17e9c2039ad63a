"""PDF handouts of a collection or a single case, rendered by WeasyPrint and cached on disk."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import quote

from flask import current_app, render_template, send_file
from markupsafe import Markup

from portal.auth.decorators import role_required
from portal.cases.models import Case
from portal.collections import queries
from portal.collections.access import keep_private
from portal.collections.models import Collection
from portal.collections.sections import note_html
from portal.collections.views import bp
from portal.timeutil import as_utc

STATIC_DIR = Path(__file__).resolve().parent / "static"
HANDOUT_CSS = STATIC_DIR / "handout.css"
ANCHOR_ATTRIBUTE = re.compile(r'\b(id="|href="#)')


@bp.get("/collections/<slug>/handout.pdf")
def collection_handout(slug: str):
    """Download a collection's 学员版 PDF handout: introduction, cases and questions, no teaching notes."""
    collection = queries.collection_or_404(slug)
    html = collection_handout_html(collection)
    return pdf_response(cached_pdf(handout_name(collection), html), collection.slug, collection.title)


@bp.get("/collections/<slug>/teacher-handout.pdf")
@role_required("trainer")
def collection_teacher_handout(slug: str):
    """Download a collection's 教师版 PDF handout, with the trainers' teaching notes."""
    collection = queries.collection_or_404(slug)
    html = collection_handout_html(collection, teacher=True)
    response = pdf_response(cached_pdf(handout_name(collection, teacher=True), html), collection.slug,
                            f"{collection.title}（教师版）")
    return keep_private(response)


@bp.get("/cases/<slug>/handout.pdf")
def case_handout(slug: str):
    """Download one published case as a PDF handout."""
    case = queries.published_case_or_404(slug)
    html = case_handout_html(case)
    return pdf_response(cached_pdf(f"case-{case.id}", html), case.slug, case.title)


def handout_name(collection: Collection, teacher: bool = False) -> str:
    """Name a collection handout's cache file; the two editions never share one."""
    return f"collection-{collection.id}" + ("-teacher" if teacher else "")


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


def cached_pdf(name: str, html: str) -> Path:
    """Return the PDF for this HTML, rendering it only when the content or the print CSS changed."""
    css = HANDOUT_CSS.read_text(encoding="utf-8")
    digest = hashlib.sha256((html + "\0" + css).encode("utf-8")).hexdigest()[:20]
    folder = Path(current_app.instance_path) / "handouts"
    target = folder / f"{name}-{digest}.pdf"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(target, render_pdf(html, css))
        remove_stale(folder, name, keep=target)
    return target


def render_pdf(html: str, css: str) -> bytes:
    """Turn handout HTML into PDF bytes; nothing is fetched from outside the document."""
    from weasyprint import CSS, HTML  # imported lazily: loading Pango costs startup time

    document = HTML(string=html, base_url=str(STATIC_DIR), url_fetcher=refusing_fetcher())
    return document.write_pdf(stylesheets=[CSS(string=css)])


def refusing_fetcher():
    """Return a URL fetcher that loads nothing, so a case body cannot make the server fetch URLs."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before 66 takes a plain function
        return refuse_fetch
    return URLFetcher(allowed_protocols=())


def refuse_fetch(url: str, *args, **kwargs):
    """Refuse to load `url` (the fetcher for older WeasyPrint releases)."""
    raise ValueError(f"handouts load no external resources ({url})")


def write_atomically(target: Path, data: bytes) -> None:
    """Write the file under a temporary name and rename it, so readers never see half a PDF."""
    handle, temp = tempfile.mkstemp(dir=target.parent, suffix=".part")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temp, target)


def remove_stale(folder: Path, name: str, keep: Path) -> None:
    """Delete earlier editions of the same handout."""
    for old in folder.glob(f"{name}-*.pdf"):
        # "case-1-*" also matches "case-12-<digest>"; only a bare digest after the name is ours.
        if old != keep and old.name[len(name) + 1:-4].isalnum():
            old.unlink(missing_ok=True)


def pdf_response(path: Path, slug: str, title: str):
    """Send the PDF as a download named after its Chinese title (RFC 5987), with an ASCII fallback."""
    response = send_file(path, mimetype="application/pdf", conditional=True, max_age=0)
    fallback = re.sub(r"[^A-Za-z0-9._-]", "", slug) or "handout"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}.pdf\"; filename*=UTF-8''{quote(title + '.pdf', safe='')}")
    return response
