"""Files that attack the importer: alias bombs, symbolic links out of the folder, look-alike slugs."""

from __future__ import annotations

import pytest
import yaml

from portal.content.pipeline import import_content_dir
from tests.helpers.content import GOOD_FRONT, write_case

# Nine levels of nested aliases: 9**9 (≈ 387 million) strings once expanded. The importer must refuse the
# first alias it meets (the error names that line) instead of expanding them; no wall-clock assertion, as
# speed goals live in bench/ — an importer that expanded the bomb would not reach the assertion at all.
ALIAS_BOMB = "".join(
    ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n']
    + [f"l{n}: &l{n} [{','.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 9)])


def test_an_alias_bomb_in_a_case_file_is_refused_at_once(imported, reject):
    write_case(imported, "bomb.md", GOOD_FRONT + ALIAS_BOMB)
    reject(("cases/bomb.md", 8, "不支持 YAML 别名"))


def test_an_alias_bomb_in_a_collection_file_is_refused_at_once(imported, reject):
    (imported / "collections" / "bomb.yml").write_text("title: 炸弹\n" + ALIAS_BOMB, encoding="utf-8")
    reject(("collections/bomb.yml", 3, "不支持 YAML 别名"))


def test_a_single_alias_is_refused_too(imported, reject):
    write_case(imported, "alias.md", GOOD_FRONT.replace("tags: [测试]", "tags: &t [测试]\nkeywords: *t"))
    reject(("cases/alias.md", 7, "不支持 YAML 别名"))


def test_a_case_file_linked_from_outside_the_folder_is_refused(imported, reject, tmp_path):
    secret = tmp_path / "outside.md"
    secret.write_text(f"---\n{GOOD_FRONT}---\n\n## 背景\n\n不该被导入的文件。\n", encoding="utf-8")
    (imported / "cases" / "linked.md").symlink_to(secret)
    reject(("cases/linked.md", 1, "指向内容目录之外的符号链接"))


def test_a_collection_file_linked_from_outside_is_refused(imported, reject, tmp_path):
    outside = tmp_path / "elsewhere.yml"
    outside.write_text("title: 外部合集\nitems: []\n", encoding="utf-8")
    (imported / "collections" / "linked.yml").symlink_to(outside)
    reject(("collections/linked.yml", 1, "指向内容目录之外的符号链接"))


def test_a_taxonomy_linked_from_outside_is_refused(imported, reject, tmp_path):
    taxonomy = imported / "taxonomy.yml"
    outside = tmp_path / "taxonomy.yml"
    outside.write_text(taxonomy.read_text(encoding="utf-8"), encoding="utf-8")
    taxonomy.unlink()
    taxonomy.symlink_to(outside)
    reject(("taxonomy.yml", 1, "指向内容目录之外的符号链接"))


def test_a_link_that_stays_inside_the_folder_is_fine(app, imported):
    target = imported / "cases" / "pending-new-case.md"
    shared = imported / "shared.md"
    target.rename(shared)
    target.symlink_to(shared)
    with app.app_context():
        assert import_content_dir(imported, progress=False).ok


def test_a_slug_with_a_trailing_newline_is_refused(imported, reject):
    write_case(imported, "pending-new-case\n.md")
    reject(("cases/pending-new-case\n.md", 1, "只能包含小写字母"))


def test_libyaml_and_the_python_composer_read_every_seed_file_alike():
    from portal.config import PROJECT_ROOT
    from portal.content import documents

    assert documents.FAST_LOADER is not None  # PyYAML built with libyaml: the fast path is the one taken
    for path in sorted((PROJECT_ROOT / "content" / "cases").glob("*.md")):
        front, _body, _line = documents.split_front_matter(path.read_text(encoding="utf-8"))
        fast = documents.parse_yaml(front, first_line=2)
        slow = documents._build(yaml.compose(front, Loader=documents.NoAliasLoader), yaml.SafeLoader(""), 1)
        assert fast == slow and fast.key_lines == slow.key_lines, path.name
        assert all(getattr(fast[key], "item_lines", None) == getattr(slow[key], "item_lines", None) for key in fast)


def test_an_alias_is_refused_at_its_own_line_after_the_fast_composer():
    from portal.content.documents import ContentError, parse_yaml

    with pytest.raises(ContentError) as refused:
        parse_yaml("title: &t 标题\nsummary: 摘要\nregion: *t\n", first_line=2)
    assert refused.value.line == 4 and "别名" in refused.value.message
