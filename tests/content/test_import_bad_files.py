"""Every kind of bad file is reported as `path:line: message` and the database stays exactly as it was."""

from __future__ import annotations

import pytest

from tests.helpers.content import GOOD_BODY, GOOD_FRONT, write_case


def test_non_utf8_file_is_named(imported, reject):
    path = imported / "cases" / "gbk.md"
    path.write_bytes(f"---\n{GOOD_FRONT}---\n\n{GOOD_BODY}".encode("gbk"))
    reject(("cases/gbk.md", 2, "文件 gbk.md 不是 UTF-8 编码"))


def test_missing_front_matter(imported, reject):
    (imported / "cases" / "bare.md").write_text("# 只有正文\n\n没有前置信息。\n", encoding="utf-8")
    reject(("cases/bare.md", 1, "缺少 YAML 前置信息"))


def test_unclosed_front_matter(imported, reject):
    (imported / "cases" / "open.md").write_text(f"---\n{GOOD_FRONT}\n## 背景\n", encoding="utf-8")
    reject(("cases/open.md", 1, "前置信息没有结束"))


def test_invalid_yaml_reports_the_yaml_error_line(imported, reject):
    write_case(imported, "broken.md", "title: 测试案例\narea: 区域统筹\ntags: [测试, 未闭合\nregion: 莲都区\n")
    report = reject(("cases/broken.md", 5, "YAML 语法错误"))
    assert len(report.problems) == 1


def test_unknown_key_suggests_the_right_one(imported, reject):
    write_case(imported, "typo.md", GOOD_FRONT + "yaer: 2020\n")
    reject(("cases/typo.md", 7, "未知的字段 'yaer'，是否指 'year'？"))


def test_duplicate_key_in_front_matter(imported, reject):
    write_case(imported, "twice.md", GOOD_FRONT + "title: 又一个标题\n")
    reject(("cases/twice.md", 7, "字段 'title' 重复出现（第 2 行已写过）"))


def test_unknown_area_suggests_the_closest(imported, reject):
    write_case(imported, "area.md", GOOD_FRONT.replace("区域统筹", "平台统畴"))
    reject(("cases/area.md", 3, "未知的统筹领域 '平台统畴'，是否指 '平台统筹'？"))


def test_unknown_secondary_area(imported, reject):
    write_case(imported, "secondary.md", GOOD_FRONT + "secondary_areas: [力量筹统]\n")
    reject(("cases/secondary.md", 7, "未知的统筹领域 '力量筹统'"))


def test_unknown_region_suggests_the_closest(imported, reject):
    write_case(imported, "region.md", GOOD_FRONT.replace("莲都区", "莲都县"))
    reject(("cases/region.md", 4, "未知的地区 '莲都县'，是否指 '莲都区'？"))


@pytest.mark.parametrize("key", ["title", "area", "region"])
def test_missing_required_field(imported, reject, key):
    front = "".join(line + "\n" for line in GOOD_FRONT.splitlines() if not line.startswith(f"{key}:"))
    write_case(imported, "missing.md", front)
    reject(("cases/missing.md", 1, f"缺少必填字段 '{key}'"))


def test_duplicate_slug_names_both_files(imported, reject):
    write_case(imported, "zz-copy.md", GOOD_FRONT + "slug: huangnidun-yangguang-piaojue\n")
    reject(("cases/zz-copy.md", 7,
            f"网址名 'huangnidun-yangguang-piaojue' 重复：{imported.as_posix()}/cases/huangnidun-yangguang-piaojue.md"))


def test_tags_must_be_a_list(imported, reject):
    write_case(imported, "tags.md", GOOD_FRONT.replace("tags: [测试]", "tags: 测试, 网格"))
    reject(("cases/tags.md", 6, "字段 'tags' 应为列表"))


def test_year_must_be_an_integer(imported, reject):
    write_case(imported, "year.md", GOOD_FRONT + "year: 二〇二〇年\n")
    reject(("cases/year.md", 7, "字段 'year' 应为整数年份"))


def test_unknown_level_and_status(imported, reject):
    write_case(imported, "level.md", GOOD_FRONT.replace("村级", "省级") + "status: live\n")
    reject(("cases/level.md", 5, "未知的层级 '省级'"), ("cases/level.md", 7, "未知的状态 'live'"))


def test_empty_body(imported, reject):
    write_case(imported, "empty.md", body="\n   \n")
    reject(("cases/empty.md", 8, "正文为空"))


def test_file_over_one_megabyte(imported, reject):
    write_case(imported, "huge.md", body="很长的正文。" * 70_000)
    reject(("cases/huge.md", 1, "文件过大"))


def test_binary_file_with_md_suffix(imported, reject):
    (imported / "cases" / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    reject(("cases/image.md", 1, "不是文本文件"))


def test_non_markdown_files_are_reported(imported, reject):
    (imported / "cases" / "notes.txt").write_text("草稿笔记", encoding="utf-8")
    (imported / "cases" / "old").mkdir()
    reject(("cases/notes.txt", 1, "不是 Markdown 文件"), ("cases/old", 1, "不支持子目录"))


def test_problems_in_crlf_and_bom_files_keep_their_line_numbers(imported, reject):
    text = f"---\n{GOOD_FRONT}yaer: 2020\n---\n\n{GOOD_BODY}".replace("\n", "\r\n")
    (imported / "cases" / "windows.md").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    reject(("cases/windows.md", 7, "未知的字段 'yaer'"))


def test_every_problem_in_every_file_is_reported_at_once(imported, reject):
    write_case(imported, "a.md", GOOD_FRONT.replace("区域统筹", "平台统畴").replace("tags: [测试]", "tags: 测试"))
    (imported / "cases" / "b.md").write_text("没有前置信息", encoding="utf-8")
    report = reject(("cases/a.md", 3, "未知的统筹领域"), ("cases/a.md", 6, "应为列表"),
                    ("cases/b.md", 1, "缺少 YAML 前置信息"))
    assert len(report.problems) == 3


def test_broken_taxonomy_blocks_the_cases_too(imported, reject):
    taxonomy = imported / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace(
        "{code: \"331102\", name: 莲都区, kind: county}", "{code: \"331102\", name: 莲都区, kind: couty}"),
        encoding="utf-8")
    reject(("taxonomy.yml", 27, "未知的地区类型 'couty'，是否指 'county'？"))


def test_utf16_file_is_named_with_its_encoding(imported, reject):
    (imported / "cases" / "utf16.md").write_bytes(f"---\n{GOOD_FRONT}---\n\n{GOOD_BODY}".encode("utf-16"))
    reject(("cases/utf16.md", 1, "文件 utf16.md 是 UTF-16 编码"))
