"""Build taxonomy rows and cases directly, for tests that do not need the content importer."""

from __future__ import annotations

from itertools import count

from portal.cases.models import Area, Case, Region, Tag
from portal.extensions import db
from portal.markdown import render_markdown
from portal.timeutil import utcnow

AREAS = [("pingtai", "平台统筹"), ("quyu", "区域统筹"), ("fuwu", "服务统筹"), ("liliang", "力量统筹"), ("zeren", "责任统筹")]
COUNTIES = [("331102", "莲都区"), ("331121", "青田县"), ("331122", "缙云县"), ("331123", "遂昌县"),
            ("331124", "松阳县"), ("331125", "云和县"), ("331126", "庆元县"), ("331127", "景宁畲族自治县"),
            ("331181", "龙泉市")]
_serial = count(1)


def make_taxonomy() -> None:
    """Create the five areas and the 丽水市 region tree."""
    for position, (slug, name) in enumerate(AREAS):
        db.session.add(Area(slug=slug, name=name, description=f"{name}的说明", position=position))
    city = Region(code="331100", name="丽水市", kind="city", position=0)
    db.session.add(city)
    for position, (code, name) in enumerate(COUNTIES):
        db.session.add(Region(code=code, name=name, kind="county", parent=city, position=position))
    db.session.commit()


def area(slug: str) -> Area:
    return db.session.scalar(db.select(Area).where(Area.slug == slug))


def region(code: str) -> Region:
    return db.session.scalar(db.select(Region).where(Region.code == code))


def make_case(title: str = "测试案例", *, slug: str | None = None, area_slug: str = "quyu",
              region_code: str = "331100", level: str = "市级", tags: tuple[str, ...] = (),
              body: str = "## 背景\n\n正文。", summary: str = "摘要。", status: str = "published",
              place: str | None = None, commit: bool = True) -> Case:
    """Create one case; published by default."""
    rendered = render_markdown(body)
    case = Case(slug=slug or f"case-{next(_serial)}", title=title, summary=summary, body_md=body,
                body_html=rendered.html, toc_html=rendered.toc_html, area=area(area_slug),
                region=region(region_code), level=level, status=status, place=place,
                published_at=utcnow() if status == "published" else None,
                tags=[Tag.get_or_create(name) for name in tags])
    db.session.add(case)
    if commit:
        db.session.commit()
    return case
