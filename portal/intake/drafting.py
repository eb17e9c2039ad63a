"""An accepted submission as a draft case, written through the case field declaration's one writer."""

from __future__ import annotations

from portal.auth.models import User
from portal.cases import fields
from portal.cases.models import Case, Region, Revision
from portal.editor import taxonomy_suggestions
from portal.editor.forms import slug_taken
from portal.extensions import db
from portal.intake.models import Submission
from portal.slugs import slug_from_title, unique_slug
from portal.timeutil import china_date

# The structured answers become the house template's first three sections.
SECTIONS = (("背景", "problem"), ("做法", "actions"), ("成效", "results"))
FALLBACK_SLUG = "baosong"


def draft_body(submission: Submission) -> str:
    """The case body: the answered sections, then the Word file's text."""
    parts = [f"## {heading}\n\n{getattr(submission, name).strip()}" for heading, name in SECTIONS
             if getattr(submission, name).strip()]
    if submission.document_md.strip():
        parts.append(submission.document_md.strip())
    return "\n\n".join(parts) + "\n"


def suggestion_text(submission: Submission) -> str:
    """Everything the contributor wrote about the practice, for area, region and tag suggestions."""
    return "\n".join([submission.title, submission.place, draft_body(submission)])


def suggestions(submission: Submission) -> taxonomy_suggestions.Suggestions:
    return taxonomy_suggestions.suggest_from_database(suggestion_text(submission))


def case_values(submission: Submission, area: str, region: Region, tags: list[str]) -> dict:
    """Snapshot values for the new case: every declared field, unknown ones left empty."""
    values = dict.fromkeys(fields.content_keys())
    values.update(title=submission.title, summary="", area=area, region=region.code,
                  place=submission.place or None, level=fields.LEVEL_BY_REGION_KIND.get(region.kind, "市级"),
                  tags=tags, source=source_line(submission), body=draft_body(submission))
    return values


def source_line(submission: Submission) -> str:
    where = submission.region.name if submission.region else "基层"
    return f"{where}报送材料（{china_date(submission.created_at)} 报送）"


def create_draft(submission: Submission, editor: User, area: str, region: Region, tags: list[str]) -> Case:
    """Add the draft case owned by `editor`, with its first revision (the caller commits)."""
    slug = unique_slug(slug_from_title(submission.title) or FALLBACK_SLUG, slug_taken)
    case = Case(slug=slug, status="draft", author=editor)
    fields.write_case(case, case_values(submission, area, region, tags))
    db.session.add(case)
    db.session.flush()
    Revision.record(case, editor, f"由报送 #{submission.id} 采纳为草稿")
    return case
