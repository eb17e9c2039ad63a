"""Chinese names for audit-log actions, detail keys, states and roles; unknown ones show as recorded."""

from portal.auth.models import ROLE_LABELS
from portal.cases.models import STATUS_LABELS

ACTION_LABELS = {
    "user.create": "创建用户",
    "user.set_role": "修改角色",
    "user.disable": "停用账号",
    "user.enable": "启用账号",
    "user.reset_password": "重置密码",
    "case.publish": "发布案例",
    "case.unpublish": "撤回发布",
    "case.archive": "归档案例",
    "case.restore_revision": "恢复旧版",
    "collection.update": "修改合集",
    "collection.publish": "发布合集",
    "collection.unpublish": "撤回合集",
    "collection.feature": "首页推荐合集",
    "collection.unfeature": "取消首页推荐",
    "case.withdraw": "撤回审核申请",
    "synonym.create": "新增同义词组",
    "synonym.update": "修改同义词组",
    "synonym.delete": "删除同义词组",
    "search_miss.answer": "标记读者搜索为已解答",
    "search_miss.reopen": "读者搜索放回待处理",
}
DETAIL_LABELS = {
    "title": "标题", "from": "原状态", "to": "新状态", "comment": "说明", "role": "角色", "old": "原角色",
    "new": "新角色", "variants": "同义词", "term": "词条", "before": "修改前",
    "revision": "恢复的版本", "new_revision": "新版本号",
}
# Which vocabulary a detail value comes from, so "draft" reads 草稿 and "reviewer" reads 审核人.
VALUE_LABELS = {"from": STATUS_LABELS, "to": STATUS_LABELS, "role": ROLE_LABELS, "old": ROLE_LABELS,
                "new": ROLE_LABELS}


def action_label(action: str) -> str:
    """Return the Chinese label for an audit action."""
    return ACTION_LABELS.get(action, action)


def detail_rows(detail: dict | None) -> list[tuple[str, str]]:
    """An entry's details as (Chinese label, readable value) pairs, empty values left out."""
    return [(DETAIL_LABELS.get(key, key), shown_value(key, value))
            for key, value in (detail or {}).items() if value not in (None, "", [])]


def shown_value(key: str, value) -> str:
    """A detail value as a person reads it: states and roles by name, lists joined with 、."""
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if isinstance(value, dict):
        return "，".join(f"{label}：{shown}" for label, shown in detail_rows(value))
    return VALUE_LABELS.get(key, {}).get(value, str(value)) if isinstance(value, str) else str(value)
