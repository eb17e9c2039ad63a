"""An editor process: publish one new case every interval, print each slug once it is committed.

    python bench/publisher.py RUN_ID INTERVAL [COUNT]

Prints "ready" first, once loaded. Runs against the database and instance dir in the environment (DATABASE_URL, PORTAL_INSTANCE_DIR),
through the ORM, so each publish writes its search-outbox entry in the same transaction, exactly
as an edit in the editor does. Stops after COUNT cases, or on SIGTERM after the current one.
"""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import configure_mappers  # noqa: E402

from bench.loadlib import search_token  # noqa: E402
from portal import create_app  # noqa: E402
from portal.cases.models import Area, Case, Region  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.markdown import render_markdown  # noqa: E402
from portal.timeutil import utcnow  # noqa: E402

READY = "ready"  # printed once the app is loaded, so the benchmark times publishing, not start-up
BODY = """## 背景

{place}的网格员在走访中发现邻里纠纷反复出现，群众反映问题要跑多个部门。

## 做法

依托乡镇“四个平台”和全科网格，把问题按类别分流交办，限时办结并回访。

## 成效

演练编号 {token}：矛盾纠纷就地化解，群众办事少跑腿。
"""


def publish_case(run_id: str, number: int) -> str:
    """Create and publish one case in one transaction; return its slug."""
    areas = db.session.scalars(select(Area).order_by(Area.position)).all()
    regions = db.session.scalars(select(Region).where(Region.kind == "county").order_by(Region.position)).all()
    area, region = areas[number % len(areas)], regions[number % len(regions)]
    token = search_token(run_id, number)
    body = BODY.format(place=region.name, token=token)
    rendered = render_markdown(body)
    case = Case(slug=f"load-{run_id}-{number:05d}", title=f"负载演练案例 {token}",
                summary=f"{region.name}网格化解纠纷演练（{token}）。", body_md=body, body_html=rendered.html,
                toc_html=rendered.toc_html, area=area, region=region, level="县级", status="published",
                published_at=utcnow())
    db.session.add(case)
    db.session.commit()
    return case.slug


def warm_up(run_id: str) -> None:
    """Do a publish's one-time work before READY (mapper configuration, the Markdown pipeline's first
    render): on a loaded machine it took the first publish seconds of CPU it could not get."""
    configure_mappers()
    areas = db.session.scalars(select(Area)).all()
    regions = db.session.scalars(select(Region).where(Region.kind == "county")).all()
    assert areas and regions, "import the taxonomy first"
    render_markdown(BODY.format(place=regions[0].name, token=search_token(run_id, 0)))
    db.session.rollback()


def run(run_id: str, interval: float, count: int | None) -> None:
    """Publish on a fixed cadence until told to stop."""
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    app = create_app()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Area)), "import the taxonomy first"
        warm_up(run_id)
        print(READY, flush=True)
        number, next_at = 0, time.monotonic()
        while not stopping and (count is None or number < count):
            print(publish_case(run_id, number), flush=True)
            number += 1
            next_at += interval
            time.sleep(max(0.0, next_at - time.monotonic()))


if __name__ == "__main__":
    run(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else None)
