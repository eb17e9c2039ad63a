"""Collection pages are keyed by the collections and the cases they show: a publish elsewhere leaves
them cached, and every change to what they show turns them over on every instance
(collections/page_version.py)."""

from __future__ import annotations

import pytest

from portal.cases.models import Area, Case
from portal.collections.models import Collection, CollectionItem
from portal.extensions import db
from tests.factories import make_case, make_taxonomy
from tests.helpers.collections import make_collection
from tests.helpers.page_cache import cached, second_instance, still_cached, turned_over

PAGES = ["/collections", "/collections/langqiao-heji", "/collections/langqiao-heji/present/1"]


@pytest.fixture
def instances(app, database_url, tmp_path):
    """Two instances on one database, and a collection holding 廊桥议事 and 梯田共富."""
    with app.app_context():
        make_taxonomy()
        cases = [make_case("庆元县廊桥议事", slug="langqiao", body="## 背景\n\n廊桥下议事。"),
                 make_case("云和县梯田共富", slug="titian", area_slug="fuwu", body="## 背景\n\n梯田里共富。")]
        make_collection(cases, slug="langqiao-heji", title="廊桥合集")
    return [app.test_client(), second_instance(database_url, tmp_path).test_client()]


def case(slug: str) -> Case:
    return db.session.scalar(db.select(Case).where(Case.slug == slug))


def every_page_cached(instances) -> dict[str, list[str]]:
    return {path: cached(instances, path) for path in PAGES}


def test_a_publish_elsewhere_leaves_collection_pages_cached_on_every_instance(app, instances):
    etags = every_page_cached(instances)
    with app.app_context():
        make_case("缙云县网格议事", slug="wangge", area_slug="liliang", region_code="331122")
    for path, old in etags.items():
        still_cached(instances, old, path)


@pytest.mark.parametrize("path", PAGES)
def test_a_retitled_case_in_the_collection_turns_its_pages_over(app, instances, path):
    etags = cached(instances, path)
    with app.app_context():
        case("titian").title = "云和县梯田共富（修订）"
        db.session.commit()
    turned_over(instances, etags, path)


def test_an_unpublished_case_leaves_the_collection_pages(app, instances):
    etags = every_page_cached(instances)
    with app.app_context():
        case("titian").status = "draft"
        db.session.commit()
    assert all("云和县梯田共富" not in page for page in turned_over(instances, etags["/collections/langqiao-heji"],
                                                                  "/collections/langqiao-heji"))
    assert all("1 个案例" in page for page in turned_over(instances, etags["/collections"], "/collections"))


def test_an_added_case_and_a_renamed_collection_turn_the_pages_over(app, instances):
    etags = every_page_cached(instances)
    with app.app_context():
        collection = db.session.scalar(db.select(Collection).where(Collection.slug == "langqiao-heji"))
        collection.items.append(CollectionItem(case=make_case("松阳县网格议事", slug="songyang", commit=False),
                                               position=2))
        db.session.commit()
    assert all("松阳县网格议事" in page for page in turned_over(instances, etags["/collections/langqiao-heji"],
                                                              "/collections/langqiao-heji"))
    etags = every_page_cached(instances)
    with app.app_context():
        db.session.scalar(db.select(Collection).where(Collection.slug == "langqiao-heji")).title = "廊桥议事合集"
        db.session.commit()
    for path in PAGES:
        assert all("廊桥议事合集" in page for page in turned_over(instances, etags[path], path))


def test_a_taxonomy_rename_turns_a_collection_page_over(app, instances):
    etags = cached(instances, "/collections/langqiao-heji")
    with app.app_context():
        db.session.scalar(db.select(Area).where(Area.slug == "fuwu")).name = "服务统筹（新）"
        db.session.commit()
    assert all("服务统筹（新）" in page for page in turned_over(instances, etags, "/collections/langqiao-heji"))
