"""网址名: proposed in pinyin from a Chinese title, checked live, explained when malformed."""

from __future__ import annotations

from portal.cases.models import Case
from portal.extensions import db
from portal.slugs import slug_from_title, slug_problem
from tests.helpers.editor import case_data
from tests.wording import raw_names_in, visible_text


def test_a_slug_is_proposed_in_pinyin_from_a_chinese_title():
    assert slug_from_title("青田县网格治理服务华侨") == "qingtianxian-wangge-zhili-fuwu-huaqiao"
    assert slug_from_title("景宁“域外网格”") == "jingning-yuwai-wangge"
    assert slug_from_title("莲都区调解") == "lianduqu-tiaojie"


def test_a_name_split_into_words_keeps_the_reading_of_the_whole_name():
    assert slug_from_title("莲都") == "lian-du"  # jieba splits 莲 / 都; read alone, 都 was dou
    assert slug_from_title("莲都A3区共享法庭") == "lian-du-a3-qu-gongxiang-fating"


def test_long_titles_are_cut_between_words():
    slug = slug_from_title("丽水市生态产品价值实现机制改革在九个县市区全面推开的探索与经验总结报告")
    assert len(slug) <= 48 and not slug.endswith("-") and slug_problem(slug) is None


def test_a_chinese_or_malformed_slug_is_told_what_is_allowed():
    assert "不能用汉字" in slug_problem("青田网格") and "qingtian" in slug_problem("青田网格")
    assert "小写" in slug_problem("Qingtian")
    for bad in ("qing tian", "-qingtian", "qing--tian", "qingtian_wangge"):
        assert "小写拼音字母、数字和连字符" in slug_problem(bad)
    assert slug_problem("qingtian-wangge-2") is None


def test_the_live_check_proposes_and_checks(app, staff):
    author = staff("zhang")
    proposal = author.get("/editor/slug-check", query_string={"title": "青田县网格治理"}).get_json()
    assert proposal == {"slug": "qingtianxian-wangge-zhili", "proposed": "qingtianxian-wangge-zhili", "ok": True,
                        "message": "按标题拼音生成：qingtianxian-wangge-zhili"}
    chinese = author.get("/editor/slug-check", query_string={"title": "青田", "slug": "青田"}).get_json()
    assert not chinese["ok"] and "不能用汉字" in chinese["message"]
    assert author.post("/editor/cases/new", case_data(slug="qingtian-wangge")).status_code == 302
    taken = author.get("/editor/slug-check", query_string={"slug": "qingtian-wangge"}).get_json()
    assert not taken["ok"] and "qingtian-wangge-2" in taken["message"]


def test_the_live_check_is_for_staff_only(app, client, taxonomy):
    response = client.get("/editor/slug-check", query_string={"title": "青田"})
    assert response.status_code in (302, 401, 403)


def test_a_blank_slug_is_filled_from_the_title_on_save(app, staff):
    author = staff("zhang")
    assert author.post("/editor/cases/new", case_data(slug="")).status_code == 302
    assert author.post("/editor/cases/new", case_data(slug="")).status_code == 302
    with app.app_context():
        slugs = set(db.session.scalars(db.select(Case.slug)))
    assert slugs == {"qingtianxian-wangge-zhili-fuwu-huaqiao", "qingtianxian-wangge-zhili-fuwu-huaqiao-2"}


def test_the_new_case_page_calls_the_slug_by_what_it_is(app, staff):
    text = visible_text(staff("zhang").get("/editor/cases/new").get_data(as_text=True))
    assert "网址名" in text and raw_names_in(text, ("slug",)) == []
