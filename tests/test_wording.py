"""Everything a person reads is Chinese and names the thing (地区、页码、版本号), never a parameter or "slug"."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from portal.cases.models import Case
from portal.extensions import db
from tests.helpers import login
from tests.wording import raw_names_in, visible_text

PORTAL = Path(__file__).resolve().parent.parent / "portal"
JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
HAN = re.compile(r"[\u4e00-\u9fff]")
# Text written for programs and for the command line's raw role values, not for readers of pages.
FOR_PROGRAMS = {"api/openapi.py", "auth/cli.py"}


def template_paths() -> list[Path]:
    return sorted(PORTAL.rglob("*.html"))


@pytest.mark.parametrize("path", template_paths(), ids=lambda path: str(path.relative_to(PORTAL)))
def test_templates_show_no_raw_names(path):
    text = visible_text(JINJA.sub(" ", path.read_text(encoding="utf-8")))
    assert raw_names_in(text) == []


def chinese_messages() -> list[tuple[str, int, str]]:
    """Every string constant with Chinese in it that is not a docstring, with where it is."""
    found = []
    for path in sorted(PORTAL.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                      and isinstance(node.body[0], ast.Expr)}
        found += [(str(path.relative_to(PORTAL)), node.lineno, node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and HAN.search(node.value)
                  and id(node) not in docstrings]
    return found


def test_messages_in_code_name_things_not_parameters():
    offending = [(path, line, text) for path, line, text in chinese_messages() if path not in FOR_PROGRAMS
                 # A content file's key is quoted as the author types it ('slug'); a bare "slug" is jargon.
                 and ("参数" in text or raw_names_in(text.replace("'slug'", ""), ("slug",)))]
    assert offending == []


BAD_PAGES = [
    ("/cases?page=abc", "页码"), ("/cases?per_page=500", "每页条数"), ("/cases?area=nowhere", "统筹领域"),
    ("/cases?region=999", "地区"), ("/cases?level=省级", "层级"), ("/cases?year=x", "年份"),
    ("/cases?scope=self", "地区"), ("/search?q=网格&page=0", "页码"), ("/search?q=网格&sort=best", "排序方式"),
    ("/search?q=网格&area=nowhere", "统筹领域"),
]


@pytest.mark.parametrize(("url", "thing"), BAD_PAGES)
def test_error_pages_speak_of_the_thing(seeded_client, url, thing):
    response = seeded_client.get(url)
    assert response.status_code in (400, 404)
    text = visible_text(response.get_data(as_text=True))
    assert thing in text
    assert "参数" not in text and raw_names_in(text) == []


def test_a_bad_revision_number_speaks_of_the_version(seeded_app, seeded_client, make_user):
    make_user("zhangsan", "editor")
    login(seeded_client, "zhangsan")
    with seeded_app.app_context():
        slug = db.session.scalars(db.select(Case.slug)).first()
    response = seeded_client.get(f"/editor/cases/{slug}/diff?from=abc")
    text = visible_text(response.get_data(as_text=True))
    assert response.status_code == 400 and "起始版本号应为正整数" in text and raw_names_in(text) == []


def test_the_json_api_still_names_the_parameter_for_programs(seeded_client):
    error = seeded_client.get("/api/v1/cases?page=abc").get_json()["error"]
    assert error["parameter"] == "page" and "页码" in error["message"]
