"""Command line of the web front end.

    python -m services.web translations   # extract the texts, update nl/en .po, compile the .mo

The compiled .mo files are committed, so a fresh clone (CI, a container) needs no build step;
tests/unit/web/test_translations.py fails when they are stale or a text has no English.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CATALOGS = HERE / "translations"


def translations() -> None:
    """pybabel extract, update and compile, for both languages."""
    pot = CATALOGS / "messages.pot"
    cli = CommandLineInterface()
    cli.run(
        ["pybabel", "-q", "extract", "-F", str(HERE / "babel.cfg"), "-k", "_l", "--no-location"]
        + ["--omit-header", "-o", str(pot), str(ROOT)]
    )
    cli.run(["pybabel", "-q", "update", "-N", "-i", str(pot), "-d", str(CATALOGS)])
    cli.run(
        [
            "pybabel",
            "-q",
            "compile",
            "-d",
            str(CATALOGS),
        ]
    )


def main(argv: list[str]) -> int:
    if argv[1:] == ["translations"]:
        translations()
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
