"""The deployment files and the README stay in step with the code: compose.yaml parses and runs
every process of the Procfile, .env.example mentions every variable the settings read, and the
README's event catalog matches shared.events.CATALOG."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SETTINGS_FILES = [
    ROOT / "shared" / "config.py",
    ROOT / "services" / "cases" / "config.py",
    ROOT / "services" / "notifications" / "config.py",
    ROOT / "services" / "reports" / "config.py",
    ROOT / "services" / "web" / "config.py",
]
DEMO_ONLY_PROCESSES = {"mailbox"}  # the demo's local SMTP sink; production has a real mail server

NAME = r'"([A-Z][A-Z0-9_]*)"'
READS = [
    re.compile(r"\benv\[\s*" + NAME + r"\s*\]"),  # env["X"]
    re.compile(r"\benv\.get\(\s*" + NAME),  # env.get("X", ...)
    re.compile(r"\brequire\(\s*env\s*,\s*" + NAME),  # require(env, "X")
]
SECRETS = re.compile(r"\bread_secret\(\s*env\s*,\s*" + NAME)  # X or X_FILE
PREFIXES = re.compile(r"\bcommon_from_env\(\s*env\s*,\s*" + NAME)  # f"{prefix}_DATABASE_URL"
OS_ENVIRON = re.compile(r"\bos\.environ(?:\.get\(\s*|\[\s*)" + NAME)  # worker.py, __main__.py


def procfile_names() -> list[str]:
    names = []
    for line in (DEPLOY / "Procfile").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            names.append(line.split(":", 1)[0].strip())
    return names


def variables_read() -> set[str]:
    """Every environment variable the settings objects (and the modules reading os.environ) use."""
    found: set[str] = set()
    prefixes: set[str] = set()
    for path in SETTINGS_FILES:
        text = path.read_text(encoding="utf-8")
        for pattern in READS:
            found.update(pattern.findall(text))
        for name in SECRETS.findall(text):
            found.update({name, f"{name}_FILE"})
        prefixes.update(PREFIXES.findall(text))
    assert 'f"{prefix}_DATABASE_URL"' in (ROOT / "shared" / "config.py").read_text(encoding="utf-8")
    assert {"CASES", "NOTIFICATIONS"} <= prefixes
    found.update(f"{prefix}_DATABASE_URL" for prefix in prefixes)
    for directory in (ROOT / "services", ROOT / "shared"):
        for path in directory.rglob("*.py"):
            found.update(OS_ENVIRON.findall(path.read_text(encoding="utf-8")))
    return found


def test_compose_parses_and_has_a_service_for_every_procfile_process() -> None:
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    wanted = [name for name in procfile_names() if name not in DEMO_ONLY_PROCESSES]
    assert "notifications-consumer" in wanted and "cases-relay" in wanted
    missing = [name for name in wanted if name not in services]
    assert not missing, f"deploy/compose.yaml has no service for {missing}"
    assert services["cases-beat"]["deploy"]["replicas"] == 1
    assert services["notifications-beat"]["deploy"]["replicas"] == 1
    assert services["reports-beat"]["deploy"]["replicas"] == 1
    for worker in ("cases-worker", "notifications-worker", "reports-worker"):
        assert services[worker]["deploy"]["replicas"] >= 2, worker
    assert "flower" in services["flower"]["command"]
    assert services["flower"]["ports"] == ["127.0.0.1:5555:5555"]
    assert "services.web.app:create_app()" in services["web"]["command"]
    redis = " ".join(services["redis"]["command"])
    assert "--appendonly yes" in redis and "--maxmemory-policy noeviction" in redis


def test_env_example_mentions_every_variable_the_settings_read() -> None:
    example = (DEPLOY / ".env.example").read_text(encoding="utf-8")
    read = variables_read()
    assert {"JWT_SECRET_FILE", "CASES_URL", "NOTIFICATIONS_ENCRYPTION_KEY_FILE"} <= read
    missing = sorted(name for name in read if not re.search(rf"\b{name}\b", example))
    assert not missing, f"deploy/.env.example does not mention {missing}"


def test_readme_event_catalog_is_up_to_date() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    result = subprocess.run(
        [sys.executable, "scripts/event_catalog.py", "--check", "README.md"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_keeps_documents_in_its_s3_server() -> None:
    """Issue 14: the cases processes store documents in compose's SeaweedFS over S3."""
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert "seaweedfs" in services and "-s3" in services["seaweedfs"]["command"][0]
    for name in ("cases-web", "cases-worker"):
        env = services[name]["environment"]
        assert env["CASES_DOCUMENT_STORAGE"] == "s3"
        assert env["CASES_S3_ENDPOINT"] == "http://seaweedfs:8333"
        assert "s3_secret_key" in services[name]["secrets"]


def test_ci_lints_before_the_tests_and_a_lint_failure_fails_it() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert script.index("make lint ||") < script.index("make test PYTEST_ARGS")
    ending = script[script.index('if [ "$lint_status" -ne 0 ]') :]
    for lint, tests, expected in ((0, 0, 0), (2, 0, 2), (0, 1, 1), (2, 1, 1)):
        run = subprocess.run(
            ["bash", "-c", f"lint_status={lint}; status={tests}\n{ending}"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == expected, (lint, tests, run.stderr)
        assert ("make lint exited" in run.stderr) == bool(lint)


def test_mypy_covers_every_services_domain_service_layer_and_adapters() -> None:
    files = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"][
        "files"
    ]
    assert "shared" in files
    for service in ("cases", "notifications", "reports"):
        for layer in ("domain", "service_layer", "adapters"):
            assert f"services/{service}/{layer}" in files
