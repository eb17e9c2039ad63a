"""jieba's precise mode without HMM, word for word, at about twice jieba's speed: the one module that
reads a jieba.Tokenizer's dictionary (FREQ, total) and its block patterns directly.

jieba builds a dict of every word's possible ends, then picks the most probable route with one
log() per candidate word, over several layers of Python calls per character. Segmenting was most of
a reindex (every case's text, 6 parts plus the grams field's). Here both passes run in one loop per
block and each word's log probability is computed once per process. Pinned jieba version:
pyproject.toml; tests/search/test_analysis.py holds the output equal to `Tokenizer.tokenize(text,
HMM=False)` over the seed cases and hostile text.
"""

from __future__ import annotations

from math import log
from sys import intern

import jieba

BLOCK = jieba.re_han_default  # runs of Chinese, letters, digits and a few joiners, cut by the dictionary
SKIP = jieba.re_skip_default  # whitespace between the other characters, kept as tokens
LETTER_OR_DIGIT = jieba.re_eng
# A dictionary entry that is only the beginning of longer words (jieba stores those with count 0).
PREFIX_ONLY = object()
# How many distinct blocks a segmenter remembers the cut of (~250 bytes each): a server's queries and
# publishes need few; a full rebuild's writer processes raise it (portal.search.rebuild.remembering_blocks).
BLOCKS_REMEMBERED = 4096


class FastSegmenter:
    """Segments text as `tokenizer.tokenize(text, HMM=False)` does, reading the same dictionary."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.total = None
        self.routes: dict[str, object] = {}
        self.blocks: dict[str, tuple[str, ...]] = {}
        self.blocks_remembered = BLOCKS_REMEMBERED

    def tokenize(self, text: str) -> list[tuple[str, int, int]]:
        """Return (word, start, end) for every word of `text`, as jieba's tokenize(HMM=False) yields them."""
        tokens, start = [], 0
        for word in self.cut(text):
            tokens.append((word, start, start + len(word)))
            start += len(word)
        return tokens

    def cut(self, text: str) -> list[str]:
        words: list[str] = []
        self._routes()
        blocks = self.blocks
        for block in BLOCK.split(text):
            if not block:
                continue
            if BLOCK.match(block):
                cut = blocks.get(block)
                if cut is None:
                    cut = self.remember(block)
                words.extend(cut)
            else:
                for piece in SKIP.split(block):
                    if SKIP.match(piece):
                        words.append(piece)
                    else:
                        words.extend(piece)
        return words

    def remember(self, block: str) -> tuple[str, ...]:
        """Cut `block` and remember the cut: a clause, a name or a set phrase recurs across cases (the
        remembered cuts are dropped wholesale when full, and whenever the dictionary changes)."""
        if len(self.blocks) >= self.blocks_remembered:
            self.blocks.clear()
        cut = self.blocks[block] = tuple(intern(word) for word in self.cut_block(block))
        return cut

    def forget_blocks(self) -> None:
        self.blocks = {}

    def cut_block(self, block: str) -> list[str]:
        """The most probable route through `block` (ties to the longer word, as jieba's max() does)."""
        ends = self.best_ends(block)
        words, position, letters = [], 0, ""
        while position < len(block):
            end = ends[position] + 1
            word = block[position:end]
            if len(word) == 1 and LETTER_OR_DIGIT.match(word):
                letters += word
            else:
                if letters:
                    words.append(letters)
                    letters = ""
                words.append(word)
            position = end
        if letters:
            words.append(letters)
        return words

    def best_ends(self, block: str) -> list[int]:
        """Return, per start, the last index of the word the best route takes from there."""
        freq, routes, log_total = self.tokenizer.FREQ, self._routes(), self.log_total
        size = len(block)
        scores, ends = [0.0] * (size + 1), [0] * (size + 1)
        for start in range(size - 1, -1, -1):
            best_score, best_end, stop, fragment = None, start, start, block[start]
            while stop < size:
                score = routes.get(fragment)
                if score is None:
                    count = freq.get(fragment)
                    if count is None:  # no dictionary word starts with this fragment
                        break
                    score = routes[fragment] = log(count) - log_total if count else PREFIX_ONLY
                if score is not PREFIX_ONLY:
                    score += scores[stop + 1]
                    if best_score is None or score >= best_score:
                        best_score, best_end = score, stop
                stop += 1
                fragment = block[start:stop + 1]
            if best_score is None:  # no dictionary word starts here: the character alone
                best_score = log(freq.get(block[start]) or 1) - log_total + scores[start + 1]
            scores[start], ends[start] = best_score, best_end
        return ends

    def _routes(self) -> dict:
        """Return {fragment: its word's log probability, or PREFIX_ONLY}, one dict lookup per fragment
        on the common path; dropped whenever the dictionary's total changed (a word was added)."""
        if self.total != self.tokenizer.total:
            self.total, self.log_total = self.tokenizer.total, log(self.tokenizer.total)
            self.routes, self.blocks = {}, {}
        return self.routes
