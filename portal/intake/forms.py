"""Forms: the contributor's submission (structured fields and/or a Word file) and the editors' decisions."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.editor.forms import ChineseForm, area_choices, region_choices

NOT_SURE = SelectChoice("", "不确定（由编辑根据内容确定）")
TEXT_LIMIT = 20000


def long_text(label: str, description: str) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=TEXT_LIMIT)], description=description,
                         render_kw={"rows": 6})


class SubmissionForm(ChineseForm):
    """A practice as the contributor writes it; with a Word file the text fields may stay empty."""

    title = StringField("标题", validators=[Optional(), Length(max=200)], render_kw={"maxlength": 200},
                        description="如：某某村“红色议事厅”化解邻里纠纷。上传 Word 文件时可不填，取文件的标题。")
    region = SelectField("所在地区", validators=[Optional()])
    place = StringField("具体地点（乡镇、村）", validators=[Optional(), Length(max=120)],
                        render_kw={"maxlength": 120})
    area = SelectField("统筹领域", validators=[Optional()])
    problem = long_text("要解决什么问题", "当时的情况和群众反映的难题。")
    actions = long_text("具体怎么做的", "谁来做、怎么做，建立了哪些制度、平台或队伍。")
    results = long_text("取得了哪些成效", "带来的变化，写明有出处的数字和事例。")
    contact = StringField("联系人及电话", validators=[DataRequired("请填写联系人及电话，便于编辑核实。"),
                                                    Length(max=200)], render_kw={"maxlength": 200})
    document = FileField("Word 文件（.docx，可选）",
                         description="已有成文材料的，可直接上传 .docx 文件：标题、列表、表格和图片都会转入草稿，"
                                     "原文件留存供编辑下载。")
    reply = TextAreaField("给编辑的说明（可选）", validators=[Optional(), Length(max=2000)],
                          description="说明这次补充或修改了什么。")
    submit = SubmitField("提交报送")

    def __init__(self, *args, keeps_document: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # A resubmission keeps the Word file sent earlier unless a new one is uploaded.
        self.keeps_document = keeps_document
        self.region.choices = [NOT_SURE, *region_choices()]
        self.area.choices = [NOT_SURE, *area_choices()]

    def has_document(self) -> bool:
        return bool(self.document.data and getattr(self.document.data, "filename", ""))

    def validate(self, extra_validators=None) -> bool:
        """Without a Word file, the title, the problem and what was done are needed."""
        valid = super().validate(extra_validators)
        if self.has_document() or self.keeps_document:
            return valid
        needed = ((self.title, "请填写标题，或上传 Word 文件。"), (self.problem, "请写明要解决什么问题，或上传 Word 文件。"),
                  (self.actions, "请写明具体怎么做的，或上传 Word 文件。"))
        for field, message in needed:
            if not (field.data or "").strip():
                field.errors = [*field.errors, message]
                valid = False
        return valid


class AcceptForm(ChineseForm):
    """Accepting: the editor confirms the area, region and tags the draft case starts with."""

    area = SelectField("统筹领域", validators=[DataRequired("请选择统筹领域。")])
    region = SelectField("地区", validators=[DataRequired("请选择地区。")])
    tags = StringField("标签", validators=[Optional(), Length(max=500)], description="用逗号或顿号分隔。")
    comment = TextAreaField("给报送人的话（可选）", validators=[Optional(), Length(max=2000)])
    accept = SubmitField("采纳，转为我的草稿")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = [SelectChoice("", "请选择"), *area_choices()]
        self.region.choices = [SelectChoice("", "请选择"), *region_choices()]


class AskForm(ChineseForm):
    """Asking the contributor for more: the message is required and shown to them."""

    message = TextAreaField("需要补充什么", validators=[DataRequired("请写明需要报送人补充什么。"), Length(max=2000)])
    ask = SubmitField("请报送人补充")


class DeclineForm(ChineseForm):
    """Declining: the reason is required and shown to the contributor."""

    reason = TextAreaField("不采纳的原因", validators=[DataRequired("请写明不采纳的原因，报送人会看到。"),
                                                      Length(max=2000)])
    decline = SubmitField("不采纳")
