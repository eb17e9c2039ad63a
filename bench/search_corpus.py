"""A synthetic corpus of governance case write-ups for bench/search.py, and the queries run against it.

Sentences come from the seed cases in content/cases (split at 。；) with their practice and place
names swapped for others from content/dictionary.txt, plus template sentences built from the
domain vocabulary, so the text reads like the real write-ups without repeating them verbatim.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AREAS = [("pingtai", "平台统筹"), ("quyu", "区域统筹"), ("fuwu", "服务统筹"), ("liliang", "力量统筹"),
         ("zeren", "责任统筹")]
COUNTIES = [("331102", "莲都区"), ("331121", "青田县"), ("331122", "缙云县"), ("331123", "遂昌县"),
            ("331124", "松阳县"), ("331125", "云和县"), ("331126", "庆元县"), ("331127", "景宁畲族自治县"),
            ("331181", "龙泉市")]
LEVELS = ("市级", "县级", "乡镇级", "村级")
TEMPLATES = [
    "{place}针对{topic}的问题，探索形成“{practice}”，推动{goal}。",
    "在{area}中，{place}把{topic}作为重点，依托{carrier}开展{action}。",
    "汇报显示，{place}通过{practice}，{goal}，得到群众认可。",
    "{carrier}与{carrier2}衔接配合，让{topic}能够在基层及时发现、及时化解。",
    "借鉴这一做法时，要结合本地实际，明确{topic}的责任主体，防止{risk}。",
    "编者认为，{practice}的关键在于{goal}，并注意{risk}。",
]
QUERIES = [
    "阳光票决制", "票决", "民事村了", "村了", "矛盾纠纷在村里化解", "干部离任交接", "在外务工人员服务",
    "金融纠纷", "村里重大事项怎么决策", "陽光票決制", "十台合一", "平安报表", "网格 景宁", "矛调中心",
    "全科网格", "枫桥经验", '"阳光 票决"', "党建统领 网格", "信访维稳 责任", "专项攻坚", "服务企业 复工复产",
    "乡镇干部 技能", "域外网格", "警侨驿站", "村务决策 公开", "品牌培育", "平台整合 数据共享",
    "考核评价", "群众参与", "历史积案",
]
# Dense queries: words in more than half of the cases (网格, 治理, 服务, 群众 … in most of this corpus,
# as 网格 or 党建 will be in a real governance library), alone, together and inside a question.
DENSE_QUERIES = [
    "网格", "治理", "服务 群众", "网格 治理", "基层治理", "党建 网格 融合", "平安建设", "数据共享 平台",
    "矛盾纠纷化解", "村里矛盾纠纷怎么化解", "如何做好基层治理", "群众 服务 网格 平台", "干部 责任", "统筹 力量",
]
QUERY_SETS = {"query": QUERIES, "dense": DENSE_QUERIES}


def vocabulary() -> dict[str, list[str]]:
    """Return the word pools the generator draws from, read from content/dictionary.txt."""
    words = [line.split() for line in (ROOT / "content" / "dictionary.txt").read_text("utf-8").splitlines()
             if line.strip()]
    names = [w[0] for w in words if len(w) > 2 and w[2] == "nz" and len(w[0]) >= 3]
    places = [w[0] for w in words if len(w) > 2 and w[2] == "ns"]
    terms = [w[0] for w in words if len(w) > 2 and w[2] in ("n", "l", "nz") and 2 <= len(w[0]) <= 6]
    return {"practice": names, "place": places, "topic": terms, "carrier": terms, "carrier2": terms,
            "goal": ["减存量、控增量", "让服务延伸到基层", "让村务公开透明", "形成治理合力", "做到户户明白、人人知晓",
                     "把矛盾化解在萌芽状态", "压实属地责任", "推动数据共享和业务协同"],
            "action": ["专项攻坚", "示范创建", "品牌培育", "走访排查", "集中调处", "分类归口交办"],
            "risk": ["形式主义", "两张皮", "重复建设", "责任悬空", "少数人主导表决"],
            "area": [name for _, name in AREAS]}


def seed_sentences() -> list[str]:
    """Return the sentences of the seed write-ups (without front matter, headings or tables)."""
    sentences = []
    for path in sorted((ROOT / "content" / "cases").glob("*.md")):
        body = path.read_text("utf-8").split("---", 2)[-1]
        for line in body.splitlines():
            if line.startswith(("#", "|")) or not line.strip():
                continue
            sentences += [s + "。" for s in re.split(r"[。；]", line.strip("- *")) if len(s) > 8]
    return sentences


class CorpusGenerator:
    """Deterministic generator of case write-ups of about `chars` characters."""

    def __init__(self, seed: int = 7, chars: int = 2000):
        self.rng = random.Random(seed)
        self.chars = chars
        self.pools = vocabulary()
        self.sentences = seed_sentences()
        self.swappable = sorted(set(self.pools["practice"]) | set(self.pools["place"]), key=len, reverse=True)

    def template_sentence(self) -> str:
        template = self.rng.choice(TEMPLATES)
        return template.format(**{key: self.rng.choice(pool) for key, pool in self.pools.items()})

    def varied_seed_sentence(self) -> str:
        sentence = self.rng.choice(self.sentences)
        for name in self.rng.sample(self.swappable, 3):
            if name in sentence:
                sentence = sentence.replace(name, self.rng.choice(self.pools["practice"]))
        return sentence

    def body(self) -> str:
        parts, size = [], 0
        while size < self.chars:
            sentence = self.template_sentence() if self.rng.random() < 0.5 else self.varied_seed_sentence()
            if self.rng.random() < 0.08:
                sentence = f"\n\n## {self.rng.choice(['背景', '做法', '成效', '经验与启示'])}\n\n" + sentence
            parts.append(sentence)
            size += len(sentence)
        return "".join(parts)

    def case(self, number: int) -> dict:
        county_code, county = self.rng.choice(COUNTIES)
        practice = self.rng.choice(self.pools["practice"])
        return {
            "slug": f"bench-{number}", "title": f"{county}“{practice}”（第{number}号）",
            "summary": self.template_sentence() + self.template_sentence(),
            "body": self.body(), "area": self.rng.choice(AREAS)[0], "region": county_code,
            "level": self.rng.choice(LEVELS), "year": self.rng.choice([None, 2018, 2019, 2020, 2021]),
            "tags": self.rng.sample(self.pools["topic"], 3),
        }


def write_corpus(path: Path, count: int, seed: int = 7) -> None:
    """Write `count` generated cases to `path`, one JSON object per line."""
    generator = CorpusGenerator(seed)
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(count):
            handle.write(json.dumps(generator.case(number), ensure_ascii=False) + "\n")


def read_corpus(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def dir_size_mb(path: Path) -> float:
    """Size of a file, or of everything under a directory (following the index symlink), in MB."""
    real = Path(os.path.realpath(path))
    if real.is_file():
        return real.stat().st_size / 2**20
    return sum(p.stat().st_size for p in real.rglob("*") if p.is_file()) / 2**20


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]
