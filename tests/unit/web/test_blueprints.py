"""The pages' blueprints are registered in one place (services/web/pages/blueprints.py), which
imports every route module: a module whose decorators add pages that is not listed there would
have its pages missing without an error. And no package under services/web/pages imports its own
modules: importing one page module (school.labels, say) then never runs the route modules as a
side effect, the cycle that the import graph's rule "a package importing its submodules is no
cycle" would not see."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from services.web.pages.blueprints import BLUEPRINTS
from tests.support.import_graph import import_graph

ROOT = Path(__file__).resolve().parents[3]
PAGES = ROOT / "services" / "web" / "pages"
ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "patch", "delete"})


def _adds_pages(path: Path) -> bool:
    """Whether the module decorates a view with `@blp.route(...)`, `@blp.get(...)` and the like."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                if (
                    isinstance(call, ast.Attribute)
                    and isinstance(call.value, ast.Name)
                    and call.value.id == "blp"
                    and call.attr in ROUTE_DECORATORS
                ):
                    return True
    return False


def _name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _route_modules() -> set[str]:
    return {_name(path) for path in PAGES.rglob("*.py") if _adds_pages(path)}


def test_every_route_module_is_imported_where_the_blueprints_are_registered() -> None:
    route_modules = _route_modules()
    assert len(route_modules) > 25  # the walk found them
    imported = import_graph(ROOT, ["services"])["services.web.pages.blueprints"]
    assert route_modules - imported == set()


def test_the_blueprint_of_every_route_module_is_registered() -> None:
    for name in _route_modules():
        assert importlib.import_module(name).blp in BLUEPRINTS, name


def test_no_package_of_pages_imports_a_module_of_the_project() -> None:
    graph = import_graph(ROOT, ["services"])
    packages = [_name(path.parent) for path in PAGES.rglob("__init__.py")]
    assert "services.web.pages.school" in packages
    assert {package: graph[package] for package in packages if graph[package]} == {}
