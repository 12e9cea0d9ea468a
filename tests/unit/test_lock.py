"""The lock is in step with pyproject.toml (issue 16): uv.lock records exactly the requirements
pyproject.toml states, and its exports — requirements/lock.txt, which `make venv` and CI install,
and requirements/prod.txt, the image's — pin every direct dependency at a version its range
allows, the same versions uv.lock holds. Fails after a change to pyproject.toml's dependencies
without `make lock`. No network: the files only."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "passend-onderwijs"
# The Makefile's exports (`uv export --extra ...`) and the extras each holds; dev includes demo.
EXPORTS = {"lock.txt": ("dev", "demo"), "prod.txt": ("ops",)}
PYTHONS = ("3.11.7", "3.12.3", "3.13.1", "3.14.0")  # requires-python >=3.11
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def stated_requirements() -> list[tuple[Requirement, str]]:
    """Each requirement of pyproject.toml, with "" (runtime) or the extra it belongs to."""
    project = pyproject()["project"]
    stated = [(Requirement(line), "") for line in project["dependencies"]]
    for extra, lines in project["optional-dependencies"].items():
        stated += [(Requirement(line), extra) for line in lines]
    return stated


def lock_package(name: str) -> dict[str, Any]:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    (package,) = [p for p in lock["package"] if p["name"] == name]
    return package


def environments() -> list[dict[str, str]]:
    return [
        {"python_version": ".".join(python.split(".")[:2]), "python_full_version": python}
        | {"extra": extra, "implementation_name": "cpython", "sys_platform": "linux"}
        for python in PYTHONS
        for extra in ("", *pyproject()["project"]["optional-dependencies"])
    ]


def applies(marker: Marker | None, environment: dict[str, str]) -> bool:
    return marker is None or marker.evaluate(environment)


def shape(requirement: Requirement) -> tuple[str, frozenset[str], str]:
    specifier = ",".join(sorted(str(s) for s in requirement.specifier))
    return canonicalize_name(requirement.name), frozenset(requirement.extras), specifier


def exported_pins(export: str) -> dict[str, set[Version]]:
    pins: dict[str, set[Version]] = {}
    for line in (ROOT / "requirements" / export).read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            pins.setdefault(canonicalize_name(match[1]), set()).add(Version(match[2]))
    return pins


def test_uv_lock_records_what_pyproject_states() -> None:
    recorded = lock_package(PROJECT)["metadata"]["requires-dist"]
    locked = []
    for entry in recorded:
        extras = f"[{','.join(entry['extras'])}]" if entry.get("extras") else ""
        marker = f"; {entry['marker']}" if entry.get("marker") else ""
        locked.append(Requirement(f"{entry['name']}{extras}{entry.get('specifier', '')}{marker}"))
    stated = []
    for requirement, extra in stated_requirements():
        if extra:  # uv records an extra's requirement with `extra == '...'` in its marker
            both = f"({requirement.marker}) and " if requirement.marker else ""
            requirement.marker = Marker(f"{both}extra == '{extra}'")
        stated.append(requirement)
    # Markers compared by what they select (uv rewrites python_version as python_full_version).
    for environment in environments():
        wanted = sorted(str(shape(r)) for r in stated if applies(r.marker, environment))
        in_lock = sorted(str(shape(r)) for r in locked if applies(r.marker, environment))
        assert in_lock == wanted, f"uv.lock is stale for {environment}: run `make lock`"


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_the_exports_pin_every_direct_dependency_within_its_range(export: str) -> None:
    pins = exported_pins(export)
    for requirement, extra in stated_requirements():
        name = canonicalize_name(requirement.name)
        if extra not in ("", *EXPORTS[export]) or name == PROJECT:
            continue
        assert name in pins, f"{name} is not in requirements/{export}: run `make lock`"
        allowed = [v for v in pins[name] if requirement.specifier.contains(v, prereleases=True)]
        assert allowed, f"{name}{requirement.specifier} but the lock pins {pins[name]}"


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_the_exports_hold_the_versions_of_uv_lock(export: str) -> None:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    locked: dict[str, set[Version]] = {}
    for package in lock["package"]:
        versions = locked.setdefault(canonicalize_name(package["name"]), set())
        versions.add(Version(package["version"]))
    pins = exported_pins(export)
    assert pins, f"requirements/{export} pins nothing"
    for name, versions in pins.items():
        in_lock = locked.get(name, set())
        assert versions <= in_lock, f"{name}: {export} pins {versions}, uv.lock {in_lock}"
