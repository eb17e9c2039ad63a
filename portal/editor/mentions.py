"""Finding the colleagues a comment names with @: by user name or by the name shown on the site.

Chinese runs on without spaces ("@张编辑请看"), so a mention is the longest name that follows an @,
not a word up to the next space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.auth.models import User
from portal.extensions import db


@dataclass(frozen=True)
class Mentions:
    """Who a comment names: those who may read the discussion, and those who may not (told, not dropped)."""

    staff: list[User]
    outsiders: list[User]


# A Latin name must end where the word does: @li is not a mention inside @lisa.
LATIN_TAIL = re.compile(r"[a-z0-9_.\-]")


def names_of(user: User) -> set[str]:
    return {name.lower() for name in (user.username, user.display_name) if name}


def mentioned(text: str, users: list[User]) -> list[User]:
    """The users whose user name or shown name follows an @ in `text`, in order of first mention."""
    found: list[User] = []
    lowered = text.replace("＠", "@").lower()
    start = lowered.find("@")
    while start != -1:
        rest = lowered[start + 1:]
        best = max(((user, name) for user in users for name in names_of(user) if follows(rest, name)),
                   key=lambda pair: len(pair[1]), default=None)
        if best is not None and best[0] not in found:
            found.append(best[0])
        start = lowered.find("@", start + 1)
    return found


def follows(rest: str, name: str) -> bool:
    """True if `rest` (the text after an @) starts with `name` as a whole name."""
    if not rest.startswith(name):
        return False
    after = rest[len(name):len(name) + 1]
    return not (after and LATIN_TAIL.match(name[-1]) and LATIN_TAIL.match(after))


def find_mentions(text: str, role: str = "editor") -> Mentions:
    """Resolve the @names in `text` among active accounts, split by whether they hold `role`."""
    if "@" not in text and "＠" not in text:
        return Mentions([], [])
    users = list(db.session.scalars(db.select(User).where(User.active.is_(True))))
    named = mentioned(text, users)
    return Mentions([u for u in named if u.has_role(role)], [u for u in named if not u.has_role(role)])
