"""Analysis: what the index and the query parser see in Chinese text."""

from __future__ import annotations

from portal.search.analysis import index_tokens, normalize, segment
from portal.search.parsing import parse, phrase_text
from portal.search.snippets import snippet


def words(text: str) -> list[str]:
    return [word for word, _ in index_tokens(text)]


def test_practice_names_are_indexed_whole_and_by_their_parts():
    tokens = words("莲都区黄泥墩村“阳光票决制”")
    assert {"阳光票决制", "票决制", "票决", "黄泥墩村", "莲都区"} <= set(tokens)
    assert {"民事村了", "村了"} <= set(words("应村村的民事村了工作法"))


def test_positions_are_character_offsets_so_sub_words_sit_where_they_are():
    tokens = dict(index_tokens("推行阳光票决制"))
    assert tokens["阳光票决制"] == 2 and tokens["票决"] == 4 and tokens["票决制"] == 4


def test_traditional_full_width_and_case_fold_without_changing_length():
    assert normalize("陽光票決制") == "阳光票决制"
    assert normalize("ＡＢＣ網格") == "abc网格"
    text = "矛盾糾紛「化解」Ｑ"
    assert len(normalize(text)) == len(text)


def test_stopwords_are_dropped_at_index_and_query_time():
    assert "的" not in words("村里的事情")
    assert [word for word, _ in segment("怎么决策")] == ["决策"]


def test_segments_keep_domain_names_whole_at_their_offsets():
    text = normalize("丽水市“五个统筹”推进市域社会治理，矛调中心化解1300多件纠纷，阳光票决制写入报告 ABC-12")
    words = segment(text)
    assert all(text[offset:offset + len(word)] == word for word, offset in words)
    names = [word for word, _ in words]
    for whole in ("丽水市", "五个统筹", "矛调中心", "阳光票决制"):
        assert whole in names
    assert "1300" in names and "abc" in names  # normalize() folds case

def test_queries_split_into_words_phrases_and_exclusions():
    parsed = parse('网格 "阳光 票决" -景宁 title:AND')
    assert parsed.words == ["网格", "title"]
    assert [phrase_text(phrase) for phrase in parsed.phrases] == ["阳光票决"]
    assert parsed.excluded == [[("景宁", 0)]]


def test_junk_queries_parse_to_nothing_rather_than_failing():
    for junk in ['"', "\x00\x07", "-", "AND OR NOT", "🙂", "的了"]:
        assert parse(junk).is_empty


def test_snippets_escape_everything_but_the_marks():
    html = str(snippet(["<b>不是标签</b> 里有网格员"], ["网格"]))
    assert html == "&lt;b&gt;不是标签&lt;/b&gt; 里有<mark>网格</mark>员"


def reference_normalize(text: str) -> str:
    """Folding as NFKC defines it for the whole text (what normalize() did before its fast path)."""
    import unicodedata

    from portal.search.analysis import _fold_char, to_simplified

    folded = unicodedata.normalize("NFKC", text).lower()
    if len(folded) != len(text):
        folded = "".join(_fold_char(char) for char in text)
    return to_simplified(folded)


def test_the_fast_folding_equals_nfkc_on_the_content_and_on_awkward_text():
    import random

    from portal.config import PROJECT_ROOT
    from portal.search.analysis import normalize

    texts = [path.read_text("utf-8") for path in sorted((PROJECT_ROOT / "content").rglob("*.md"))]
    texts += ["ＡＢＣ１２３，。！？　陽光票決制 Σ ﬁ ①② ｶﾞｷﾞ e\u0301 ㈱ ㎏ İstanbul 𝐀 ABC", "臺灣 乾隆 後來 頭髮"]
    rng = random.Random(7)
    characters = [chr(code) for code in range(0x20, 0x30000) if not 0xD800 <= code <= 0xDFFF]
    texts += ["".join(rng.choices(characters, k=24)) for _ in range(3000)]
    assert [text for text in texts if normalize(text) != reference_normalize(text)] == []


def test_the_fast_segmenter_cuts_exactly_as_jieba_does():
    from portal.config import PROJECT_ROOT
    from portal.search.analysis import fast_segmenter, segmenter
    from portal.search.segmenting import FastSegmenter

    texts = [normalize(path.read_text(encoding="utf-8")) for path in sorted((PROJECT_ROOT / "content").rglob("*.md"))]
    texts += ["", " ", "abc def", "2023年GDP增长5.2%，R&D投入+30%", "网格\r\n\t员 a1b2 ！？", "C++ 和 C# 程序员_测试-用例.x",
              "丽水市莲都区“民事村了”工作法", "ａｂｃ１２３", "\u3000\u3000全角空格", "𠀀𠀁 生僻字", "一" * 300]
    jieba = segmenter()
    assert len(texts) > 20
    for text in texts:
        assert fast_segmenter().tokenize(text) == list(jieba.tokenize(text, HMM=False)), text[:40]
    before = FastSegmenter(jieba).tokenize("阳光票决制度")
    saved = dict(jieba.FREQ), jieba.total
    jieba.add_word("票决制度", freq=10**9)  # the dictionary's total changes: cached probabilities are dropped
    try:
        after = fast_segmenter().tokenize("阳光票决制度")
        assert after == list(jieba.tokenize("阳光票决制度", HMM=False)) and after != before
    finally:
        jieba.FREQ.clear()
        jieba.FREQ.update(saved[0])
        jieba.total = saved[1]
    assert fast_segmenter().tokenize("阳光票决制度") == before


def test_remembered_cuts_equal_jiebas_and_a_dictionary_change_forgets_them():
    from portal.config import PROJECT_ROOT
    from portal.search.analysis import segmenter
    from portal.search.segmenting import FastSegmenter

    jieba = segmenter()
    texts = [normalize(path.read_text(encoding="utf-8")) for path in sorted((PROJECT_ROOT / "content").rglob("*.md"))]
    forgetful = FastSegmenter(jieba)
    forgetful.blocks_remembered = 3  # dropped wholesale again and again while cutting
    for text in texts + texts:
        assert forgetful.tokenize(text) == list(jieba.tokenize(text, HMM=False)), text[:40]
    assert 0 < len(forgetful.blocks) <= 3
    remembering = FastSegmenter(jieba)
    before = remembering.tokenize("推行阳光票决制度。")
    saved = dict(jieba.FREQ), jieba.total
    jieba.add_word("票决制度", freq=10**9)
    try:
        after = remembering.tokenize("推行阳光票决制度。")
        assert after == list(jieba.tokenize("推行阳光票决制度。", HMM=False)) and after != before
    finally:
        jieba.FREQ.clear()
        jieba.FREQ.update(saved[0])
        jieba.total = saved[1]
    assert remembering.tokenize("推行阳光票决制度。") == before


def test_a_rebuild_remembers_more_cuts_only_while_it_builds():
    from portal.search.analysis import fast_segmenter
    from portal.search.rebuild import BUILD_BLOCKS_REMEMBERED, remembering_blocks

    usual = fast_segmenter().blocks_remembered
    with remembering_blocks():
        assert fast_segmenter().blocks_remembered == BUILD_BLOCKS_REMEMBERED > usual
        fast_segmenter().cut("网格治理，矛盾纠纷化解。")
    assert fast_segmenter().blocks_remembered == usual and fast_segmenter().blocks == {}


def test_the_text_fields_postings_equal_whooshs_own_indexing():
    from whoosh.fields import TEXT

    from portal.config import PROJECT_ROOT
    from portal.search.engine import build_schema, searchable_text

    schema = build_schema()
    cases = sorted((PROJECT_ROOT / "content" / "cases").glob("*.md"))[:6]
    values = [searchable_text({"title": path.stem, "body": path.read_text("utf-8"), "summary": "网格化 管理"})
              for path in cases] + ["阳光票决制 陽光票決", "", "  ，。"]
    for name in ("text", "grams"):
        field = schema[name]
        for value in values:
            text = value if name == "text" else "\n".join(part for part, _weight in getattr(value, "parts", [(value, 1)]))
            assert sorted(field.index(text)) == sorted(TEXT.index(field, text)), (name, text[:30])


def test_sub_words_follow_words_added_to_the_dictionary():
    from portal.search.analysis import segmenter, subwords

    jieba = segmenter()
    assert ("票决制", 2) not in subwords("阳光票决制度", 0) or jieba.FREQ.get("票决制")
    saved = dict(jieba.FREQ), jieba.total
    jieba.add_word("光票决", freq=10**6)
    try:
        assert ("光票决", 1) in subwords("阳光票决制度", 0)
    finally:
        jieba.FREQ.clear()
        jieba.FREQ.update(saved[0])
        jieba.total = saved[1]
    assert ("光票决", 1) not in subwords("阳光票决制度", 0)


def test_index_tokens_are_the_words_and_their_sub_words_in_order():
    from portal.config import PROJECT_ROOT
    from portal.search.analysis import subwords

    texts = [path.read_text("utf-8") for path in sorted((PROJECT_ROOT / "content" / "cases").glob("*.md"))][:5]
    for text in texts + ["ＡＢＣ 阳光票决制，陽光票決 2023年"]:
        expected = [token for word, offset in segment(normalize(text))
                    for token in [(word, offset), *subwords(word, offset)]]
        assert index_tokens(text) == expected
