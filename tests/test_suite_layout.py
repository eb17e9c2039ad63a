"""The suite's own house rules: every test folder is a package, and helpers come from tests/helpers."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).parent
CONFTEST_IMPORT = re.compile(r"^\s*from tests(\.\w+)*\.conftest import|^\s*from conftest import", re.M)


def test_every_test_folder_is_a_package():
    folders = {path.parent for path in TESTS.rglob("test_*.py")} | {TESTS / "helpers"}
    assert sorted(str(folder) for folder in folders if not (folder / "__init__.py").exists()) == []


def test_tests_do_not_import_helpers_from_conftest_files():
    offenders = []
    for path in TESTS.rglob("*.py"):
        for match in CONFTEST_IMPORT.finditer(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(TESTS)}: {match.group(0).strip()}")
    assert offenders == []
