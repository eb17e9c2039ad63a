"""Image uploads: the editors' upload form, the JSON answer the edit page's script uses, and the public image route."""

from __future__ import annotations

from flask import abort, jsonify, redirect, render_template, request, send_from_directory, url_for
from flask_login import current_user

from portal.auth.decorators import role_required
from portal.editor.forms import UploadForm
from portal.editor.models import Upload
from portal.editor.uploads import STORED_NAME, UploadRefused, markdown_snippet, store, upload_dir
from portal.editor.views import bp, uploads_bp
from portal.extensions import db

LISTED_UPLOADS = 30


def wants_json() -> bool:
    """The edit page's script asks for JSON; a plain form post gets a page."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def render_uploads(form: UploadForm, status: int = 200, error: str | None = None, new: str | None = None):
    """Render the upload page with my recent images, highlighting a new one or showing an error."""
    uploads = db.session.scalars(db.select(Upload).where(Upload.uploader_id == current_user.id)
                                 .order_by(Upload.created_at.desc(), Upload.id.desc()).limit(LISTED_UPLOADS))
    listed = [(upload, markdown_snippet(upload)) for upload in uploads]
    return render_template("editor/uploads.html", form=form, uploads=listed, error=error, new=new), status


@bp.get("/uploads")
@role_required("editor")
def uploads():
    """Show the upload form and my recent images with their Markdown snippets."""
    return render_uploads(UploadForm(), new=request.args.get("new"))


@bp.post("/uploads")
@role_required("editor")
def upload():
    """Accept one image (checked by content and size) and hand back its Markdown snippet."""
    form = UploadForm()
    if not form.validate_on_submit():
        return refuse(form, "；".join(message for errors in form.errors.values() for message in errors))
    try:
        stored = store(form.image.data, current_user)
    except UploadRefused as refused:
        return refuse(form, str(refused))
    db.session.commit()
    snippet = markdown_snippet(stored, form.description.data or "")
    if wants_json():
        return jsonify(url=f"/uploads/{stored.stored_name}", markdown=snippet), 201
    return redirect(url_for("editor.uploads", new=stored.stored_name))


def refuse(form: UploadForm, message: str):
    """Answer a refused upload with the reason, as JSON or on the upload page."""
    if wants_json():
        return jsonify(error={"code": 400, "message": message}), 400
    return render_uploads(form, 400, error=message)


@uploads_bp.get("/uploads/<name>")
def serve(name: str):
    """Serve an uploaded image to anyone; published cases show them."""
    if not STORED_NAME.fullmatch(name):
        abort(404)
    upload = db.session.scalar(db.select(Upload).where(Upload.stored_name == name))
    if upload is None:
        abort(404)
    response = send_from_directory(upload_dir(), name, mimetype=upload.content_type, max_age=31536000)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response
