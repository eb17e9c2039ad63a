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


class _FormReader:
    """Collect the values a browser would submit from one <form id=...> (inputs, textareas, checkboxes)."""

    def __init__(self, form_id: str):
        from html.parser import HTMLParser

        reader = self

        class Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                reader.start(tag, dict(attrs))

            def handle_endtag(self, tag):
                reader.end(tag)

            def handle_data(self, data):
                if reader.textarea is not None:
                    reader.values[reader.textarea] = reader.values.get(reader.textarea, "") + data

        self.parser, self.form_id = Parser(convert_charrefs=True), form_id
        self.inside, self.textarea, self.values = False, None, {}

    def start(self, tag, attrs):
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif self.inside and tag == "input" and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            if attrs.get("type") != "submit":
                self.values[attrs["name"]] = attrs.get("value", "y" if attrs.get("type") == "checkbox" else "")
        elif self.inside and tag == "textarea":
            self.textarea = attrs.get("name")
            self.values.setdefault(self.textarea, "")

    def end(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.inside = False


def page_form(client, url: str, form_id: str = "collection-form", **changes) -> dict:
    """What the page's form would submit now, with `changes` typed in (keys are field names)."""
    reader = _FormReader(form_id)
    reader.parser.feed(client.get(url).get_data(as_text=True))
    values = {name: value.removeprefix("\n") for name, value in reader.values.items()}
    values.update(changes)
    return values
