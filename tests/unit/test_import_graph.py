"""No import cycles in services/ and shared/: the graph is read from the source with `ast` (see
tests/support/import_graph.py for what counts as an import: every one, those inside functions
too, but none under `if TYPE_CHECKING:`). Any cycle fails, the web front end's pages included:
their blueprints live in leaf modules and are registered in services/web/pages/blueprints.py
(tests/unit/web/test_blueprints.py keeps that honest)."""

from __future__ import annotations

from pathlib import Path

from tests.support.import_graph import find_cycles, import_graph

ROOT = Path(__file__).resolve().parents[2]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_services_and_shared_have_no_import_cycle() -> None:
    graph = import_graph(ROOT, ["services", "shared"])
    assert len(graph) > 200  # the walk found the tree
    cycles = find_cycles(graph)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(cycle) for cycle in cycles)


def test_the_worker_and_events_cycles_stay_broken() -> None:
    graph = import_graph(ROOT, ["services", "shared"])
    for service in ("cases", "notifications", "reports"):
        assert f"services.{service}.worker" in graph[f"services.{service}.tasks"]
        assert f"services.{service}.tasks" not in graph[f"services.{service}.worker"]
    assert "shared.events.catalog" not in graph["shared.events.cases"]
    assert "shared.events.cases" in graph["shared.events.catalog"]


def test_a_cycle_through_a_relative_import_in_a_function_is_found(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import thing\n",
            "pkg/b.py": "def thing():\n    from .sub import c\n    return c\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/c.py": "import pkg.a\n",
            "pkg/d.py": "from pkg import a\n",  # into the cycle, not part of it
        },
    )
    assert find_cycles(import_graph(tmp_path, ["pkg"])) == [
        ["pkg.a", "pkg.b", "pkg.sub.c", "pkg.a"]
    ]


def test_a_package_importing_its_own_route_modules_back_is_a_cycle(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "web/__init__.py": "blp = object()\nfrom web import routes\n",
            "web/routes.py": "from web import blp\n",
        },
    )
    assert find_cycles(import_graph(tmp_path, ["web"])) == [["web", "web.routes", "web"]]


def test_no_cycle_and_type_checking_imports_do_not_count(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.a import x\n",
            "pkg/a.py": "from typing import TYPE_CHECKING\nimport os\nx = 1\n"
            "if TYPE_CHECKING:\n    from pkg.b import y\n",
            "pkg/b.py": "from . import a\ny = a.x\n",
        },
    )
    graph = import_graph(tmp_path, ["pkg"])
    assert graph == {"pkg": {"pkg.a"}, "pkg.a": set(), "pkg.b": {"pkg.a"}}
    assert find_cycles(graph) == []
