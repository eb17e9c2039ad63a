"""Forms editors use to build collections in the browser (all CSRF-protected by Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.collections import fields
from portal.collections.models import Collection
from portal.extensions import db
from portal.slugs import slug_from_title, slug_problem, unique_slug


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
    """The collection's declared fields (portal.collections.fields) and its 网址名."""

    slug = StringField("网址名", validators=[Length(max=120), well_formed_slug],
                       description="合集网址 /collections/… 的最后一段，按标题的拼音自动生成，可改；"
                                   "只能用小写拼音字母、数字和连字符。")

    def content_inputs(self) -> list:
        """The inputs of the content fields, in declaration order."""
        return [self[field.input_name] for field in fields.form_fields() if field.content]

    def switch_inputs(self) -> list:
        """The publishers' switches (published, featured)."""
        return [self[field.input_name] for field in fields.form_fields() if not field.content]


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
    """The declared fields of one item: the trainer's note and discussion questions."""

    def item_inputs(self) -> list:
        return [self[field.input_name] for field in fields.item_fields()]


class MoveForm(FlaskForm):
    """Move an item one place up or down (the buttons send direction=up|down)."""

    direction = SelectField("方向", choices=[SelectChoice("up", "上移"), SelectChoice("down", "下移")])


class RemoveForm(FlaskForm):
    """Take an item out of the collection; only the CSRF token is needed."""


def collection_form(collection: Collection, *, posted: bool = True) -> CollectionForm:
    """The collection form holding the collection's values, and (`posted`) what the browser sent."""
    data = {"slug": collection.slug, **fields.form_data(fields.snapshot(collection))}
    return CollectionForm(data=data) if posted else CollectionForm(formdata=None, data=data)


def item_form(item, *, posted: bool = True, **kwargs) -> ItemForm:
    """One item's form holding its note and questions, and (`posted`) what the browser sent."""
    data = fields.form_data(fields.item_snapshot(item), fields.item_fields())
    if not posted:
        kwargs["formdata"] = None
    return ItemForm(prefix=item_prefix(item), data=data, **kwargs)


def item_prefix(item) -> str:
    """Give each item's form its own field names and ids, so one page can hold many."""
    return f"item{item.id}"


def item_posted(item, posted: dict) -> bool:
    """Whether the posted form carries this item's inputs (items added meanwhile by someone else do not)."""
    return any(f"{item_prefix(item)}-{field.input_name}" in posted for field in fields.item_fields())


def with_declared_fields() -> None:
    """Give the forms an input for every declared field (again after a test declares one more)."""
    fields.with_fields(CollectionForm, fields.form_fields())
    fields.with_fields(ItemForm, fields.item_fields())


class ReviewStepForm(FlaskForm):
    """One review step on a collection (submit, withdraw, return, publish) with its comment."""

    comment = TextAreaField("说明", validators=[Optional(), Length(max=2000)])


with_declared_fields()
