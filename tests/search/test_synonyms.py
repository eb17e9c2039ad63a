"""Synonyms: a query word also finds its group's other words, at once, without reindexing."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from portal import create_app
from portal.config import PROJECT_ROOT
from portal.extensions import db
from portal.search.analysis import normalize
from portal.search.models import SynonymGroup
from portal.search.synonyms import variants
from tests.helpers.search import slugs

SEED_SPEECH = Path("/work/shared/seed/000_4337060a31840b22.txt")


def add_group(term: str, *others: str) -> None:
    db.session.add(SynonymGroup(term=term, variants=list(others)))
    db.session.commit()


def test_variants_gives_the_term_first_then_its_group(app):
    with app.app_context():
        add_group("陈尸陈案", "陈尸案件")
        assert variants("陈尸案件") == ("陈尸案件", "陈尸陈案")
        assert variants("陈尸陈案") == ("陈尸陈案", "陈尸案件")
        assert variants("陳屍案件") == ("陳屍案件", "陈尸陈案")  # Traditional characters too
        assert variants("网格") == ("网格",)


def test_a_synonym_added_now_works_on_the_next_search_without_reindexing(seeded_app):
    with seeded_app.app_context():
        before = slugs("老娘舅")
        add_group("调解组织", "老娘舅")
        after = slugs("老娘舅")
    assert "zhuanjia-tuandui-jinrong-jiufen" not in before
    assert "zhuanjia-tuandui-jinrong-jiufen" in after[:3]


def test_another_worker_sees_a_change_on_its_next_search(seeded_app):
    # Two app objects on one database stand for two gunicorn workers (or two machines).
    other = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": seeded_app.config["SQLALCHEMY_DATABASE_URI"],
                        "INSTANCE_DIR": seeded_app.instance_path})
    with other.app_context():
        assert variants("老娘舅") == ("老娘舅",)
    with seeded_app.app_context():
        add_group("调解组织", "老娘舅")
    with other.app_context():
        assert variants("老娘舅") == ("老娘舅", "调解组织")
    with seeded_app.app_context():
        db.session.execute(db.delete(SynonymGroup).where(SynonymGroup.term == "调解组织"))
        db.session.commit()
    with other.app_context():
        assert variants("老娘舅") == ("老娘舅",)
        db.engine.dispose()


def test_a_multi_word_synonym_finds_the_case_written_the_other_way(seeded_app):
    # The speech says 陈尸案件; the case file says 陈尸陈案 throughout.
    with seeded_app.app_context():
        assert slugs("陈尸案件")[0] == "chenshi-chenan-zhuanxiang-gongjian"
        assert slugs("防疫 企业")[0] == "dashuju-wanggehua-fuwu-qiye"


def test_the_results_page_says_which_synonyms_were_searched(seeded_client):
    html = seeded_client.get("/search?q=陈尸案件").get_data(as_text=True)
    assert re.search(r"已同时搜索：陈尸案件 → 陈尸陈案", html)


def test_every_seeded_synonym_is_a_wording_the_cases_or_the_speech_use():
    text = "".join(path.read_text(encoding="utf-8") for path in (PROJECT_ROOT / "content" / "cases").glob("*.md"))
    if SEED_SPEECH.exists():
        text += SEED_SPEECH.read_text(encoding="utf-8")
    text = normalize(text)
    groups = yaml.safe_load((PROJECT_ROOT / "content" / "synonyms.yml").read_text(encoding="utf-8"))
    assert len(groups) >= 10
    unused = [term for group in groups for term in [group["term"], *group["variants"]] if normalize(term) not in text]
    assert not unused, f"not written in any case or the speech: {unused}"
