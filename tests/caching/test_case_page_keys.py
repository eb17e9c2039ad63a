"""A case page is keyed by what it shows: a publish elsewhere leaves it cached, and every change to
something it shows turns it over on every instance (cases/page_version.py)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from portal.cases.models import Area, Case, CaseLearnedFrom, Tag
from portal.extensions import db
from tests.factories import make_case, make_taxonomy
from tests.helpers.collections import make_collection
from tests.helpers.page_cache import cached, second_instance, still_cached, turned_over

PAGE = "/cases/langqiao"


@pytest.fixture
def instances(app, database_url, tmp_path):
    """Two instances on one database: 廊桥议事 lists 梯田共富 as its related case (stored list)."""
    with app.app_context():
        make_taxonomy()
        make_case("庆元县廊桥议事", slug="langqiao", body="廊桥下议事。")
        make_case("云和县梯田共富", slug="titian", area_slug="fuwu", body="梯田里共富。")
        store_related({"langqiao": ["titian"]})
    return [app.test_client(), second_instance(database_url, tmp_path).test_client()]


def store_related(lists: dict[str, list[str]]) -> None:
    """Store related lists by slug, as of a position no index applying later entries overrides."""
    from portal.search import related

    ids = dict(db.session.execute(db.select(Case.slug, Case.id)).all())
    with Session(db.engine) as session:
        related.store(session, {ids[slug]: [ids[other] for other in others] for slug, others in lists.items()},
                      as_of=10**9)


def case(slug: str) -> Case:
    return db.session.scalar(db.select(Case).where(Case.slug == slug))


def test_a_publish_elsewhere_leaves_a_case_page_cached_on_every_instance(app, instances):
    etags, list_etags = cached(instances, PAGE), cached(instances, "/cases")
    with app.app_context():
        make_case("缙云县网格议事", slug="wangge", area_slug="liliang", region_code="331122", body="网格员走访。")
    still_cached(instances, etags, PAGE)
    assert all("缙云县网格议事" in page for page in turned_over(instances, list_etags, "/cases"))


def test_a_related_case_retitled_turns_the_page_over(app, instances):
    etags = cached(instances, PAGE)
    with app.app_context():
        case("titian").title = "云和县梯田共富（修订）"
        db.session.commit()
    assert all("云和县梯田共富（修订）" in page for page in turned_over(instances, etags, PAGE))


def test_an_unpublished_neighbour_leaves_the_page(app, instances):
    etags = cached(instances, PAGE)
    with app.app_context():
        case("titian").status = "draft"
        db.session.commit()
    assert all('href="/cases/titian"' not in page for page in turned_over(instances, etags, PAGE))


def test_a_taxonomy_rename_turns_the_page_over(app, instances):
    etags = cached(instances, PAGE)
    with app.app_context():
        db.session.scalar(db.select(Area).where(Area.slug == "quyu")).name = "区域统筹（新）"
        db.session.commit()
    assert all("区域统筹（新）" in page for page in turned_over(instances, etags, PAGE))


def test_a_tag_on_the_case_itself_turns_the_page_over(app, instances):
    etags = cached(instances, PAGE)
    with app.app_context():
        page_case = case("langqiao")
        page_case.tags.append(Tag.get_or_create("议事协商"))
        db.session.commit()
    assert all("议事协商" in page for page in turned_over(instances, etags, PAGE))


def test_adding_the_case_to_a_collection_names_it_on_the_page(app, instances):
    etags = cached(instances, PAGE)
    with app.app_context():
        make_collection([case("langqiao")], slug="langqiao-heji", title="廊桥合集")
    assert all("廊桥合集" in page for page in turned_over(instances, etags, PAGE))


def test_a_case_learning_from_it_shows_on_its_page(app, instances):
    etags = cached(instances, PAGE)
    with app.app_context():
        learner = make_case("松阳县学廊桥议事", slug="songyang", area_slug="zeren", region_code="331124",
                            body="学来的议事。", commit=False)
        learner.learned_from_rows = [CaseLearnedFrom(source_slug="langqiao", position=0)]
        db.session.commit()
    assert all('href="/cases/songyang"' in page for page in turned_over(instances, etags, PAGE))


def test_a_source_published_after_the_case_shows_on_its_page(app, instances):
    with app.app_context():
        case("langqiao").learned_from_rows = [CaseLearnedFrom(source_slug="yuanliu", position=0)]
        db.session.commit()
    etags = cached(instances, PAGE)
    with app.app_context():
        make_case("景宁县议事源流", slug="yuanliu", area_slug="zeren", region_code="331127", body="源流。")
    assert all('href="/cases/yuanliu"' in page for page in turned_over(instances, etags, PAGE))


def test_a_page_without_a_stored_list_shows_its_areas_newest_publish(app, instances):
    with app.app_context():
        store_related({"langqiao": []})
    etags = cached(instances, PAGE)
    with app.app_context():
        make_case("莲都区廊桥新篇", slug="xinpian", region_code="331102", body="新篇。")
    assert all('href="/cases/xinpian"' in page for page in turned_over(instances, etags, PAGE))


def test_new_markdown_html_turns_the_page_over(app, instances):
    from portal.cached_html import turn_over_public_pages

    etags = cached(instances, PAGE)
    with app.app_context():
        turn_over_public_pages(db.session)
    turned_over(instances, etags, PAGE)
