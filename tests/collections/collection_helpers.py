"""Shared bits for the collections tests: the seed collections and small builders."""

from __future__ import annotations

from portal.collections.models import Collection, CollectionItem
from portal.extensions import db

TOWNSHIP = "xinren-xiangzhen-ganbu-jiudi-huajie"
TOWNSHIP_TITLE = "新任乡镇干部：矛盾纠纷就地化解"
GRID = "dangjian-tongling-wangge-zhili"
GRID_TITLE = "党建统领网格治理"
RESPONSIBILITY = "zeren-tixi-jianshe"
RESPONSIBILITY_TITLE = "责任体系建设：从平安报表到责任交接"
# The township collection, in teaching order.
TOWNSHIP_CASES = [
    "yingcun-minshi-cunliao", "huangnidun-yangguang-piaojue", "zhuanjia-tuandui-jinrong-jiufen",
    "yiren-yishi-yidang", "fenlei-guikou-jiaoban", "baoxiang-zoucun", "jinengxing-xiangzhen-zhengfu",
]


def make_collection(cases, *, slug="demo", title="测试合集", published=True, notes=None,
                    questions=None) -> Collection:
    """Create a collection holding `cases` in order, each with an optional note and questions."""
    notes = notes or {}
    questions = questions or {}
    collection = Collection(slug=slug, title=title, audience="测试学员", intro_md="导言。",
                            intro_html="<p>导言。</p>", published=published)
    collection.items = [CollectionItem(case=case, position=n, note_md=notes.get(case.slug, ""),
                                       questions=questions.get(case.slug, []))
                        for n, case in enumerate(cases)]
    db.session.add(collection)
    db.session.commit()
    return collection


def squeeze(text: str) -> str:
    """Drop all whitespace, so text wrapped across PDF lines still matches."""
    return "".join(text.split())
