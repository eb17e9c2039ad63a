"""Chinese names for audit-log actions; unknown actions show as recorded."""

ACTION_LABELS = {
    "user.create": "创建用户",
    "user.set_role": "修改角色",
    "user.disable": "停用账号",
    "user.enable": "启用账号",
    "user.reset_password": "重置密码",
    "case.publish": "发布案例",
    "case.unpublish": "撤回发布",
    "case.archive": "归档案例",
    "synonym.create": "新增同义词组",
    "synonym.update": "修改同义词组",
    "synonym.delete": "删除同义词组",
}


def action_label(action: str) -> str:
    """Return the Chinese label for an audit action."""
    return ACTION_LABELS.get(action, action)
