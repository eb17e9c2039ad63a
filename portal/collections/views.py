"""Public collection pages and training mode."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template

from portal.caching import public_page
from portal.collections import queries
from portal.collections.access import keep_private, may_edit, sees_notes
from portal.collections.sections import key_sections, note_html

bp = Blueprint("collections", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/collections")


@bp.context_processor
def collection_helpers():
    """Give templates the helpers that link collections and cases."""
    return {"case_url": queries.case_url, "note_html": note_html, "sees_notes": sees_notes,
            "may_edit": may_edit}


@bp.get("/collections")
@public_page
def collection_list():
    """List the published collections."""
    collections = queries.public_collections()
    counts = {c.id: len(queries.public_items(c)) for c in collections}
    return render_template("collections/list.html", collections=collections, counts=counts)


@bp.get("/collections/<slug>")
@public_page
def collection_detail(slug: str):
    """Show a collection: introduction, then its cases in order with questions (and notes, for trainers)."""
    collection = queries.collection_or_404(slug)
    show_notes = sees_notes()
    response = make_response(render_template("collections/detail.html", collection=collection,
                                             items=queries.public_items(collection), show_notes=show_notes))
    return keep_private(response) if show_notes else response


@bp.get("/collections/<slug>/present")
@public_page
def present(slug: str):
    """Open training mode on its title screen."""
    return present_screen(slug, 0)


@bp.get("/collections/<slug>/present/<int:n>")
@public_page
def present_screen(slug: str, n: int):
    """Show screen `n` of training mode: 0 is the title screen, 1..N the cases."""
    collection = queries.collection_or_404(slug)
    items = queries.public_items(collection)
    if not 0 <= n <= len(items):
        abort(404)
    item = items[n - 1] if n else None
    return render_template("collections/present.html", collection=collection, items=items, n=n,
                           total=len(items), item=item,
                           sections=key_sections(item.case.body_html) if item else [])
