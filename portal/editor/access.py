"""Who may change a case in which state."""

from __future__ import annotations

from portal.auth.models import User
from portal.cases.models import Case

# Editors write drafts. Once a case is under review or live, only a reviewer (the second pair of
# eyes) may change it, so nothing reaches readers unchecked.
REFUSALS = {
    "in_review": "案例正在审核中，编辑暂不能修改；如需修改，请审核人先退回。",
    "published": "案例已发布，只有审核人可以直接修改；也可请审核人撤回发布后再改。",
    "archived": "案例已归档，请审核人先恢复为草稿再修改。",
}


def edit_refusal(user: User, case: Case) -> str | None:
    """Return why `user` may not change `case` now, or None if they may."""
    if case.status == "draft":
        return None
    if case.status in ("in_review", "published") and user.has_role("reviewer"):
        return None
    return REFUSALS.get(case.status, "当前状态下不能修改此案例。")
