"""No import cycles in services/ and shared/: the graph is read from the source with `ast` (see
tests/support/import_graph.py for what counts as an import: every one, those inside functions
too, but none under `if TYPE_CHECKING:`).

The web front end's pages still form cycles (a blueprint package whose route modules import the
package's `blp` back, and `common` <-> `parents`, `auth` <-> `second_factor`); they are listed in
WEB_TANGLES so that they can only shrink: a new cycle anywhere, or one of these growing, fails."""

from __future__ import annotations

from pathlib import Path

from tests.support.import_graph import find_cycles, import_graph, strongly_connected

ROOT = Path(__file__).resolve().parents[2]
PAGES = "services.web.pages"
WEB_TANGLES = [
    {
        f"{PAGES}.{name}"
        for name in (
            "common",
            "templating",
            "parents",
            "parents.application",
            "parents.children",
            "parents.own_view",
            "parents.preferences",
            "parents.sign_in",
            "school",
            "school.access",
            "school.application",
            "school.cases",
            "school.director",
            "school.documents",
            "school.forms",
            "school.interventions",
            "school.law",
            "school.plan_labels",
            "school.plan_steps",
            "school.plans",
            "school.pupils",
            "school.teacher",
        )
    },
    {f"{PAGES}.admin"}
    | {
        f"{PAGES}.admin.{m}" for m in ("accounts", "home", "imports", "schools", "settings", "sops")
    },
    {f"{PAGES}.admin_messages"}
    | {
        f"{PAGES}.admin_messages.{m}"
        for m in ("deliveries", "evaluations", "policies", "report_schedules")
    },
    {f"{PAGES}.auth", f"{PAGES}.second_factor"},
    {f"{PAGES}.partnership", f"{PAGES}.partnership.applications", f"{PAGES}.partnership.overview"},
]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_services_and_shared_have_no_cycle_beyond_the_known_web_tangles() -> None:
    graph = import_graph(ROOT, ["services", "shared"])
    assert len(graph) > 200  # the walk found the tree
    tangles = [part for part in strongly_connected(graph) if len(part) > 1]
    new = [part for part in tangles if part not in WEB_TANGLES]
    assert not new, "import cycles: " + "; ".join(
        " -> ".join(cycle)
        for cycle in find_cycles({m: graph[m] & part for part in new for m in part})
    )
    gone = [sorted(part) for part in WEB_TANGLES if part not in tangles]
    assert not gone, f"these web tangles changed or are gone, update WEB_TANGLES: {gone}"


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
