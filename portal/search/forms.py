"""Forms of the search package's staff pages: synonym groups and answering a search miss."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

# Editors separate variants however they like: new lines, 、，, ; or spaces.
_SEPARATORS = re.compile(r"[\s,，、;；]+")


def split_variants(text: str | None) -> list[str]:
    """Return the variants typed into the form, in order, without empty pieces."""
    return [piece for piece in _SEPARATORS.split(text or "") if piece]


class SynonymGroupForm(FlaskForm):
    """One synonym group: the canonical term and the other ways readers say it."""

    term = StringField("规范用词", validators=[DataRequired("请填写规范用词"), Length(max=64)],
                       description="案例中使用的说法，如“陈尸陈案”。")
    variants = TextAreaField("同义词", validators=[DataRequired("至少填写一个同义词"), Length(max=2000)],
                             description="读者可能使用的其他说法，每行一个，或用顿号、逗号分隔。")


class DeleteForm(FlaskForm):
    """A form with only the CSRF token, for delete buttons."""


class CaseAnswerForm(FlaskForm):
    """Answer a missed query with a published case."""

    case = StringField("案例", validators=[DataRequired("请填写案例的网址名或完整标题"), Length(max=300)],
                       description="填写案例的网址名（如 yingcun-minshi-cunliao）或完整标题。")


class SynonymAnswerForm(FlaskForm):
    """Answer a missed query by making it a synonym of a word the cases use."""

    term = StringField("规范用词", validators=[DataRequired("请填写案例中使用的说法"), Length(max=64)],
                       description="读者的说法将作为这个词的同义词；该词已有同义词组时加入该组。")
