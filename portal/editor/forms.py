"""Forms for writing cases, moving them through review, and uploading images."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.i18n import get_translations
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.cases import fields
from portal.cases.models import Area, Case, Region
from portal.editor import working_copy
from portal.extensions import db
from portal.slugs import slug_from_title, slug_problem, unique_slug
from portal.timeutil import china_today

INDENT = "\u3000"


class ChineseForm(FlaskForm):
    """A form whose built-in messages ("Not a valid integer value") come in Chinese."""

    class Meta:
        def get_translations(self, form):
            return get_translations(["zh"])


def with_case_fields(form_class: type[FlaskForm]) -> type[FlaskForm]:
    """Add an input for every declared case field (portal.cases.fields) to the form class."""
    for field in fields.form_fields():
        setattr(form_class, field.name, field.form_field())
    return form_class


@with_case_fields
class CaseForm(ChineseForm):
    """The case's fields (from portal.cases.fields), its slug when new, and the revision comment."""

    slug = StringField("网址名", description="案例网址 /cases/… 的最后一段，按标题的拼音自动生成，保存前可改；"
                       "只能用小写拼音字母、数字和连字符。第一次保存后不再改变。")
    comment = StringField("修改说明", validators=[Optional(), Length(max=500)],
                          description="简要说明本次改了什么，会记入修订历史。")
    base_version = HiddenField()
    # A published case's working copy the form was loaded from (empty without one).
    working_revision = HiddenField()
    save = SubmitField("保存")
    # Pressed in the review panel but part of this form, so whatever was typed is saved, then submitted.
    submit_review = SubmitField("提交审核")
    submit_comment = TextAreaField("说明（可选）", validators=[Optional(), Length(max=2000)])
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

    def case_fields(self) -> list:
        """The bound inputs of the declared case fields, in declaration order."""
        return [self[field.name] for field in fields.form_fields()]

    def fill_from(self, case: Case) -> None:
        """Load what the editor works on (the case, or its working copy) into the form (for the first GET)."""
        fields.fill_form(self, working_copy.editing_snapshot(case))
        self.mark_loaded(case)

    def mark_loaded(self, case: Case) -> None:
        """Remember the versions the form now stands on, so a save in between is a conflict."""
        self.base_version.data = str(case.version)
        self.working_revision.data = str(working_copy.editing_revision(case) or "")

    def is_stale(self, case: Case) -> bool:
        """True if the case or its working copy changed since the form was loaded."""
        loaded_copy = (self.working_revision.data or "").strip()
        return self.loaded_version() != case.version or loaded_copy != str(working_copy.editing_revision(case) or "")

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


class RestoreForm(ChineseForm):
    """Restoring an old revision: the reason is required and goes into the history and the audit log."""

    comment = TextAreaField("恢复原因", validators=[DataRequired("恢复旧版时请写明原因，会记入修订历史和审计日志。"),
                                                   Length(max=400)])


class ReturnForm(ChineseForm):
    """Sending a case back to its author: the reason is required."""

    comment = TextAreaField("退回意见", validators=[DataRequired("退回时请写明意见，作者会在编辑台看到。"),
                                                    Length(max=2000)])


class CommentForm(ChineseForm):
    """A remark in a case's staff discussion."""

    body = TextAreaField("发表讨论", validators=[DataRequired("请先写下讨论内容。"),
                                               Length(max=5000, message="讨论内容不能超过 5000 个字符。")],
                         description="只有编辑和审核人看得到，不会发布。可用 @用户名 或 @姓名 提醒同事；支持 Markdown。")


class UploadForm(ChineseForm):
    """One image file."""

    image = FileField("图片（PNG、JPEG、GIF 或 WebP）", validators=[FileRequired("请选择要上传的图片。")])
    description = StringField("图片说明", validators=[Optional(), Length(max=100)])


class CheckedForm(ChineseForm):
    """Marking a published case re-checked: what was checked (optional) and, optionally, the next due date."""

    note = StringField("核实说明（可选）", validators=[Optional(), Length(max=300)],
                       description="如：已与县里电话核对，做法仍在运行。会记入修订历史和审计日志。")
    review_by = DateField("下次复核期限（可选）", validators=[Optional()],
                          description="留空则按默认期限（自今天起若干个月）。")

    def validate_review_by(self, field) -> None:
        if field.data and field.data <= china_today():
            raise ValidationError("下次复核期限应晚于今天。")
