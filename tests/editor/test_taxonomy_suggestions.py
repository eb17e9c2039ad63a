"""Suggested area, region and tags from a case's text."""

from __future__ import annotations

from portal.editor.taxonomy_suggestions import (
    AreaInfo,
    RegionInfo,
    keywords,
    region_short_name,
    suggest,
    suggest_area,
    suggest_region,
    suggest_tags,
)

AREAS = [
    AreaInfo("pingtai", "平台统筹", "整合各类治理平台，推动数据共享和业务协同。"),
    AreaInfo("fuwu", "服务统筹", "服务企业更有温度，服务基层更有深度，服务群众更有力度。"),
    AreaInfo("liliang", "力量统筹", "整合律师、心理咨询师等专业力量，依托网格凝聚群众力量。"),
]
REGIONS = [
    RegionInfo("331100", "丽水市", 0),
    RegionInfo("331121", "青田县", 1),
    RegionInfo("331127", "景宁畲族自治县", 1),
    RegionInfo("331181", "龙泉市", 1),
]
KNOWN_TAGS = ["网格治理", "矛盾纠纷化解", "华人华侨", "数字赋能"]


def test_region_short_names_drop_the_administrative_suffix():
    assert region_short_name("青田县") == "青田"
    assert region_short_name("景宁畲族自治县") == "景宁"
    assert region_short_name("丽水市") == "丽水"
    assert region_short_name("莲都区") == "莲都"


def test_the_most_specific_region_named_wins_over_the_city():
    text = "丽水市在全市推广经验，丽水各县纷纷学习。青田县的做法最早。"
    assert suggest_region(text, REGIONS).code == "331121"


def test_regions_are_found_by_their_short_name():
    assert suggest_region("景宁在外务工人员多，景宁探索域外网格。", REGIONS).code == "331127"


def test_the_city_is_suggested_when_no_county_is_named():
    assert suggest_region("丽水推行平安报表管理法。", REGIONS).code == "331100"
    assert suggest_region("某地推行报表管理。", REGIONS) is None


def test_an_area_named_in_the_text_is_suggested():
    text = "这是力量统筹的做法，也涉及平台统筹，主要还是力量统筹。"
    assert suggest_area(text, AREAS, keywords(text)).slug == "liliang"


def test_without_an_area_name_the_description_keywords_decide():
    text = "律师和心理咨询师组成专业团队，参与化解纠纷，专业力量下沉到网格。"
    assert suggest_area(text, AREAS, keywords(text)).slug == "liliang"


def test_known_tags_in_the_text_come_first_most_mentioned_first():
    text = ("网格员参与矛盾纠纷化解。矛盾纠纷化解靠网格治理，矛盾纠纷化解在村里。侨乡警侨驿站服务海外侨胞，"
            "海外侨胞遇事先找警侨驿站。")
    tags = suggest_tags(text, KNOWN_TAGS, keywords(text))
    assert tags[:2] == ["矛盾纠纷化解", "网格治理"]
    assert "华人华侨" not in tags  # a known tag the text never mentions
    assert "警侨驿站" in tags  # a fresh keyword from jieba, named twice


def test_tags_already_chosen_and_generic_words_are_left_out():
    text = "网格治理工作中，网格员每天走访，网格治理问题及时上报，数字赋能提高效率。"
    tags = suggest_tags(text, KNOWN_TAGS, keywords(text), exclude={"网格治理"})
    assert "网格治理" not in tags and "数字赋能" in tags
    assert not {"工作", "问题"} & set(tags)
    assert all(len(tag) >= 2 for tag in tags)


def test_suggest_combines_area_region_and_tags_without_place_names_as_tags():
    text = "青田县是著名侨乡，华人华侨众多。服务统筹要求服务群众更有力度，青田探索警侨驿站。"
    result = suggest(text, AREAS, REGIONS, KNOWN_TAGS)
    assert result.area.slug == "fuwu"
    assert result.region.code == "331121"
    assert "华人华侨" in result.tags
    assert not {"青田县", "青田", "服务统筹"} & set(result.tags)
    assert len(result.tags) <= 8


def test_empty_text_gives_no_suggestions():
    assert suggest("   ", AREAS, REGIONS, KNOWN_TAGS).empty


FRAGMENT_TEXT = (
    "乡镇成立“老娘舅”调解室，老娘舅依据人民调解法化解纠纷，乡镇干部和老娘舅一起上门。"
    "每个乡镇都学习人民调解法，乡镇每月通报。\n\n![调解流程图](/uploads/0123456789abcdef0123456789abcdef.png)\n\n"
    "调解室的流程图贴在墙上。矛盾纠纷化解在村里。"
)


def test_fragments_one_off_words_and_captions_never_become_tags():
    tags = suggest_tags(FRAGMENT_TEXT, ["矛盾纠纷化解", "人民调解"], keywords(FRAGMENT_TEXT))
    assert set(tags[:2]) == {"人民调解", "矛盾纠纷化解"}  # the library's tags first
    assert not {"娘舅", "乡镇", "调解法", "流程图"} & set(tags)


def test_existing_tags_are_found_through_their_synonyms():
    text = "各地推广枫桥式做法，网格员上门，网格员每天走访。"
    groups = {"网格治理": ("网格治理", "网格员")}
    tags = suggest_tags(text, ["网格治理", "数字赋能"], keywords(text), variants=lambda term: groups.get(term, (term,)))
    assert tags[0] == "网格治理" and "数字赋能" not in tags
