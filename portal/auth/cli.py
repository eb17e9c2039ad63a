"""`portal users ...`: create accounts, change roles, disable, reset passwords, list."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from portal.auth import accounts
from portal.auth.models import ROLE_LABELS, ROLES, User
from portal.auth.passwords import WeakPasswordError, check_policy
from portal.extensions import db

users_cli = click.Group("users", help=f"管理{'、'.join(ROLE_LABELS.values())}账号。")
ROLE_CHOICE = click.Choice(ROLES)


def read_password(from_stdin: bool) -> str:
    """Read a new password from stdin's first line, or from a hidden prompt asked twice."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")
    try:
        check_policy(password)
    except WeakPasswordError as error:
        raise click.ClickException(str(error)) from error
    return password


def run(action, *args, **kwargs):
    """Call an accounts function, turning AccountError into a clean non-zero exit."""
    try:
        return action(*args, **kwargs)
    except (accounts.AccountError, WeakPasswordError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error


def lookup(username: str) -> User:
    return run(accounts.get_user, username)


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=ROLE_CHOICE, required=True, help="、".join(ROLES))
@click.option("--display-name", default="", help="页面上显示的姓名")
@click.option("--password-stdin", is_flag=True, help="从标准输入的第一行读取密码")
@with_appcontext
def create(username: str, role: str, display_name: str, password_stdin: bool) -> None:
    """Create an account."""
    if accounts.find_by_username(username):
        raise click.ClickException(f"用户名 {username} 已存在。")
    password = read_password(password_stdin)
    user = run(accounts.create_user, username, role, password, display_name)
    click.echo(f"已创建用户 {user.username}（{user.role_label}）。")


@users_cli.command("set-role")
@click.argument("username")
@click.argument("role", type=ROLE_CHOICE)
@with_appcontext
def set_role(username: str, role: str) -> None:
    """Change an account's role."""
    user = lookup(username)
    run(accounts.set_role, user, role)
    click.echo(f"{user.username} 的角色现在是 {user.role_label}。")


@users_cli.command("disable")
@click.argument("username")
@with_appcontext
def disable(username: str) -> None:
    """Disable an account so it can no longer log in."""
    user = lookup(username)
    run(accounts.set_active, user, False)
    click.echo(f"已停用 {user.username}。")


@users_cli.command("enable")
@click.argument("username")
@with_appcontext
def enable(username: str) -> None:
    """Re-enable a disabled account."""
    user = lookup(username)
    run(accounts.set_active, user, True)
    click.echo(f"已启用 {user.username}。")


@users_cli.command("reset-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="从标准输入的第一行读取密码")
@with_appcontext
def reset_password(username: str, password_stdin: bool) -> None:
    """Set a new password for an account (its open sessions end)."""
    user = lookup(username)
    run(accounts.reset_password, user, read_password(password_stdin))
    click.echo(f"已重置 {user.username} 的密码。")


@users_cli.command("list")
@with_appcontext
def list_users() -> None:
    """List every account with its role and status."""
    users = db.session.scalars(select(User).order_by(User.username)).all()
    if not users:
        click.echo("还没有用户。用 portal users create 创建第一个管理员。")
    for user in users:
        status = "有效" if user.active else "已停用"
        click.echo(f"{user.username}\t{user.role}\t{status}\t{user.display_name}")
