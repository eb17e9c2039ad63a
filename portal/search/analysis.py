"""Chinese text analysis: normalization, jieba segmentation and the Whoosh analyzers built on them.

Token positions are character offsets into the text (normalization keeps lengths). Search-mode
sub-words (票决 inside 阳光票决制) then sit at their real offsets, so a phrase is "these words at these
relative offsets" (see portal.search.phrase), however jieba happened to split the surrounding text.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from whoosh.analysis import Token, Tokenizer

from portal.search.segmenting import FastSegmenter

# Single characters and little words that carry no meaning for search; removed at index and
# query time alike, so they can neither fail an AND nor crowd the scores.
_STOPWORD_TEXT = (
    "的 地 得 了 着 过 和 与 及 或 是 在 也 就 都 而 并 把 被 对 从 向 为 以 于 之 其 这 那 有 个 等 "
    "吗 呢 吧 啊 呀 么 怎么 怎样 如何 什么 哪些 哪里 为什么 怎么办 一个 一些 我们 你们 他们 可以 "
    "关于 进行 通过 如果 还是 或者 以及 还有 里 上 中 下"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Words that make a sentence a question (or a request for "experience") without saying what about.
# Only the query drops them; they can never make a match on their own.
_FILLER_TEXT = (
    "怎么 怎样 怎么样 如何 如何做 怎么做 怎么办 咋 咋办 什么 什么样 哪些 哪个 哪种 哪里 哪儿 哪些地方 "
    "什么地方 为什么 为啥 是否 有没有 有无 能否 能不能 可不可以 要不要 是不是 请问 一下 吗 呢 吧 "
    "有哪些 有什么 好的 好 做法 经验 办法 方法 措施 案例 介绍 相关 可以 应该 需要 "
    "遇到 碰到 事情 这种 这类 那种 一般 通常 平时 具体 其他 其它 别的 找谁 怎么找"
)
FILLER = frozenset(_FILLER_TEXT.split())
MAX_SUBWORD = 8
_WORD_CHAR = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)

_lock = threading.Lock()
_loaded: dict = {}


def load(dictionary_path: str | Path | None = None) -> None:
    """Load jieba, its dictionary and the domain dictionary once per process."""
    with _lock:
        if _loaded.get("jieba") is not None:
            if dictionary_path and str(dictionary_path) not in _loaded["userdicts"]:
                _loaded["jieba"].load_userdict(str(dictionary_path))
                _loaded["userdicts"].add(str(dictionary_path))
            return
        import jieba

        jieba.setLogLevel(60)
        segmenter = jieba.Tokenizer()
        segmenter.initialize()
        userdicts = set()
        if dictionary_path and Path(dictionary_path).exists():
            segmenter.load_userdict(str(dictionary_path))
            userdicts.add(str(dictionary_path))
        _loaded.update(jieba=segmenter, userdicts=userdicts, converter=_make_converter(),
                       fast=FastSegmenter(segmenter))


def _make_converter():
    from opencc import OpenCC

    return OpenCC("t2s")


def segmenter():
    """Return the shared jieba tokenizer, loading it on first use."""
    if _loaded.get("jieba") is None:
        load(default_dictionary_path())
    return _loaded["jieba"]


def fast_segmenter() -> FastSegmenter:
    """Return the shared segmenter that cuts as jieba's precise mode does, faster (see portal.search.segmenting)."""
    if _loaded.get("fast") is None:
        load(default_dictionary_path())
    return _loaded["fast"]


def default_dictionary_path() -> Path:
    from portal.config import PROJECT_ROOT

    return PROJECT_ROOT / "content" / "dictionary.txt"


def dictionary_words() -> list[str]:
    """Return the domain dictionary's words (the first column of content/dictionary.txt)."""
    path = default_dictionary_path()
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split()[0] for line in lines if line.strip() and not line.startswith("#")]


def _fold_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).lower()
    return folded if len(folded) == 1 else char.lower() if len(char.lower()) == 1 else char


def to_simplified(text: str) -> str:
    """Convert Traditional characters to Simplified, keeping the text's length."""
    if _loaded.get("converter") is None:
        segmenter()
    converter = _loaded["converter"]
    converted = converter.convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase rule changed the length: convert character by character so offsets survive.
    return "".join(single if len(single := converter.convert(char)) == 1 else char for char in text)


class _Folding(dict):
    """A str.translate table folding one character at a time, filled as characters are first met."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLDING = _Folding()
# Marks that NFKC composes with the character before them (e + ◌́ → é, ｶ + ﾞ → ガ), and Hangul jamo:
# text holding any is folded as a whole, as NFKC defines it, not character by character.
_COMPOSING = re.compile("[\u0300-\u036f\u1100-\u11ff\u1dc0-\u1dff\u20d0-\u20ff\u3099\u309a\uff9e\uff9f]")


@lru_cache(maxsize=1)
def _changing() -> re.Pattern:
    """Return a pattern for the runs of characters that folding changes (full-width punctuation,
    capitals …; any character beyond the BMP is looked at too).

    Chinese text is never NFKC-normalized already (its full-width punctuation folds), and folding a
    whole case took ~1 ms per 2,000 characters; folding only the runs that change is several times faster.
    """
    changing = "".join(re.escape(chr(code)) for code in range(0x80, 0x10000) if _fold_char(chr(code)) != chr(code))
    return re.compile(f"[A-Z{changing}\U00010000-\U0010ffff]+")


def _fold_run(match: re.Match) -> str:
    return match.group().translate(_FOLDING)


def normalize(text: str) -> str:
    """Fold width and case and convert to Simplified, character for character (offsets survive)."""
    if not text:
        return ""
    if _COMPOSING.search(text) is None:
        return to_simplified(_changing().sub(_fold_run, text))
    folded = unicodedata.normalize("NFKC", text).lower()
    if len(folded) != len(text):
        folded = "".join(_fold_char(char) for char in text)
    return to_simplified(folded)


@lru_cache(maxsize=32768)
def is_word(text: str) -> bool:
    return bool(_WORD_CHAR.search(text)) and text not in STOPWORDS


def segment(text: str) -> list[tuple[str, int]]:
    """Split normalized text into (word, offset) pairs with jieba's precise mode, without stopwords."""
    return [(word, start) for word, start, _end in fast_segmenter().tokenize(text) if is_word(word)]


def subwords(word: str, offset: int) -> list[tuple[str, int]]:
    """Return the dictionary words inside a longer word (票决, 票决制 inside 阳光票决制) with offsets."""
    if len(word) <= 2:
        return []
    return [(piece, offset + start) for piece, start in _subwords_at(word, segmenter().total)]


@lru_cache(maxsize=32768)
def _subwords_at(word: str, _dictionary_total: int) -> tuple[tuple[str, int], ...]:
    """The sub-words of `word` at their offsets in it; cached per word (words recur in any text) and
    keyed by the dictionary's total too, so a word added to the dictionary is seen at once."""
    freq = segmenter().FREQ
    found = []
    for size in range(2, min(len(word), MAX_SUBWORD + 1)):
        for start in range(len(word) - size + 1):
            piece = word[start:start + size]
            if freq.get(piece) and piece not in STOPWORDS:
                found.append((piece, start))
    return tuple(found)


def index_tokens(text: str) -> list[tuple[str, int]]:
    """Return every token indexed for `text`: precise-mode words plus their dictionary sub-words
    (`segment` and `subwords` in one pass: this runs over every case's whole text at a reindex)."""
    tokens, offset, total = [], 0, segmenter().total
    for word in fast_segmenter().cut(normalize(text)):
        if is_word(word):
            tokens.append((word, offset))
            if len(word) > 2:
                tokens.extend([(piece, offset + start) for piece, start in _subwords_at(word, total)])
        offset += len(word)
    return tokens


# Parts of one case's searchable text are laid out this far apart, so a phrase never spans two parts.
PART_GAP = 1000


def weighted_tokens(parts: list[tuple[str, float]]) -> list[tuple[str, int, float]]:
    """Tokenize several texts into one stream: (word, position, weight), each part at its own offset.

    A word's weights add up to its term frequency, so a title word (weight 6) counts like six body
    words: one indexed field then ranks like a field-weighted (BM25F-style) search.
    """
    tokens, base = [], 0
    for text, weight in parts:
        tokens.extend((word, base + offset, weight) for word, offset in index_tokens(text or ""))
        base += len(text or "") + PART_GAP
    return tokens


class WeightedPartsPlaceholder(str):
    """An empty str carrying a case's weighted texts, tokenized only when the analyzer runs.

    Whoosh wants a str for a TEXT field; the real texts ride along in `parts` (and through pickling,
    to whichever process indexes), and `WordTokenizer` reads them from there.
    """

    parts: list[tuple[str, float]]

    def __new__(cls, parts: list[tuple[str, float]]):
        value = super().__new__(cls, "")
        value.parts = parts
        return value

    def __reduce__(self):
        return (WeightedPartsPlaceholder, (self.parts,))


class WordTokenizer(Tokenizer):
    """A Whoosh tokenizer yielding jieba's precise-mode words and the dictionary words inside them.

    Not jieba's search mode: sub-words are every dictionary word inside a longer word (see
    `subwords`), at their character offsets, so phrases match however the text was split.
    """

    def occurrences(self, value) -> list[tuple[str, int, float]]:
        """Return (word, position, boost) for every token of `value`, as __call__ yields them."""
        parts = getattr(value, "parts", None)
        if parts is not None:
            return weighted_tokens(parts)
        return [(word, offset, 1.0) for word, offset in index_tokens(value)]

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        parts = getattr(value, "parts", None)
        pairs = weighted_tokens(parts) if parts is not None else index_tokens(value)
        for word, offset, *weight in pairs:
            token.text = word
            token.boost = weight[0] if weight else 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + offset
            if chars:
                token.startchar = start_char + offset
                token.endchar = start_char + offset + len(word)
            yield token


def is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"


# Quotation marks and brackets around a name ("民事村了"工作法) do not separate it from its neighbours.
_ENCLOSING = str.maketrans("", "", "\"'“”‘’「」『』《》〈〉()（）【】")


def bigrams(text: str) -> list[str]:
    """Return the overlapping pairs of Chinese characters in normalized `text` (Lucene's CJK bigrams)."""
    text = text.translate(_ENCLOSING)
    return [text[i:i + 2] for i in range(len(text) - 1) if is_cjk(text[i]) and is_cjk(text[i + 1])]


class BigramTokenizer(Tokenizer):
    """A Whoosh tokenizer yielding every pair of adjacent Chinese characters: the recall safety net."""

    def occurrences(self, value) -> list[tuple[str, int, float]]:
        """Return (pair, position, boost) for every pair of `value`, as __call__ yields them."""
        return [(pair, position, 1.0) for position, pair in enumerate(bigrams(normalize(value)))]

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, pair in enumerate(bigrams(normalize(value))):
            token.text, token.boost, token.stopped = pair, 1.0, False
            if positions:
                token.pos = start_pos + position
            yield token
