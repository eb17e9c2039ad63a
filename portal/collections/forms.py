"""Forms editors use to build collections in the browser (all CSRF-protected by Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.collections.file_checks import MAX_QUESTION_LENGTH
from portal.collections.models import Collection
from portal.extensions import db
from portal.slugs import slug_from_title, slug_problem, unique_slug

MAX_QUESTIONS = 10


def slug_taken(slug: str) -> bool:
    """True if a collection already has this 网址名 (whether it is the form's own is the view's call)."""
    return db.session.scalar(db.select(Collection.id).where(Collection.slug == slug)) is not None


def well_formed_slug(form, field) -> None:
    """Fill a blank 网址名 from the title's pinyin; refuse a malformed one saying what is allowed."""
    field.data = (field.data or "").strip()  # stored as checked: never with a stray newline
    if not field.data and (form.title.data or "").strip():
        # Left blank (or no JavaScript to fill it in): spell the title, as the page would have.
        field.data = unique_slug(slug_from_title(form.title.data) or "heji", slug_taken)
    problem = slug_problem(field.data)
    if problem:
        raise ValidationError(problem)


class CollectionForm(FlaskForm):
    """Title, address, audience, introduction and the two switches of a collection."""

    title = StringField("标题", validators=[DataRequired("请填写标题"), Length(max=200)])
    slug = StringField("网址名", validators=[Length(max=120), well_formed_slug],
                       description="合集网址 /collections/… 的最后一段，按标题的拼音自动生成，可改；"
                                   "只能用小写拼音字母、数字和连字符。")
    audience = StringField("适用对象", validators=[Optional(), Length(max=200)],
                           description="例如：新任乡镇（街道）干部")
    intro_md = TextAreaField("导言", validators=[Optional(), Length(max=20000)],
                             description="可用 Markdown：## 小标题、- 列表、[链接](网址)。")
    featured = BooleanField("在首页推荐")
    published = BooleanField("公开发布", default=True)


class AddItemForm(FlaskForm):
    """Pick a case to append to the collection."""

    # Choices are checked by the view, which can say in Chinese why a case cannot be added.
    case_id = SelectField("选择案例", coerce=int, validate_choice=False,
                          validators=[DataRequired("请选择一个案例")])

    def __init__(self, *args, **kwargs):
        # Prefixed so its CSRF field's id differs from the collection form's on the same page.
        kwargs.setdefault("prefix", "add")
        super().__init__(*args, **kwargs)


class ItemForm(FlaskForm):
    """The trainer's note and discussion questions of one item."""

    note = TextAreaField("培训者导读", validators=[Optional(), Length(max=5000)])
    questions = TextAreaField("讨论题（每行一题）", validators=[Optional()],
                              description=f"每行写一道题，最多 {MAX_QUESTIONS} 题。")

    def validate_questions(self, field) -> None:
        """Refuse too many or too long questions."""
        lines = question_lines(field.data)
        if len(lines) > MAX_QUESTIONS:
            raise ValidationError(f"讨论题最多 {MAX_QUESTIONS} 道，现在有 {len(lines)} 道")
        too_long = [n for n, line in enumerate(lines, 1) if len(line) > MAX_QUESTION_LENGTH]
        if too_long:
            raise ValidationError(f"第 {too_long[0]} 题过长，每题最多 {MAX_QUESTION_LENGTH} 字")


class MoveForm(FlaskForm):
    """Move an item one place up or down (the buttons send direction=up|down)."""

    direction = SelectField("方向", choices=[SelectChoice("up", "上移"), SelectChoice("down", "下移")])


class RemoveForm(FlaskForm):
    """Take an item out of the collection; only the CSRF token is needed."""


def question_lines(text: str | None) -> list[str]:
    """Split the questions box into one question per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ReviewStepForm(FlaskForm):
    """One review step on a collection (submit, withdraw, return, publish) with its comment."""

    comment = TextAreaField("说明", validators=[Optional(), Length(max=2000)])
