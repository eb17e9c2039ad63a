"""A small library of cases for the reading-page and API tests: a township under 莲都区, a draft."""

from __future__ import annotations

from portal.cases.models import Region
from portal.extensions import db
from tests.factories import make_case, make_taxonomy, region

TOWNSHIP_CODE = "331102001"


def add_township() -> Region:
    """Add a township below 莲都区 so sub-region filtering has something to roll up."""
    township = Region(code=TOWNSHIP_CODE, name="紫金街道", kind="township", parent=region("331102"), position=0)
    db.session.add(township)
    db.session.commit()
    return township


def build_library(app) -> dict[str, str]:
    """Create the taxonomy, four published cases and one draft; return {name: slug}."""
    with app.app_context():
        make_taxonomy()
        add_township()
        make_case("市级平安报表", slug="city-report", area_slug="quyu", region_code="331100",
                  tags=("平安建设",), level="市级")
        make_case("莲都区网格融合", slug="liandu-grid", area_slug="pingtai", region_code="331102",
                  tags=("网格", "党建统领"), level="县级")
        make_case("紫金街道调解室", slug="zijin-mediation", area_slug="pingtai", region_code=TOWNSHIP_CODE,
                  tags=("网格",), level="乡镇级", place="紫金街道")
        make_case("庆元十台合一", slug="qingyuan-platform", area_slug="pingtai", region_code="331126",
                  tags=("平台整合",), level="县级")
        make_case("草稿：景宁未发布案例", slug="draft-case", area_slug="liliang", region_code="331127",
                  tags=("秘密标签",), status="draft")
    return {"city": "city-report", "liandu": "liandu-grid", "township": "zijin-mediation",
            "qingyuan": "qingyuan-platform", "draft": "draft-case"}
