"""Adoption front matter (learned_from, adopted_in): import, export round-trip, errors at file and line, API."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.cases.models import Case, CaseAdoption, CaseLearnedFrom, Revision
from portal.content.export import case_file_text, export_content_dir
from portal.content.pipeline import import_content_dir
from portal.editor.diffing import compare
from portal.editor.names import display_names
from portal.extensions import db
from tests.helpers.content import taxonomy_only

ORIGIN = "title: 平安报表\narea: 区域统筹\nregion: 丽水市\n"
LEARNER = """title: 学来的报表
area: 区域统筹
region: 遂昌县
learned_from:
  - case: origin-case
  - place: 诸暨市枫桥镇
    year: 1963
adopted_in:
  - region: 龙泉市
    place: 溪头村
    year: 2020
    note: 全村推行
    source: 县里的通报
  - region: 景宁畲族自治县
"""


@pytest.fixture
def content_root(tmp_path):
    return taxonomy_only(tmp_path)


def write(root, slug: str, front: str) -> None:
    (root / "cases" / f"{slug}.md").write_text(f"---\n{front}---\n\n## 背景\n\n正文。\n", encoding="utf-8")


def problems_of(app, root) -> list[str]:
    with app.app_context():
        report = import_content_dir(root, progress=False)
        assert not report.ok
        assert db.session.scalar(select(db.func.count(Case.id))) == 0  # nothing half-written
        return [str(problem) for problem in report.problems]


def test_adoption_keys_import_and_export_round_trip(app, content_root, tmp_path):
    # The learner comes first in file order and names a case created later in the same import.
    write(content_root, "a-learner", LEARNER)
    write(content_root, "origin-case", ORIGIN)
    with app.app_context():
        assert import_content_dir(content_root, progress=False).ok
        learner = db.session.scalar(select(Case).where(Case.slug == "a-learner"))
        assert learner.snapshot()["learned_from"] == [{"case": "origin-case"}, {"place": "诸暨市枫桥镇", "year": 1963}]
        assert learner.snapshot()["adopted_in"] == [
            {"region": "331181", "place": "溪头村", "year": 2020, "note": "全村推行", "source": "县里的通报"},
            {"region": "331127"}]
        revision = db.session.scalar(select(Revision).where(Revision.case_id == learner.id))
        assert revision.snapshot["adopted_in"][1] == {"region": "331127"}
        text = case_file_text(learner)
        assert ("learned_from:\n- case: origin-case\n- place: 诸暨市枫桥镇\n  year: 1963\nadopted_in:\n"
                "- region: 龙泉市\n  place: 溪头村\n  year: 2020\n  note: 全村推行\n  source: 县里的通报\n"
                "- region: 景宁畲族自治县\n") in text
        assert import_content_dir(content_root, progress=False).counts["cases"].unchanged == 2
        exported = tmp_path / "exported"
        export_content_dir(exported)
    # The exported files, imported into an empty database, give the same records.
    with app.app_context():
        db.session.execute(db.delete(CaseAdoption))
        db.session.execute(db.delete(CaseLearnedFrom))
        db.session.execute(db.delete(Revision))
        db.session.execute(db.delete(Case))
        db.session.commit()
        assert import_content_dir(exported, progress=False).ok
        again = db.session.scalar(select(Case).where(Case.slug == "a-learner"))
        assert again.snapshot()["adopted_in"][0]["note"] == "全村推行"
        assert again.snapshot()["learned_from"][0] == {"case": "origin-case"}


def test_removing_an_adoption_from_the_file_removes_it(app, content_root):
    write(content_root, "a-learner", LEARNER)
    write(content_root, "origin-case", ORIGIN)
    with app.app_context():
        assert import_content_dir(content_root, progress=False).ok
        write(content_root, "a-learner", LEARNER.split("  - region: 景宁畲族自治县\n")[0])
        assert import_content_dir(content_root, progress=False).counts["cases"].updated == 1
        assert db.session.scalar(select(db.func.count(CaseAdoption.id))) == 1


@pytest.mark.parametrize(("front", "line", "message"), [
    ("learned_from:\n  - case: no-such-case\n", 5, "'learned_from' 引用的案例 'no-such-case' 不存在"),
    ("learned_from:\n  - case: bad-one\n", 5, "不能引用案例自己"),
    ("learned_from: origin-case\n", 4, "字段 'learned_from' 应为列表"),
    ("learned_from:\n  - place: 某镇\n    year: 1800\n", 5, "year 应为 1949 到 2100 之间的整数年份"),
    ("learned_from:\n  - case: origin-case\n    place: 某镇\n", 5, "二者之一"),
    ("learned_from:\n  - town: 某镇\n", 5, "未知的字段 'town'"),
    ("adopted_in:\n  - region: 龙泉市\n  - region: 火星县\n", 6, "未知的地区 '火星县'"),
    ("adopted_in:\n  - place: 溪头村\n", 5, "都要写 region"),
    ("adopted_in:\n  - region: 龙泉市\n    year: 二〇二〇\n", 5, "整数年份"),
    ("adopted_in:\n  - 龙泉市\n", 5, "每一项应为映射"),
    ("adopted_in:\n  - region: 龙泉市\n    note: " + "长" * 501 + "\n", 5, "note 过长（501 字），最多 500 字"),
])
def test_bad_adoption_entries_are_refused_at_their_line(app, content_root, front, line, message):
    write(content_root, "origin-case", ORIGIN)
    write(content_root, "bad-one", f"title: 有问题\narea: 区域统筹\n{front}region: 遂昌县\n")
    problems = problems_of(app, content_root)
    assert len(problems) == 1, problems
    assert f"cases/bad-one.md:{line}: " in problems[0]
    assert message in problems[0]


def test_detail_api_lists_both_and_hides_unpublished_sources(app, client, content_root):
    write(content_root, "a-learner", LEARNER)
    write(content_root, "origin-case", ORIGIN + "status: draft\n")
    with app.app_context():
        assert import_content_dir(content_root, progress=False).ok
    payload = client.get("/api/v1/cases/a-learner").get_json()
    assert payload["learned_from"] == [{"case": None, "place": "诸暨市枫桥镇", "year": 1963}]
    assert payload["adopted_in"][0] == {"region": {"code": "331181", "name": "龙泉市"}, "place": "溪头村",
                                        "year": 2020, "note": "全村推行", "source": "县里的通报"}
    assert payload["adopted_in"][1]["place"] is None
    with app.app_context():
        db.session.scalar(select(Case).where(Case.slug == "origin-case")).status = "published"
        db.session.commit()
    payload = client.get("/api/v1/cases/a-learner").get_json()
    assert payload["learned_from"][0] == {"case": {"slug": "origin-case", "title": "平安报表",
                                                   "url": "http://localhost/cases/origin-case"},
                                          "place": None, "year": None}


def test_openapi_describes_both_lists(client):
    detail = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["CaseDetail"]
    properties = detail["allOf"][1]["properties"]
    assert properties["adopted_in"]["items"]["properties"]["region"] == {"$ref": "#/components/schemas/RegionRef"}
    assert set(properties["learned_from"]["items"]["properties"]) == {"case", "place", "year"}


def test_revision_diff_names_the_adoption_change(app, content_root):
    write(content_root, "a-learner", LEARNER)
    write(content_root, "origin-case", ORIGIN)
    with app.app_context():
        assert import_content_dir(content_root, progress=False).ok
        before = db.session.scalar(select(Case).where(Case.slug == "a-learner")).snapshot()
        after = {**before, "adopted_in": before["adopted_in"][:1]}
        changes = compare(before, after, display_names()).changed_fields
        assert [(change.label, change.new) for change in changes] == [
            ("推广情况", "（龙泉市，溪头村，2020，全村推行，县里的通报）")]
