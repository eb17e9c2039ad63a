"""Chinese typography: quotes and punctuation normalised on import, on save and in content files; idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.config import PROJECT_ROOT
from portal.content.normalize import normalize_dir
from portal.typography import normalize

CASES = [
    ('景宁"域外网格"', "景宁“域外网格”"),
    ("党建网格融合(小组)推进", "党建网格融合（小组）推进"),
    ('"枫桥经验"是法宝', "“枫桥经验”是法宝"),
    ("他说'好'吧", "他说‘好’吧"),
    ("网格治理,平安建设;行吗?", "网格治理，平安建设；行吗？"),
    ("怎样评价村级调解的实效?\n下一题", "怎样评价村级调解的实效？\n下一题"),
    ("是否可行? 请讨论!", "是否可行？请讨论！"),
    ("地址: 丽水市", "地址：丽水市"),
    ("**注意**: 先摸排", "**注意**：先摸排"),
    ("**为什么?** 因为", "**为什么？**因为"),
    ("他问“为什么?”", "他问“为什么？”"),
    ("“民事村了”: 这是", "“民事村了”：这是"),
    ("真的吗?!", "真的吗？！"),
    ("换行前的问号?  \n硬换行", "换行前的问号？  \n硬换行"),
    ("| 是否可行? | 是 |", "| 是否可行？ | 是 |"),
    ("[怎么办?](/cases/x)", "[怎么办？](/cases/x)"),
    ('| "警侨驿站" | 华侨 |', "| “警侨驿站” | 华侨 |"),
]
UNTOUCHED = [
    'He said "hello", then left (quickly).',
    "don't 改 it",
    '代码 `print("中文")` 不改',
    '```\nx = "中文"\nf(a,b)\n```',
    '见 https://example.cn/a?q="中"&b=1 网址',
    '[链接](/cases/x "标题") 后',
    "func(x) 和 平台(ABC)",
    "What? 中文在后",
    "看图![流程图](/uploads/x.png)",
    "他问:what?",
    "比例为3:2, 共2020?",
    "Lishui, Zhejiang; 丽水",
    "见 https://example.cn/搜索?q=1 网址",
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_straight_quotes_and_half_width_punctuation_in_chinese_become_full_width(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("text", UNTOUCHED)
def test_code_urls_and_latin_text_are_left_alone(text):
    assert normalize(text) == text


@pytest.mark.parametrize("text", [raw for raw, _ in CASES] + UNTOUCHED)
def test_normalisation_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


def test_the_shipped_content_passes_the_check(runner):
    result = runner.invoke(args=["content", "normalize", "--check", str(PROJECT_ROOT / "content")])
    assert result.exit_code == 0, result.output


def test_the_check_names_the_file_and_line_and_the_fix_rewrites_it(runner, tmp_path: Path):
    cases = tmp_path / "cases"
    cases.mkdir()
    (tmp_path / "collections").mkdir()
    case = cases / "x.md"
    case.write_text("---\ntitle: '景宁\"域外网格\"'\ntags: [网格治理,平安建设]\n---\n\n正文\n\n在\"域外\"服务。\n",
                    encoding="utf-8")
    check = runner.invoke(args=["content", "normalize", "--check", str(tmp_path)])
    assert check.exit_code == 1 and "cases/x.md 第 2 行" in check.output
    assert runner.invoke(args=["content", "normalize", str(tmp_path)]).exit_code == 0
    assert case.read_text(encoding="utf-8") == (
        "---\ntitle: '景宁“域外网格”'\ntags: [网格治理,平安建设]\n---\n\n正文\n\n在“域外”服务。\n")
    assert normalize_dir(tmp_path) == []


def test_saving_a_case_normalises_its_text(app, staff_for_typography):
    from portal.cases.models import Case
    from portal.extensions import db
    from tests.helpers.editor import case_data

    author = staff_for_typography("zhang")
    author.post("/editor/cases/new", case_data(title='青田"侨乡"网格', body='## 背景\n\n推行"网格治理"(试点)。\n'))
    with app.app_context():
        case = db.session.scalar(db.select(Case))
        assert case.title == "青田“侨乡”网格" and "推行“网格治理”（试点）。" in case.body_md
