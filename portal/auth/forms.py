"""Forms for logging in and changing one's own password (all CSRF-protected by Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from portal.auth.passwords import WEAK_PASSWORD_MESSAGE, WeakPasswordError, check_policy


def strong_password(form, field) -> None:
    """WTForms validator applying the shared password policy."""
    try:
        check_policy(field.data or "")
    except WeakPasswordError as error:
        raise ValidationError(str(error)) from error


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名。"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码。"), Length(max=1024)])
    next = HiddenField()
    submit = SubmitField("登录")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("当前密码", validators=[DataRequired("请输入当前密码。")])
    new_password = PasswordField("新密码", validators=[DataRequired(WEAK_PASSWORD_MESSAGE), strong_password],
                                 description=WEAK_PASSWORD_MESSAGE)
    confirm_password = PasswordField("再次输入新密码", validators=[
        DataRequired("请再次输入新密码。"), EqualTo("new_password", "两次输入的新密码不一致。")])
    submit = SubmitField("修改密码")
