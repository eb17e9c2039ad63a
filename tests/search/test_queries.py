"""Query behaviour readers notice: AND with fallback, phrases, exclusion, filters, facets, sort, paging."""

from __future__ import annotations

from portal.cases.models import Region
from portal.extensions import db
from tests.factories import make_case, region
from tests.helpers.search import search, slugs


def test_all_words_are_required_by_default(seeded_app):
    with seeded_app.app_context():
        result = search("网格 景宁")
    assert [hit.slug for hit in result.hits] == ["jingning-yuwai-wangge"]
    assert not result.relaxed


def test_when_no_case_has_every_word_the_search_falls_back_to_any_word(seeded_app):
    with seeded_app.app_context():
        result = search("域外网格 火星基地")
    assert result.relaxed
    assert result.hits[0].slug == "jingning-yuwai-wangge"
    assert "部分关键词" in result.message


def test_a_quoted_phrase_must_appear_in_that_order(seeded_app):
    with seeded_app.app_context():
        assert "huangnidun-yangguang-piaojue" in slugs('"阳光 票决"')
        assert slugs('"票决 阳光"') == []
        assert "huangnidun-yangguang-piaojue" in slugs("票决 阳光")


def test_a_minus_sign_excludes_a_word(seeded_app):
    with seeded_app.app_context():
        with_jingning = slugs("网格", per_page=50)
        without = slugs("网格 -景宁", per_page=50)
    assert "jingning-yuwai-wangge" in with_jingning
    assert "jingning-yuwai-wangge" not in without
    assert len(without) == len(with_jingning) - 1


def test_traditional_characters_find_simplified_text(seeded_app):
    with seeded_app.app_context():
        assert slugs("陽光票決制")[0] == slugs("阳光票决制")[0] == "huangnidun-yangguang-piaojue"


def test_filters_narrow_and_facets_count_the_other_choices(seeded_app):
    with seeded_app.app_context():
        everything = search("网格", per_page=50)
        only_liliang = search("网格", area="liliang", per_page=50)
    areas = {item["slug"]: item["count"] for item in everything.facets["area"]}
    assert only_liliang.total == areas["liliang"] < everything.total
    assert {hit.area for hit in only_liliang.hits} == {"liliang"}
    # The area facet keeps showing the other areas, so a reader can switch.
    assert {item["slug"] for item in only_liliang.facets["area"]} == set(areas)
    assert sum(item["count"] for item in everything.facets["level"]) == everything.total


def test_tag_level_and_year_filters(seeded_app):
    with seeded_app.app_context():
        tagged = search("", tag="金融纠纷")
        village = search("治理", level="村级", per_page=50)
        none_in_1990 = search("治理", year=1990)
    assert [hit.slug for hit in tagged.hits] == ["zhuanjia-tuandui-jinrong-jiufen"]
    assert village.total > 0 and {hit.slug for hit in village.hits} >= {"huangnidun-yangguang-piaojue"}
    assert none_in_1990.total == 0


def test_a_county_filter_includes_its_townships(taxonomy):
    with taxonomy.app_context():
        township = Region(code="331102001", name="紫金街道", kind="township", parent=region("331102"))
        db.session.add(township)
        db.session.commit()
        make_case("街道议事会协商", region_code="331102001", level="乡镇级", body="居民议事协商。")
        make_case("青田议事会", region_code="331121", level="县级", body="华侨议事协商。")
        in_liandu = slugs("议事", region="331102")
        in_city = slugs("议事", region="331100")
        facet = {item["code"]: item["count"] for item in search("议事").facets["region"]}
    assert len(in_liandu) == 1
    assert len(in_city) == 2
    assert facet == {"331100": 2, "331102": 1, "331102001": 1, "331121": 1}


def test_sort_by_newest_and_paging(taxonomy):
    from datetime import timedelta

    from portal.timeutil import utcnow

    with taxonomy.app_context():
        for day in range(5):
            case = make_case(f"第{day}号调解案例", body="调解工作。", commit=False)
            case.published_at = utcnow() - timedelta(days=10 - day)
        db.session.commit()
        newest = search("调解", sort="newest", per_page=2)
        second_page = search("调解", sort="newest", per_page=2, page=2)
        past_the_end = search("调解", per_page=2, page=9)
    assert newest.total == 5 and newest.pages == 3
    assert [hit.title for hit in newest.hits] == ["第4号调解案例", "第3号调解案例"]
    assert [hit.title for hit in second_page.hits] == ["第2号调解案例", "第1号调解案例"]
    assert past_the_end.hits == [] and past_the_end.total == 5


def test_snippets_mark_the_words_and_escape_the_text(taxonomy):
    with taxonomy.app_context():
        make_case("<i>调解</i>委员会", body="正文写着 1 < 2 & 3，以及调解委员会的做法。")
        hit = search("调解委员会").hits[0]
    snippet, title = str(hit.highlight), str(hit.title_html)
    assert "<mark>调解委员会</mark>" in snippet
    assert "1 &lt; 2 &amp; 3" in snippet
    assert "<i>" not in title and "&lt;i&gt;<mark>调解</mark>" in title


def test_drafts_are_never_found(taxonomy):
    with taxonomy.app_context():
        make_case("草稿里的独特词语", body="独角兽乡。", status="draft")
        assert search("独角兽").total == 0


def test_did_you_mean_offers_a_close_known_term(seeded_app):
    with seeded_app.app_context():
        typo = search("阳光票绝制")
        hopeless = search("量子引力波")
    assert typo.suggestion == "阳光票决制"
    assert hopeless.total == 0 and hopeless.suggestion is None


NASTY_INPUTS = [
    '"阳光 票决', '阳光" 票决"', 'AND OR NOT', 'title:阳光 OR body:*', "网格 AND (景宁 OR", "*", "?", "\\",
    "-", "--", "- -网格", '""', "'", "\x00\x01\x02网格\x7f", "\u200b\u202e网格", "🙂🏛️ 网格 🙂",
    "<script>alert(1)</script>", "的了和", "a" * 2000, "矛盾" * 1000, "％＄＃＠！", "\n\t\r", "SELECT * FROM cases;",
]


def test_any_input_gives_a_page_never_an_error(seeded_client):
    problems = []
    for query in NASTY_INPUTS:
        page = seeded_client.get("/search", query_string={"q": query})
        api = seeded_client.get("/api/v1/search", query_string={"q": query})
        if page.status_code != 200 or api.status_code != 200 or not isinstance(api.get_json()["total"], int):
            problems.append(f"{query[:30]!r}: page {page.status_code}, api {api.status_code}")
        if "<script>alert" in page.get_data(as_text=True):
            problems.append(f"{query[:30]!r}: echoed raw HTML")
    assert not problems, "\n".join(problems)


def test_a_query_without_searchable_words_says_so(seeded_app):
    with seeded_app.app_context():
        result = search("的了和！！")
    assert result.total == 0 and "没有识别出可搜索的词" in result.message
