"""Forms for writing cases, moving them through review, and uploading images."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.i18n import get_translations
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from portal.cases.models import LEVELS, Area, Case, Region
from portal.extensions import db
from portal.slugs import slug_from_title, slug_problem, unique_slug

# Editors type Chinese or ASCII separators alike.
TAG_SEPARATORS = re.compile(r"[,，、;；\n]+")
TAG_MAX_LENGTH = 64
INDENT = "\u3000"


def parse_tags(raw: str) -> list[str]:
    """Split the tags input on commas (ASCII or Chinese), 、 or semicolons; drop blanks and repeats."""
    names: list[str] = []
    for piece in TAG_SEPARATORS.split(raw or ""):
        name = piece.strip()
        if name and name not in names:
            names.append(name)
    return names


class ChineseForm(FlaskForm):
    """A form whose built-in messages ("Not a valid integer value") come in Chinese."""

    class Meta:
        def get_translations(self, form):
            return get_translations(["zh"])


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CaseForm(ChineseForm):
    """The front-matter fields, the Markdown body and the revision comment."""

    title = StringField("标题", validators=[DataRequired("请填写标题。"), Length(max=200)])
    slug = StringField("网址名", description="案例网址 /cases/… 的最后一段，按标题的拼音自动生成，保存前可改；"
                       "只能用小写拼音字母、数字和连字符。第一次保存后不再改变。")
    summary = TextAreaField("摘要", validators=[Optional(), Length(max=2000)])
    area = SelectField("主要统筹领域", validators=[DataRequired("请选择统筹领域。")])
    secondary_areas = MultiCheckboxField("其他相关领域")
    region = SelectField("地区", validators=[DataRequired("请选择地区。")])
    place = StringField("具体地点（乡镇、村）", validators=[Optional(), Length(max=120)])
    level = SelectField("层级", choices=[SelectChoice(level, level) for level in LEVELS])
    tags = StringField("标签", description="用逗号或顿号分隔，如：网格治理、党建统领")
    year = IntegerField("年份", validators=[Optional(), NumberRange(1949, 2100, "年份应在 1949 到 2100 之间。")])
    source = StringField("资料来源", validators=[Optional(), Length(max=300)])
    body = TextAreaField("正文", description="用 Markdown 书写：## 小标题、- 列表、[链接](网址)，详见下方“写作帮助”。")
    comment = StringField("修改说明", validators=[Optional(), Length(max=500)],
                          description="简要说明本次改了什么，会记入修订历史。")
    base_version = HiddenField()
    save = SubmitField("保存")
    preview = SubmitField("预览")
    apply_suggestions = SubmitField("采用全部建议")

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.area.choices = area_choices()
        self.secondary_areas.choices = area_choices()
        self.region.choices = region_choices()
        if case is not None:
            # The slug is fixed once a case exists: links and exports depend on it.
            del self.slug

    def validate_slug(self, field) -> None:
        field.data = (field.data or "").strip()
        if not field.data and (self.title.data or "").strip():
            # Left blank (or no JavaScript to fill it in): spell the title, as the page would have.
            field.data = unique_slug(slug_from_title(self.title.data) or "anli", slug_taken)
        problem = slug_problem(field.data)
        if problem:
            raise ValidationError(problem)
        if slug_taken(field.data):
            raise ValidationError(f"网址名 {field.data} 已被其他案例使用，可改用 {unique_slug(field.data, slug_taken)}。")

    def validate_tags(self, field) -> None:
        too_long = [name for name in parse_tags(field.data) if len(name) > TAG_MAX_LENGTH]
        if too_long:
            raise ValidationError(f"标签过长（最多 {TAG_MAX_LENGTH} 个字）：{too_long[0][:20]}…")

    def validate_secondary_areas(self, field) -> None:
        if self.area.data in (field.data or []):
            raise ValidationError("其他相关领域不必重复选择主要领域。")

    def fill_from(self, case: Case) -> None:
        """Load the case's current values into the form (for the first GET)."""
        self.title.data, self.summary.data = case.title, case.summary
        self.area.data = case.area.slug if case.area else ""
        self.secondary_areas.data = [area.slug for area in case.secondary_areas]
        self.region.data = case.region.code if case.region else ""
        self.place.data, self.level.data, self.year.data = case.place, case.level, case.year
        self.tags.data = "、".join(case.tag_names)
        self.source.data, self.body.data = case.source, case.body_md
        self.base_version.data = str(case.version)

    def loaded_version(self) -> int | None:
        """Return the case version this form was loaded at, or None if it is missing or garbled."""
        try:
            return int(self.base_version.data)
        except (TypeError, ValueError):
            return None


def slug_taken(slug: str) -> bool:
    """True if a case already has this 网址名."""
    return db.session.scalar(db.select(Case.id).where(Case.slug == slug)) is not None


def choice_values(field: SelectField) -> set[str]:
    """The values a select field accepts."""
    return {choice.value for choice in field.choices}


def area_choices() -> list[SelectChoice]:
    """The five areas in their fixed order."""
    return [SelectChoice(area.slug, area.name)
            for area in db.session.scalars(db.select(Area).order_by(Area.position))]


def region_choices() -> list[SelectChoice]:
    """The region tree, depth-first, each name indented by its depth."""
    roots = db.session.scalars(db.select(Region).where(Region.parent_id.is_(None))
                               .order_by(Region.position, Region.name)).all()
    choices: list[SelectChoice] = []
    stack = [(root, 0) for root in reversed(roots)]
    while stack:
        region, depth = stack.pop()
        choices.append(SelectChoice(region.code, INDENT * depth + region.name))
        stack.extend((child, depth + 1) for child in reversed(region.children))
    return choices


class ActionForm(ChineseForm):
    """A bare form for buttons that only need a CSRF token (submit, publish, restore...)."""

    comment = TextAreaField("说明（可选）", validators=[Optional(), Length(max=2000)])


class ReturnForm(ChineseForm):
    """Sending a case back to its author: the reason is required."""

    comment = TextAreaField("退回意见", validators=[DataRequired("退回时请写明意见，作者会在编辑台看到。"),
                                                    Length(max=2000)])


class UploadForm(ChineseForm):
    """One image file."""

    image = FileField("图片（PNG、JPEG、GIF 或 WebP）", validators=[FileRequired("请选择要上传的图片。")])
    description = StringField("图片说明", validators=[Optional(), Length(max=100)])
