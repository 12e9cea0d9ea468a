"""Start and stop the real processes of a service (web app, relay, consumers) for tests.

Every process writes its output to a log file, never to a pipe nobody reads, so a chatty process
cannot block. `ProcessGroup` stops what it started (SIGTERM, then SIGKILL) and hands back the logs
for the test report. Waiting is always polling with a deadline (`wait_until`), never a bare sleep.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import requests

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
T = TypeVar("T")


class WaitTimeout(AssertionError):
    """A polled condition did not come true before its deadline."""


def wait_until(
    check: Callable[[], T],
    *,
    timeout: float = 10.0,
    interval: float = 0.02,
    message: str = "condition",
) -> T:
    """Call `check` until it returns something truthy, and return that; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise WaitTimeout(f"timed out after {timeout:.1f} s waiting for {message}")
        time.sleep(interval)  # the poll interval, not a wait for the event itself


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def service_env(values: Mapping[str, str]) -> dict[str, str]:
    """The environment of a child process: ours, the repository on the path, unbuffered output."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    env.update(values)
    return env


def run_cli(args: Sequence[str], env: Mapping[str, str], timeout: float = 60.0) -> str:
    """Run a one-shot command (`python -m services.cases migrate`, ...); returns its stdout."""
    done = subprocess.run(
        list(args),
        env=dict(env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} exited with {done.returncode}\n"
            f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
        )
    return done.stdout


@dataclass
class ServiceProcess:
    """One long-running child process with its output in a log file."""

    name: str
    args: list[str]
    env: dict[str, str]
    log_path: Path
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> ServiceProcess:
        """Start the process (output appended to the log file)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.popen = subprocess.Popen(
                self.args,
                env=self.env,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a signal to the test runner's group does not hit it
            )
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None, f"{self.name} was not started"
        return self.popen.pid

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    @property
    def returncode(self) -> int | None:
        return None if self.popen is None else self.popen.poll()

    def signal(self, signum: int) -> None:
        """Send a signal to the process (SIGKILL to simulate a crash, SIGTERM to stop it)."""
        assert self.popen is not None, f"{self.name} was not started"
        self.popen.send_signal(signum)

    def kill(self) -> int:
        """SIGKILL and reap: a crash with no chance to clean up. Returns the exit status."""
        self.signal(signal.SIGKILL)
        assert self.popen is not None
        return self.popen.wait(timeout=10)

    def wait(self, timeout: float) -> int:
        """Wait for the process to exit; returns its exit status (TimeoutExpired if it does not)."""
        assert self.popen is not None, f"{self.name} was not started"
        return self.popen.wait(timeout=timeout)

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, wait up to `timeout` s, then SIGKILL. Returns the exit status."""
        if self.popen is None:
            return None
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)
        return self.popen.returncode

    def log(self) -> str:
        """Everything the process wrote so far."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""


@dataclass
class ProcessGroup:
    """The processes one test started; `stop_all` ends them and `report` shows their logs."""

    workdir: Path
    processes: list[ServiceProcess] = field(default_factory=list)

    def start(self, name: str, args: Sequence[str], env: Mapping[str, str]) -> ServiceProcess:
        """Start a named process; a second one with the same name gets its own log."""
        count = sum(1 for p in self.processes if p.name.split("#")[0] == name)
        label = name if count == 0 else f"{name}#{count + 1}"
        log_path = self.workdir / f"{label.replace('#', '-')}.log"
        process = ServiceProcess(label, list(args), dict(env), log_path).start()
        self.processes.append(process)
        return process

    def python_module(
        self, name: str, module: str, argv: Sequence[str], env: Mapping[str, str]
    ) -> ServiceProcess:
        """Start `python -m <module> <argv...>`, e.g. the relay: ("services.cases", ["relay"])."""
        return self.start(name, [PYTHON, "-m", module, *argv], env)

    def gunicorn(
        self, name: str, app: str, port: int, env: Mapping[str, str], workers: int = 1
    ) -> ServiceProcess:
        """Start a Flask app factory under gunicorn on 127.0.0.1:<port>."""
        args = [PYTHON, "-m", "gunicorn", app, "-b", f"127.0.0.1:{port}", "-w", str(workers)]
        return self.start(name, [*args, "--graceful-timeout", "5", "--log-level", "info"], env)

    def stop_all(self) -> None:
        """Stop every process still running, newest first."""
        for process in reversed(self.processes):
            process.stop()

    def report(self) -> str:
        """The logs of every process, for a failing test's output."""
        parts = []
        for p in self.processes:
            parts.append(f"===== {p.name} (exit {p.returncode}) {' '.join(p.args[1:])}\n{p.log()}")
        return "\n".join(parts)


def wait_for_http_ready(
    url: str, process: ServiceProcess, timeout: float = 20.0, status: int = 200
) -> None:
    """Poll `url` until it answers `status`; fail at once if the process dies meanwhile."""

    def ready() -> bool:
        if not process.running:
            raise AssertionError(
                f"{process.name} exited with {process.returncode}:\n{process.log()}"
            )
        try:
            return requests.get(url, timeout=2).status_code == status
        except (requests.ConnectionError, requests.Timeout):  # not listening or still booting
            return False

    wait_until(ready, timeout=timeout, interval=0.05, message=f"{url} to answer {status}")


def start_web_app(
    group: ProcessGroup, name: str, app: str, env: Mapping[str, str], timeout: float = 30.0
) -> tuple[ServiceProcess, str]:
    """Start an app factory ("services.<name>.app:create_app()") under gunicorn on a free port and
    wait until its /health/ready answers 200; returns the process and its base URL."""
    port = free_port()
    process = group.gunicorn(name, app, port, env)
    base_url = f"http://127.0.0.1:{port}"
    wait_for_http_ready(f"{base_url}/health/ready", process, timeout=timeout)
    return process, base_url


def wait_for_log(process: ServiceProcess, text: str, timeout: float = 10.0, count: int = 1) -> str:
    """Poll the process's log until `text` appears `count` times; returns the log."""

    def found() -> str:
        log = process.log()
        return log if log.count(text) >= count else ""

    return wait_until(found, timeout=timeout, message=f"{count}x {text!r} in {process.name}'s log")
