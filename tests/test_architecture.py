"""The layout's rules (docs/architecture.md), checked on the source.

Dependencies point one way: pages, the API and the server use the apps,
which use core; among the apps, each may use only those listed before it.
No migration imports the project's code, and no module passes 400 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "dailypapers"
# Lowest first: a package may import itself and those before it.
LAYERS = [
    "core",
    "mail",
    "accounts",
    "papers",
    "ingest",
    "search",
    "community",
    "library",
    "digests",
    "members",
    "syndication",
    "api",
    "pages",
    "server",
]
# The project's own wiring (settings, root URLs, the console script) sits above all.
WIRING = {"settings", "urls", "wsgi", "cli", "__init__"}
MAX_LINES = 400


def imported_packages(source: str) -> set[str]:
    """The dailypapers packages a module's source imports ("papers", "core", ...)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "dailypapers" and len(parts) > 1:
                found.add(parts[1])
    return found & (set(LAYERS) | WIRING)


def violations(package: str, imported: set[str]) -> set[str]:
    """What ``package`` may not import of ``imported``."""
    if package in WIRING:
        return set()
    allowed = set(LAYERS[: LAYERS.index(package) + 1])
    return imported - allowed


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, path.relative_to(PACKAGE).parts


def test_no_package_imports_a_layer_above_it():
    wrong = []
    for path, parts in modules():
        if "migrations" in parts:
            continue
        package = parts[0].removesuffix(".py")
        bad = violations(package, imported_packages(path.read_text()))
        wrong += [f"{'/'.join(parts)} imports dailypapers.{name}" for name in sorted(bad)]
    assert not wrong, "\n".join(wrong)


def test_the_check_catches_an_app_importing_a_layer_above_it():
    source = "from dailypapers.pages import feed\nfrom dailypapers.core import site\n"
    assert violations("papers", imported_packages(source)) == {"pages"}
    assert violations("search", imported_packages("import dailypapers.community.models")) == {
        "community"
    }
    assert violations("pages", imported_packages(source)) == set()


def test_migrations_import_none_of_the_projects_code():
    """A migration must do tomorrow what it did when it was written."""
    wrong = [
        "/".join(parts)
        for path, parts in modules()
        if "migrations" in parts and imported_packages(path.read_text())
    ]
    assert not wrong


@pytest.mark.parametrize("root", ["dailypapers", "tests", "benchmarks"])
def test_no_module_is_longer_than_400_lines(root):
    tree = PACKAGE.parent / root
    long = {
        str(path.relative_to(tree)): n
        for path in tree.rglob("*.py")
        if "migrations" not in path.parts and (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not long
