"""Account changes shared by the `portal users` CLI and the admin pages; each leaves an audit entry."""

from __future__ import annotations

from sqlalchemy import func, select

from portal import audit
from portal.audit.labels import describe
from portal.auth import sessions
from portal.auth.models import ROLE_LABELS, ROLES, User
from portal.auth.passwords import hash_password
from portal.extensions import db

describe(actions={"user.create": "创建用户", "user.set_role": "修改角色", "user.disable": "停用账号",
                  "user.enable": "启用账号", "user.reset_password": "重置密码"},
         details={"role": "角色", "old": "原角色", "new": "新角色"},
         values={"role": ROLE_LABELS, "old": ROLE_LABELS, "new": ROLE_LABELS})


class AccountError(ValueError):
    """A refused account change, with a message fit to show the person who asked for it."""


def find_by_username(username: str) -> User | None:
    """Return the account named `username` (case-insensitive)."""
    name = (username or "").strip().lower()
    return db.session.scalar(select(User).where(func.lower(User.username) == name))


def get_user(username: str) -> User:
    """Return the account named `username` or raise AccountError."""
    user = find_by_username(username)
    if user is None:
        raise AccountError(f"没有名为 {username} 的用户。")
    return user


def create_user(username: str, role: str, password: str, display_name: str = "",
                actor: User | None = None) -> User:
    """Add an account after checking the username, role and password."""
    username = (username or "").strip()
    _check_username(username)
    _check_role(role)
    user = User(username=username, role=role, display_name=(display_name or "").strip()[:64],
                password_hash=hash_password(password), active=True)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", user, role=role)
    db.session.commit()
    return user


def set_role(user: User, role: str, actor: User | None = None) -> None:
    """Change `user`'s role, keeping at least one active admin."""
    _check_role(role)
    if role == user.role:
        return
    if user.role == "admin":
        _keep_an_admin(user, "降级")
    old = user.role
    user.role = role
    audit.record(actor, "user.set_role", user, old=old, new=role)
    db.session.commit()


def set_active(user: User, active: bool, actor: User | None = None) -> None:
    """Disable or re-enable `user`, keeping at least one active admin."""
    if user.active == active:
        return
    if not active and user.role == "admin":
        _keep_an_admin(user, "停用")
    user.active = active
    if not active:
        sessions.end_all(user)
    audit.record(actor, "user.enable" if active else "user.disable", user)
    db.session.commit()


def reset_password(user: User, password: str, actor: User | None = None) -> None:
    """Give `user` a new password; their existing sessions stop working."""
    user.password_hash = hash_password(password)
    sessions.end_all(user)
    audit.record(actor, "user.reset_password", user)
    db.session.commit()


def _check_username(username: str) -> None:
    if not username or len(username) > 64 or any(char.isspace() for char in username):
        raise AccountError("用户名不能为空、不能含空格，且不超过 64 个字符。")
    if find_by_username(username) is not None:
        raise AccountError(f"用户名 {username} 已存在。")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"角色必须是 {'、'.join(f'{r}（{ROLE_LABELS[r]}）' for r in ROLES)} 之一。")


def _keep_an_admin(user: User, verb: str) -> None:
    others = db.session.scalar(select(func.count(User.id)).where(
        User.role == "admin", User.active.is_(True), User.id != user.id))
    if not others:
        raise AccountError(f"{user.username} 是最后一位有效的管理员，不能{verb}。")
