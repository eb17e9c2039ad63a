"""Side-by-side diffs of two case snapshots."""

from __future__ import annotations

from portal.editor.diffing import body_rows, compare, field_changes, inline_segments

OLD = {"title": "旧标题", "area": "quyu", "tags": ["网格治理"], "year": None, "status": "draft",
       "body": "第一段\n第二段\n第三段"}


def test_changed_fields_are_marked_and_codes_shown_by_name():
    new = {**OLD, "title": "新标题", "area": "fuwu", "tags": ["网格治理", "平安建设"]}
    changes = {c.key: c for c in field_changes(OLD, new, {"quyu": "区域统筹", "fuwu": "服务统筹"})}
    assert (changes["title"].old, changes["title"].new, changes["title"].changed) == ("旧标题", "新标题", True)
    assert (changes["area"].old, changes["area"].new) == ("区域统筹", "服务统筹")
    assert changes["tags"].new == "网格治理、平安建设"
    assert not changes["year"].changed and changes["year"].old == ""


def test_a_changed_line_pairs_old_and_new_with_the_changed_characters_marked():
    rows = body_rows("第一段\n第二段\n第三段", "第一段\n第二段改了\n第三段")
    changed = [row for row in rows if row.kind == "replace"]
    assert len(changed) == 1
    assert (changed[0].old_number, changed[0].new_number) == (2, 2)
    assert changed[0].new == [("第二段", False), ("改了", True)]


def test_inserted_and_deleted_lines_leave_the_other_side_empty():
    rows = body_rows("甲\n乙", "甲\n乙\n丙")
    assert [(r.kind, r.old, r.new) for r in rows if r.kind != "equal"] == [("insert", [], [("丙", True)])]
    rows = body_rows("甲\n乙\n丙", "甲\n丙")
    assert [(r.kind, r.old_number, r.new) for r in rows if r.kind != "equal"] == [("delete", 2, [])]


def test_far_apart_changes_are_separated_by_a_gap_and_unchanged_text_is_skipped():
    old = "\n".join(f"第{i}行" for i in range(1, 31))
    new = old.replace("第2行", "第二行").replace("第28行", "第二十八行")
    rows = body_rows(old, new, context=2)
    assert [row.kind for row in rows].count("gap") == 1
    assert len(rows) < 15


def test_identical_snapshots_have_no_differences():
    assert compare(OLD, dict(OLD)).identical
    assert not compare(OLD, {**OLD, "body": "第一段"}).identical


def test_inline_segments_keep_markup_as_plain_text():
    old, new = inline_segments("<b>粗</b>", "<script>x</script>")
    assert "".join(text for text, _ in old) == "<b>粗</b>"
    assert "".join(text for text, _ in new) == "<script>x</script>"
