"""Move a case's editable fields between the form, the Case row and revision snapshots."""

from __future__ import annotations

from portal.cases.models import Area, Case, Region, Tag
from portal.content.cases import normalize_body
from portal.editor.forms import CaseForm, parse_tags
from portal.editor.house_template import strip_prompts
from portal.extensions import db
from portal.markdown import render_markdown

# Snapshot keys an editor changes; "status" only moves through the review workflow.
CONTENT_KEYS = ("title", "summary", "area", "secondary_areas", "region", "place", "level", "tags", "year",
                "source", "body")


def form_snapshot(form: CaseForm) -> dict:
    """Return the form's values shaped like Case.snapshot(), without the status."""
    return {
        "title": (form.title.data or "").strip(),
        "summary": (form.summary.data or "").strip(),
        "area": form.area.data or None,
        "secondary_areas": [slug for slug in (form.secondary_areas.data or []) if slug != form.area.data],
        "region": form.region.data or None,
        "place": (form.place.data or "").strip() or None,
        "level": form.level.data,
        "tags": parse_tags(form.tags.data),
        "year": form.year.data,
        "source": (form.source.data or "").strip() or None,
        # Browsers send CRLF; store the body as the importer does so exports round-trip unchanged.
        "body": normalize_body(strip_prompts(form.body.data)),
    }


def apply_snapshot(case: Case, data: dict) -> None:
    """Set the case's content fields from a snapshot (a saved form or an old revision)."""
    with db.session.no_autoflush:
        area = _area(data.get("area")) or case.area
        region = _region(data.get("region")) or case.region
        secondary = [found for slug in data.get("secondary_areas") or [] if (found := _area(slug))]
        tags = [Tag.get_or_create(name) for name in data.get("tags") or []]
    case.title, case.summary = data.get("title") or case.title, data.get("summary") or ""
    case.area, case.region = area, region
    case.secondary_areas = [found for found in secondary if found is not area]
    case.place, case.level, case.year = data.get("place"), data.get("level") or case.level, data.get("year")
    case.source = data.get("source")
    case.set_tags(tags)
    set_body(case, data.get("body") or "")


def set_body(case: Case, body: str) -> None:
    """Store the Markdown and its sanitized rendering together."""
    rendered = render_markdown(body)
    case.body_md, case.body_html, case.toc_html = body, rendered.html, rendered.toc_html


def fill_form(form: CaseForm, data: dict) -> None:
    """Put snapshot values back into a form (for a conflict page or a restored draft)."""
    form.title.data, form.summary.data = data.get("title"), data.get("summary")
    form.area.data, form.secondary_areas.data = data.get("area"), data.get("secondary_areas") or []
    form.region.data, form.place.data = data.get("region"), data.get("place")
    form.level.data, form.year.data = data.get("level"), data.get("year")
    form.tags.data, form.source.data = "、".join(data.get("tags") or []), data.get("source")
    form.body.data = data.get("body")


def suggestion_text(form: CaseForm) -> str:
    """The text suggestions are drawn from: title, summary and body."""
    return "\n".join(part or "" for part in (form.title.data, form.summary.data, strip_prompts(form.body.data)))


def _area(slug: str | None) -> Area | None:
    return db.session.scalar(db.select(Area).where(Area.slug == slug)) if slug else None


def _region(code: str | None) -> Region | None:
    return db.session.scalar(db.select(Region).where(Region.code == code)) if code else None
