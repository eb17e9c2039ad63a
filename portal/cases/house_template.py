"""The house template a new case starts from: four headings, each with a one-line prompt that is never stored."""

from __future__ import annotations

import re

# (heading, prompt): the prompt says what the section should answer and disappears once the editor writes.
SECTIONS = (
    ("背景", "这项做法要解决什么问题？当时的情况如何？"),
    ("做法", "具体做了什么？谁来做、怎么做、有哪些制度或平台？"),
    ("成效", "带来了哪些变化？写明资料中有出处的数字和事例。"),
    ("经验与启示", "为什么管用？别的地方借鉴时要注意什么？（属分析，请注明）"),
)
PROMPT_MARK = "✎ "
PROMPTS = tuple(f"{PROMPT_MARK}{prompt}" for _, prompt in SECTIONS)
_BLANK_RUNS = re.compile(r"\n{3,}")


def starting_body() -> str:
    """The body a new case opens with: each heading followed by its prompt line."""
    return "\n\n".join(f"## {heading}\n\n{PROMPT_MARK}{prompt}" for heading, prompt in SECTIONS) + "\n"


def strip_prompts(body: str) -> str:
    """Remove prompt lines nobody replaced, so they are never saved, previewed or published."""
    if PROMPT_MARK not in (body or ""):
        return body or ""
    kept = [line for line in body.split("\n") if line.strip() not in PROMPTS]
    return _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip("\n") + "\n"
