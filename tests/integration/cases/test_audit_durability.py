"""The audit trail's commit (issue 15): a read's audit row no longer waits for the disk, yet a
crash of the service loses none. The cases app runs under gunicorn as in production; right after
a GET has been answered its worker and the master are killed with SIGKILL (no clean-up, no
graceful exit); a new gunicorn's audit endpoint shows the read. The setting CASES_AUDIT_COMMIT
chooses how the audit engine commits, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import text

from services.cases.adapters.audit import audit_engine
from services.cases.config import CasesSettings
from shared.clock import utc_iso
from tests.conftest import JWT_SECRET, NOW, REDIS_URL
from tests.support.api_flows import open_case
from tests.support.processes import ProcessGroup, service_env, start_web_app

APP = "services.cases.app:create_app()"


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[ProcessGroup]:
    group = ProcessGroup(tmp_path / "logs")
    yield group
    group.stop_all()
    print(group.report())  # shown when the test fails


def _workers(master_pid: int) -> list[int]:
    """The gunicorn master's worker processes (its children)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return [int(pid) for pid in children]


def test_a_read_answered_just_before_a_kill_9_is_in_the_audit_after_the_restart(
    world, cases_settings: CasesSettings, stream_name, processes, tmp_path
) -> None:
    case = open_case(world)
    clock_file = tmp_path / "clock"
    clock_file.write_text(utc_iso(NOW), encoding="utf-8")  # the world's tokens' instant
    env = service_env(
        {
            "CASES_DATABASE_URL": cases_settings.database_url,
            "JWT_SECRET": JWT_SECRET,
            "REDIS_URL": REDIS_URL,
            "EVENT_STREAM": stream_name,
            "CLOCK_FILE": str(clock_file),
        }
    )
    server, url = start_web_app(processes, "cases", APP, env)
    reader = {"Authorization": f"Bearer {world.tokens['coordinator_a1']}"}
    answer = requests.get(f"{url}/api/v1/cases/{case['id']}", headers=reader, timeout=10)
    assert answer.status_code == 200 and answer.json()["id"] == case["id"]

    for worker in _workers(server.pid):
        os.kill(worker, signal.SIGKILL)  # the worker that answered dies with no clean-up
    assert server.kill() == -signal.SIGKILL  # and the master: nothing is drained on exit

    _restarted, url = start_web_app(processes, "cases", APP, env)
    admin = {"Authorization": f"Bearer {world.tokens['admin_a']}"}
    trail = requests.get(
        f"{url}/api/v1/audit",
        params={"resource_id": case["id"], "action": "read"},
        headers=admin,
        timeout=10,
    )
    assert trail.status_code == 200
    rows = trail.json()["items"]
    assert [(r["method"], r["endpoint"], r["status"]) for r in rows] == [
        ("GET", "/api/v1/cases/<uuid:case_id>", 200)
    ]
    assert rows[0]["user_id"] == str(world.users["coordinator_a1"])


@pytest.mark.parametrize(("commit", "sqlite", "postgres"), [("async", 1, "off"), ("sync", 2, "on")])
def test_the_setting_chooses_whether_an_audit_commit_waits_for_the_disk(
    cases_settings: CasesSettings, db_kind: str, commit: str, sqlite: int, postgres: str
) -> None:
    env = {"CASES_DATABASE_URL": cases_settings.database_url, "JWT_SECRET": JWT_SECRET}
    settings = CasesSettings.from_env({**env, "CASES_AUDIT_COMMIT": commit.upper()})
    assert settings.audit_commit == commit
    engine = audit_engine(settings.database_url, settings.audit_commit)
    try:
        with engine.connect() as conn:
            if db_kind == "sqlite":  # 1 = NORMAL (no fsync at commit in WAL mode), 2 = FULL
                assert conn.execute(text("PRAGMA synchronous")).scalar_one() == sqlite
                assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            else:
                assert conn.execute(text("SHOW synchronous_commit")).scalar_one() == postgres
    finally:
        engine.dispose()
    assert CasesSettings.from_env(env).audit_commit == "async"  # the default


def test_an_unknown_audit_commit_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="audit commit"):
        audit_engine("sqlite:///unused.db", "later")
