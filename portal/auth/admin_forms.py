"""Forms for the admin user pages (each carries its own CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from portal.auth.forms import strong_password
from portal.auth.models import ROLE_LABELS, ROLES
from portal.auth.passwords import WEAK_PASSWORD_MESSAGE

ROLE_CHOICES = [SelectChoice(role, ROLE_LABELS[role]) for role in ROLES]


class RoleForm(FlaskForm):
    role = SelectField("角色", choices=ROLE_CHOICES)
    submit = SubmitField("修改角色")


class ActiveForm(FlaskForm):
    """Disable or enable; which one is in the URL, so the form holds only the CSRF token."""


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField("新密码", validators=[DataRequired(WEAK_PASSWORD_MESSAGE), strong_password],
                                 description=WEAK_PASSWORD_MESSAGE)
    confirm_password = PasswordField("再次输入新密码", validators=[
        DataRequired("请再次输入新密码。"), EqualTo("new_password", "两次输入的新密码不一致。")])
    submit = SubmitField("重置密码")


class CreateUserForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名。"), Length(max=64)])
    display_name = StringField("显示名（可选）", validators=[Length(max=64)])
    role = SelectField("角色", choices=ROLE_CHOICES)
    new_password = PasswordField("初始密码", validators=[DataRequired(WEAK_PASSWORD_MESSAGE), strong_password],
                                 description=WEAK_PASSWORD_MESSAGE)
    confirm_password = PasswordField("再次输入密码", validators=[
        DataRequired("请再次输入密码。"), EqualTo("new_password", "两次输入的密码不一致。")])
    submit = SubmitField("创建用户")
