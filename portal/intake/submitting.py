"""Turning a posted form (and Word file) into a stored submission: all of it, or nothing at all."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app

from portal.auth.models import User
from portal.cases.models import Area, Region
from portal.editor.uploads import save_image, upload_dir
from portal.extensions import db
from portal.intake.forms import SubmissionForm
from portal.intake.models import Submission, SubmissionMessage
from portal.intake.signals import intake_resubmitted
from portal.intake.wordfiles import Converted, WordFileRefused, check_container, convert

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment_dir() -> Path:
    """Where original Word files live: under the instance dir, never served directly."""
    return Path(current_app.config["INTAKE_DIR"])


def read_document(form: SubmissionForm) -> tuple[bytes, str, Converted] | None:
    """Read, check and convert the uploaded Word file, if any; raises WordFileRefused."""
    if not form.has_document():
        return None
    upload = form.document.data
    limit = current_app.config["INTAKE_MAX_BYTES"]
    data = upload.stream.read(limit + 1)
    name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
    check_container(data, name, limit, current_app.config["INTAKE_MAX_UNPACKED_BYTES"])
    return data, name, convert(data, name, current_app.config["UPLOAD_MAX_BYTES"], form.title.data or "")


def create(form: SubmissionForm, contributor: User) -> Submission:
    """Store a new submission from the form; raises WordFileRefused with nothing written."""
    document = read_document(form)
    submission = Submission(contributor_id=contributor.id, status="submitted")
    fill(submission, form, document)
    with files_removed_on_failure() as written:
        store_document(submission, document, contributor, written)
        db.session.add(submission)
        db.session.commit()
    return submission


def resubmit(submission: Submission, form: SubmissionForm, contributor: User) -> None:
    """Apply the contributor's changes (and new file) and put the submission back in the queue."""
    document = read_document(form)
    fill(submission, form, document)
    submission.status = "submitted"
    if (form.reply.data or "").strip():
        submission.messages.append(SubmissionMessage(author_id=contributor.id, kind="reply",
                                                     body=form.reply.data.strip()))
    replaced = submission.attachment_stored
    with files_removed_on_failure() as written:
        store_document(submission, document, contributor, written)
        db.session.flush()
        intake_resubmitted.send(submission, contributor=contributor, message=(form.reply.data or "").strip())
        db.session.commit()
    if document and replaced:
        (attachment_dir() / replaced).unlink(missing_ok=True)


def fill(submission: Submission, form: SubmissionForm, document: tuple[bytes, str, Converted] | None) -> None:
    """Copy the form's fields; a Word file's title stands in for an empty one."""
    converted = document[2] if document else None
    title = (form.title.data or "").strip() or (converted.title if converted else "")
    if not title:
        raise WordFileRefused(f"{document[1] if document else '报送'}：找不到标题，请在“标题”一栏填写。")
    submission.title = title[:200]
    submission.place = (form.place.data or "").strip()
    submission.region = db.session.scalar(db.select(Region).where(Region.code == form.region.data)) \
        if form.region.data else None
    submission.area = db.session.scalar(db.select(Area).where(Area.slug == form.area.data)) if form.area.data else None
    for name in ("problem", "actions", "results", "contact"):
        setattr(submission, name, (getattr(form, name).data or "").strip())
    if converted is not None:
        submission.document_md, submission.conversion_notes = converted.markdown, list(converted.notes)


def store_document(submission: Submission, document: tuple[bytes, str, Converted] | None, contributor: User,
                   written: list[Path]) -> None:
    """Write the original file and the document's images, noting each path so a failure removes them."""
    if document is None:
        return
    data, name, converted = document
    folder = attachment_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}.docx"
    written.append(folder / stored)
    (folder / stored).write_bytes(data)
    submission.attachment_stored, submission.attachment_name, submission.attachment_size = stored, name, len(data)
    for image in converted.images:
        written.append(upload_dir() / image.stored_name)
        save_image(image.data, image.kind, image.original_name, contributor, name=image.stored_name)


@contextmanager
def files_removed_on_failure() -> Iterator[list[Path]]:
    """Collect written paths; if the block fails (the commit included), roll back and delete them."""
    written: list[Path] = []
    try:
        yield written
    except BaseException:
        db.session.rollback()
        for path in written:
            path.unlink(missing_ok=True)
        raise
