"""The inbox's forms: e-mail settings; the buttons (read, follow) only carry the CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import Length, Optional, Regexp, ValidationError

ADDRESS = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class ButtonForm(FlaskForm):
    """A POST button: CSRF token plus where to go back to."""

    next = HiddenField()


class MailForm(FlaskForm):
    """Whether, and where, to e-mail the inbox's notices."""

    address = StringField("电子邮箱", validators=[Optional(), Length(max=254, message="邮箱地址不能超过 254 个字符。"),
                                               Regexp(ADDRESS, message="邮箱地址格式不对，应类似 name@example.gov.cn。")],
                          description="只用于发送本站的消息提醒。")
    enabled = BooleanField("有新消息时同时发邮件给我")

    def validate_enabled(self, field) -> None:
        if field.data and not (self.address.data or "").strip():
            raise ValidationError("要收邮件，请先填写邮箱地址。")
