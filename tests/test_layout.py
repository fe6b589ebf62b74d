"""The layout stays readable for a newcomer (issue 12, part 5).

No module of the apps is longer than 400 lines: past that it becomes a package. A leading
underscore means "private to this module", so no module imports another's underscore
names; a helper two modules share is public and documented.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

APPS = ("bookings", "invoicing", "frontend", "heideken")
ROOT = Path(settings.BASE_DIR)
MAX_LINES = 400


def app_modules() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    )


def suite_and_app_modules() -> list[Path]:
    return app_modules() + sorted((ROOT / "tests").rglob("*.py"))


def private_imports(path: Path) -> list[str]:
    """`from <our package> import _name` lines in one file (gettext's `_` is not one)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        if node.module.split(".")[0] not in (*APPS, "tests"):
            continue
        for alias in node.names:
            if alias.name.startswith("_") and alias.name != "_":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {alias.name}")
    return found


def test_every_app_module_is_at_most_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in app_modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, "split these into packages (see README, Layout)"


def test_no_module_imports_another_modules_underscore_names() -> None:
    found = [line for path in suite_and_app_modules() for line in private_imports(path)]
    assert found == [], "make these names public (with a docstring) or move them"


def test_the_checks_see_the_apps() -> None:
    # Guards the two tests above against passing because they looked at nothing.
    paths = {str(path.relative_to(ROOT)) for path in app_modules()}
    assert {"bookings/models/bookings.py", "invoicing/services/drafts.py"} <= paths
    assert "bookings/migrations/0001_initial.py" not in paths
