"""Search that understands how officials ask: questions, word order, partial names, pinyin, typos."""

from __future__ import annotations

from tests.factories import make_case
from tests.helpers.search import search, slugs


def test_a_question_finds_what_its_key_phrase_finds(seeded_app):
    # Before: all words required, so 村里 cut the answer down to the one case that says 村里.
    with seeded_app.app_context():
        key_phrase = set(slugs("矛盾纠纷化解", per_page=50))
        question = search("村里矛盾纠纷怎么化解", per_page=50)
    assert len(key_phrase) >= 6
    assert key_phrase <= {hit.slug for hit in question.hits}
    assert question.hits[0].slug == "yingcun-minshi-cunliao"


def test_an_off_topic_question_is_answered_with_none(seeded_app):
    # Before: 7 cases matched on one generic word, shown like any other answer.
    with seeded_app.app_context():
        for question in ("医保报销流程是什么", "火星有什么经验", "村 火星"):
            result = search(question)
            assert (result.total, result.match) == (0, "none"), question
            assert result.hits == []


def test_question_filler_and_single_characters_never_match_on_their_own(seeded_app):
    with seeded_app.app_context():
        assert search("怎么 如何 哪些 有没有 量子").total == 0
        assert search("好 做 量子").total == 0
        # Alone, a single character is still searched for.
        assert search("村").total > 0


def test_either_word_order_finds_the_same_cases(seeded_app):
    # Before: 调解纠纷 (one dictionary word the index only holds split) found nothing, 纠纷调解 three.
    with seeded_app.app_context():
        verb_object, object_verb = set(slugs("调解纠纷")), set(slugs("纠纷调解"))
        assert verb_object == object_verb and len(verb_object) >= 3
        assert len(slugs("化解矛盾", per_page=50)) == len(slugs("矛盾化解", per_page=50))


def test_a_practice_name_is_found_whole_quoted_or_by_its_first_two_characters(seeded_app):
    with seeded_app.app_context():
        # The title writes "民事村了"工作法; the quoted full name used to find nothing.
        assert slugs('"民事村了工作法"')[:1] == ["yingcun-minshi-cunliao"]
        assert slugs("民事村了工作法")[:1] == ["yingcun-minshi-cunliao"]
        # Two-character prefixes jieba cannot place as words: found through the character bigrams.
        assert slugs("十台")[:1] == ["qingyuan-shitai-heyi"]
        prefix = search("大搬")
        assert prefix.match == "all" and prefix.hits[0].slug.startswith("dabankuaiju")


def test_bigram_matches_rank_below_word_matches(taxonomy):
    with taxonomy.app_context():
        # The title holds 种类 only across two words (一种 类型): the bigram field finds it.
        make_case("一种类型的调解做法", slug="in-title", summary="一种类型。", body="调解。")
        make_case("调解工作", slug="in-body", body="调解的种类很多。")
        hits = search("种类").hits
    assert [hit.slug for hit in hits] == ["in-body", "in-title"]


def test_partial_matches_come_after_full_ones_and_say_what_they_hold(seeded_app):
    with seeded_app.app_context():
        result = search("离任 交接 海岛", per_page=50)
    assert result.match == "partial" and result.relaxed
    assert result.hits[0].slug == "xinren-liren-zeren-jiaojie"
    assert {"离任", "交接"} <= set(result.hits[0].matched)
    assert "海岛" not in result.hits[0].matched


def test_full_matches_first_then_partial_ones_ranked_by_coverage(seeded_app):
    with seeded_app.app_context():
        result = search("网格 党支部 融合", per_page=50)
    full = [hit for hit in result.hits if hit.full]
    partial = [hit for hit in result.hits if not hit.full]
    assert full and result.hits[:len(full)] == full
    assert all(set(hit.matched) == {"网格", "党支部", "融合"} for hit in full)
    held = [len(hit.matched) for hit in partial]
    assert held == sorted(held, reverse=True) and all(count >= 2 for count in held)
    assert result.full_total == len(full) and result.match == ("partial" if partial else "all")


def test_pinyin_with_or_without_spaces_and_initials(seeded_app):
    with seeded_app.app_context():
        for typed in ("yangguangpiaojue", "yang guang piao jue", "ygpjz", "YangGuangPiaoJueZhi"):
            assert slugs(typed)[:1] == ["huangnidun-yangguang-piaojue"], typed
        places = search("jingning wangge")
        assert places.hits[0].slug == "jingning-yuwai-wangge" and places.match == "all"
        assert places.hits[0].matched == ["景宁", "网格"]
        assert slugs("jinrongjiufen")[:1] == ["zhuanjia-tuandui-jinrong-jiufen"]  # a tag


def test_typos_are_searched_as_their_same_sound_or_one_character_off_correction(seeded_app):
    with seeded_app.app_context():
        same_sound = search("景凝")  # two characters: only the same sound counts
        assert same_sound.hits[0].slug == "jingning-yuwai-wangge" and same_sound.suggestion == "景宁"
        assert same_sound.expanded == [("景凝", ("景宁",))]
        assert search("景凝 网格").suggestion == "景宁 网格"
        whole_name = search("民情底图")
        assert whole_name.match == "all" and whole_name.hits[0].slug == "minqing-ditu-wangge-qunzhong"
        assert search("阳光票选制").hits[0].slug == "huangnidun-yangguang-piaojue"  # one character off
        assert search("警桥驿站").suggestion == "警侨驿站"
        assert search("十台合依").suggestion == "十台合一"
        assert search("量子引力波").suggestion is None


def test_a_word_the_indexer_splits_into_characters_is_found_as_those_characters(seeded_app):
    # The text writes “不出村”, which jieba splits into 不 / 出 / 村.
    with seeded_app.app_context():
        result = search("如何让矛盾不出村")
    assert result.match == "all" and result.hits[0].slug == "yingcun-minshi-cunliao"


def test_the_api_says_how_well_the_results_match(seeded_client):
    full = seeded_client.get("/api/v1/search?q=网格 景宁").get_json()
    partial = seeded_client.get("/api/v1/search?q=离任 交接 海岛").get_json()
    none = seeded_client.get("/api/v1/search?q=医保报销流程是什么").get_json()
    assert full["match"] == "all" and full["results"][0]["matched"] == ["网格", "景宁"]
    assert partial["match"] == "partial" and "海岛" not in partial["results"][0]["matched"]
    assert none["match"] == "none" and none["total"] == 0 and none["results"] == []
    everything = seeded_client.get("/api/v1/search").get_json()
    assert everything["match"] == "all" and everything["total"] == 20


def test_the_page_puts_partial_matches_under_their_own_heading(seeded_client):
    html = seeded_client.get("/search?q=网格 党支部 融合").get_data(as_text=True)
    heading = html.index("以下案例只包含部分关键词")
    assert html.index("search-hit") < heading < html.rindex("search-hit")
    assert "包含：" in html[heading:]
    only_full = seeded_client.get("/search?q=网格 景宁").get_data(as_text=True)
    assert "以下案例只包含部分关键词" not in only_full


def test_the_page_says_plainly_when_nothing_is_about_the_question(seeded_client):
    html = seeded_client.get("/search?q=医保报销流程是什么").get_data(as_text=True)
    assert "案例库中没有与这个问题相关的案例" in html
    assert 'href="/matrix"' in html and 'href="/tags/' in html


def test_a_word_the_library_never_uses_is_matched_loosely_by_its_head_character(seeded_app):
    # Before: 侨胞 and 警察 occur in no case (the text says 华侨, 警务), so the question found nothing.
    with seeded_app.app_context():
        question = search("海外侨胞遇到事情怎么找警察")
        assert [hit.slug for hit in question.hits][:1] == ["jingqiao-jingshang-yizhan"]
        # Loose: shown honestly as a partial match, and a head character alone never makes a match.
        assert question.match == "partial"
        assert search("警察").total == 0
        # Two guesses alone (量子 → 量化, 纠缠 → 纠纷) never make a match either.
        assert search("量子纠缠").total == 0
