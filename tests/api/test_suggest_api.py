"""GET /api/v1/suggest: completions for a Chinese or pinyin prefix, from published cases only."""

from __future__ import annotations

from tests.factories import make_case


def suggestions(client, q: str) -> list[tuple[str, str]]:
    response = client.get("/api/v1/suggest", query_string={"q": q})
    assert response.status_code == 200
    return [(item["text"], item["kind"]) for item in response.get_json()["suggestions"]]


def test_chinese_full_pinyin_initials_and_traditional_prefixes_complete_a_practice_name(seeded_client):
    for typed in ("阳光", "yangguang", "yang guang", "YangGuangPiao", "ygpj", "陽光"):
        assert suggestions(seeded_client, typed)[0] == ("阳光票决制", "practice"), typed


def test_a_character_read_two_ways_completes_under_either_reading(seeded_client):
    # pypinyin reads 了 in 民事村了 as "le"; officials say and type "liao".
    for typed in ("minshicunliao", "minshicunle", "mscl"):
        assert suggestions(seeded_client, typed)[0] == ("民事村了", "practice"), typed


def test_tags_places_and_case_titles_are_completed_too(seeded_client):
    assert ("平安建设", "tag") in suggestions(seeded_client, "平安")
    assert ("庆元县", "place") in suggestions(seeded_client, "qingyuan")
    assert ("黄泥墩村", "place") in suggestions(seeded_client, "hnd")
    body = seeded_client.get("/api/v1/suggest?q=庆元县").get_json()
    case = next(item for item in body["suggestions"] if item["kind"] == "case")
    assert case["url"] == "/cases/qingyuan-shitai-heyi" and case["label"] == "案例"


def test_at_most_eight_and_nothing_for_an_empty_or_unknown_prefix(seeded_client):
    assert 0 < len(suggestions(seeded_client, "l")) <= 8
    assert suggestions(seeded_client, "") == []
    assert suggestions(seeded_client, "   ") == []
    assert suggestions(seeded_client, "量子计算") == []


def test_a_too_long_prefix_is_refused_in_chinese(seeded_client):
    response = seeded_client.get("/api/v1/suggest", query_string={"q": "网" * 41})
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == "q"


def test_a_newly_published_case_is_suggested_and_a_draft_never(seeded_app):
    client = seeded_app.test_client()
    assert suggestions(client, "xinfengqiao") == []
    with seeded_app.app_context():
        make_case('青田县"新枫桥驿站"', slug="xinfengqiao", region_code="331121")
        make_case('草稿"新风尚驿站"', slug="draft-xinfeng", status="draft")
    assert ("新枫桥驿站", "practice") in suggestions(client, "xinfengqiao")
    assert suggestions(client, "xinfengshang") == []


def test_a_name_is_suggested_from_characters_or_syllables_inside_it_after_the_names_starting_so(seeded_client):
    # Before: only prefixes, so 票决 or 村了 typed from the middle of a practice name suggested nothing.
    assert ("阳光票决制", "practice") in suggestions(seeded_client, "票决")
    assert ("民事村了", "practice") in suggestions(seeded_client, "村了")
    assert ("阳光票决制", "practice") in suggestions(seeded_client, "piaojue")
    assert ("十台合一", "practice") in suggestions(seeded_client, "合一")
    # Names that start with what was typed still come first.
    typed = suggestions(seeded_client, "网格")
    starting = [text.startswith("网格") for text, _kind in typed]
    assert starting == sorted(starting, reverse=True) and starting[0]
    assert any(not flag for flag in starting)  # 域外网格, 全科网格 … inside


def test_one_character_or_a_few_letters_still_complete_only_from_the_start(seeded_client):
    village = suggestions(seeded_client, "村")  # 村务决策 starts so; 包乡走村, 民事村了 only hold it
    assert village and all(text.startswith("村") for text, _ in village)
