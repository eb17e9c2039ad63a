"""Public collection pages and training mode."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template

from portal.auth.decorators import role_required
from portal.caching import public_page
from portal.collections import queries, review
from portal.collections.access import keep_private, may_edit, sees_notes
from portal.collections.page_version import collection_list_version, collection_version
from portal.collections.review import may_publish
from portal.collections.sections import note_html
from portal.collections.slides import build_deck, first_slide_of_case

bp = Blueprint("collections", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/collections")


@bp.context_processor
def collection_helpers():
    """Give templates the helpers that link collections and cases."""
    return {"case_url": queries.case_url, "note_html": note_html, "sees_notes": sees_notes,
            "may_edit": may_edit, "first_slide_of_case": first_slide_of_case,
            "may_publish_collections": may_publish, "review_state": review.review_state,
            "state_labels": review.STATE_LABELS, "returned_comment": review.returned_comment,
            "own_changes": review.own_changes}


@bp.get("/collections")
@public_page(versioned_by=collection_list_version)
def collection_list():
    """List the published collections."""
    collections = queries.public_collections()
    counts = {c.id: len(queries.public_items(c)) for c in collections}
    return render_template("collections/list.html", collections=collections, counts=counts)


@bp.get("/collections/<slug>")
@public_page(versioned_by=collection_version)
def collection_detail(slug: str):
    """Show a collection: introduction, then its cases in order with questions (and notes, for trainers)."""
    collection = queries.collection_or_404(slug)
    show_notes = sees_notes()
    items = queries.public_items(collection)
    deck = build_deck(collection, items)
    starts = {number: first_slide_of_case(deck, number) for number in range(1, len(items) + 1)}
    response = make_response(render_template("collections/detail.html", collection=collection, items=items,
                                             show_notes=show_notes, starts=starts))
    return keep_private(response) if show_notes else response


@bp.get("/collections/<slug>/present")
@public_page(versioned_by=collection_version)
def present(slug: str):
    """Open training mode on its title screen."""
    return present_screen(slug, 0)


@bp.get("/collections/<slug>/present/<int:n>")
@public_page(versioned_by=collection_version)
def present_screen(slug: str, n: int):
    """Show slide `n` on the projector: 0 is the title screen, then 背景 / 做法 / 成效 / 讨论 per case."""
    collection, items, deck = deck_or_404(slug, n)
    return render_template("collections/present.html", collection=collection, items=items, deck=deck,
                           slide=deck[n], n=n, total=len(deck) - 1)


@bp.get("/collections/<slug>/present/<int:n>/presenter")
@role_required("trainer")
def presenter_screen(slug: str, n: int):
    """Show the trainer's view of slide `n`: this slide and the next, the notes, the questions, a clock."""
    collection, items, deck = deck_or_404(slug, n)
    response = make_response(render_template(
        "collections/presenter.html", collection=collection, items=items, deck=deck, slide=deck[n],
        next_slide=deck[n + 1] if n + 1 < len(deck) else None, n=n, total=len(deck) - 1))
    return keep_private(response)


def deck_or_404(slug: str, n: int):
    """Return the collection, its public items and its slides, or answer 404 for a slide it lacks."""
    collection = queries.collection_or_404(slug)
    items = queries.public_items(collection)
    deck = build_deck(collection, items)
    if not 0 <= n < len(deck):
        abort(404)
    return collection, items, deck
