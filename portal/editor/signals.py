"""The editor feature's announcements: what happened to a case, for features above it to act on.

The editor imports no feature above it. The inbox (and anything else that wants to know) connects
receivers in its init_app. Signals are sent inside the transaction of the change, before commit, so
whatever a receiver adds to the session commits or rolls back with the change itself.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

workflow_event = _signals.signal("workflow-event", doc=(
    "Sent with the case after a review step (submit, return, publish...) is recorded; "
    "keyword arguments: event (the ReviewEvent) and actor (the User)."))
case_saved = _signals.signal("case-saved", doc=(
    "Sent with the case after an editor saved (or restored) a revision of it; "
    "keyword arguments: revision and actor."))
comment_posted = _signals.signal("comment-posted", doc=(
    "Sent with the case after a staff comment on it was added; keyword arguments: comment (the "
    "CaseComment), actor, and mentioned (the users it names with @, who may read the discussion)."))
case_tools = _signals.signal("case-tools", doc=(
    "Sent with the case when a staff page about it (edit, history) is rendered; receivers return "
    "HTML (Markup) to show under its title, such as a follow button."))

dashboard_tools = _signals.signal("dashboard-tools", doc=(
    "Sent with the current user when the 编辑台 is rendered; receivers return HTML (Markup) for its "
    "toolbar, such as a link to the intake queue with the number waiting."))


dashboard_sections = _signals.signal("dashboard-sections", doc=(
    "Sent with the user when the 编辑台 is rendered; receivers return HTML (Markup) sections to add, "
    "such as another feature's review queue."))


def answers(signal, sender) -> list:
    """The non-empty values the receivers of `signal` return for `sender`."""
    return [html for _receiver, html in signal.send(sender) if html]


def sections_for(user) -> list:
    """The HTML sections other features add to the 编辑台."""
    return answers(dashboard_sections, user)


def tools_for(case) -> list:
    """The HTML pieces other features add to a case's staff pages."""
    return answers(case_tools, case)


def dashboard_extras(user) -> list:
    """The HTML pieces other features add to the 编辑台's toolbar."""
    return answers(dashboard_tools, user)
