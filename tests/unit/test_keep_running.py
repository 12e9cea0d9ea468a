"""scripts/keep-running, the demo's supervisor: a consumer (or relay) that dies is started again;
one stopped by SIGTERM stays stopped. The Procfile runs the relay and every consumer under it and
compose restarts every long-running service."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.processes import wait_until

ROOT = Path(__file__).resolve().parents[2]
KEEP_RUNNING = str(ROOT / "scripts" / "keep-running")
LONG_RUNNING = ("cases-relay", "notifications-consumer", "reports-consumer")


def test_a_command_that_fails_is_started_again_until_it_succeeds(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    # Fails twice (as a consumer killed by an uncaught error), then ends cleanly.
    script = f'n=$(cat {runs} 2>/dev/null || echo 0); echo $((n+1)) > {runs}; [ "$n" -ge 2 ]'
    done = subprocess.run(
        [KEEP_RUNNING, "sh", "-c", script],
        env={"PATH": "/usr/bin:/bin", "KEEP_RUNNING_DELAY": "0"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert runs.read_text().strip() == "3"
    assert done.stderr.count("starting it again") == 2


def test_sigterm_stops_the_command_and_the_loop(tmp_path: Path) -> None:
    started = tmp_path / "started"
    python = f"open({str(started)!r}, 'w').close(); import time; time.sleep(60)"
    process = subprocess.Popen(
        [KEEP_RUNNING, sys.executable, "-c", python],
        env={"PATH": "/usr/bin:/bin", "KEEP_RUNNING_DELAY": "0"},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until(started.exists, timeout=20, message="the command to start")
        began = time.monotonic()
        process.send_signal(signal.SIGTERM)
        status = process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert time.monotonic() - began < 10  # not a minute of sleep, not a restart
    assert status != 0 and "starting it again" not in (
        process.stderr.read() if process.stderr else ""
    )


def test_the_procfile_supervises_the_relay_and_the_consumers() -> None:
    procfile = (ROOT / "deploy" / "Procfile").read_text(encoding="utf-8")
    commands = dict(
        line.split(":", 1) for line in procfile.splitlines() if line and not line.startswith("#")
    )
    for name in LONG_RUNNING:
        assert commands[name].strip().startswith("scripts/keep-running "), name


def test_compose_restarts_every_long_running_service() -> None:
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    for name in LONG_RUNNING:
        assert compose["services"][name]["restart"] == "unless-stopped", name
    env = compose["services"]["notifications-web"]["environment"]
    assert env["NOTIFICATIONS_CONSUMER_MAX_SILENCE_SECONDS"].endswith(":-120}")
