"""Command line of the web front end.

    python -m services.web translations   # extract the texts, update the .po, compile the .mo

It also does the same for the messages to guardians (services/notifications/translations). The
compiled .mo files are committed, so a fresh clone (CI, a container) needs no build step;
tests/unit/web/test_translations.py fails when they are stale, a text has no English, or a
parent-facing text lacks one of the six languages.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CATALOGS = HERE / "translations"
# The languages of the parents' pages; the staff's pages are nl/en (Dutch where a text is missing).
PARENT_LANGUAGES = ("nl", "en", "tr", "ar", "pl", "uk")
# The files whose texts a parent reads (the labels of codes a parent's page shows are below).
PARENT_SOURCES = (
    "templates/base.html",
    "templates/error.html",
    "templates/macros/forms.html",
    "templates/macros/navigation.html",
    "templates/parents/*.html",
    "pages/parents/*.py",
    "pages/errors.py",
)
# services/web/pages/school/labels.py (the TLV application's words: a parent reads it too)
PARENT_LABELS = ("LEVELS", "OUTCOMES", "DECISIONS", "APPLICATION_STATUSES", "TLV_DECISIONS")
PARENT_LABELS += ("SCHOOL_TYPES", "CATEGORIES", "ADVISER_ROLES", "AGREEMENT_STATUSES")
STAFF_ONLY = {"Mijn leerlingen", "Mijn account", "Naar Mijn leerlingen", "Paginering"}
STAFF_ONLY |= {"Vorige", "Volgende", "Pagina %(page)d van %(pages)d"}


def parent_msgids() -> Iterator[str]:
    """Every text (msgid; plurals by their singular) of the parents' pages."""
    seen: set[str] = set()
    for pattern in PARENT_SOURCES:
        for path in sorted(HERE.glob(pattern)):
            method = "python" if path.suffix == ".py" else "jinja2"
            for _line, message, _c, _ctx in extract_from_file(method, str(path), keywords=_KEYS):
                msgid = message[0] if isinstance(message, tuple) else message
                if msgid and msgid not in seen and msgid not in STAFF_ONLY:
                    seen.add(msgid)
                    yield msgid
    from services.web.pages.school import labels

    for name in PARENT_LABELS:
        for lazy in getattr(labels, name).values():
            msgid = lazy._args[0]
            if msgid not in seen:
                seen.add(msgid)
                yield msgid


_KEYS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None}
# services/web/pages/school/labels.py's tables of shared/support_labels.py: their Dutch labels are
# msgids no extraction finds (no literal in a gettext call), so the template gets them added.
SHARED_LABELS = ("OUTCOMES", "DECISIONS", "TLV_DECISIONS", "SCHOOL_TYPES", "CATEGORIES")


def shared_msgids() -> Iterator[str]:
    """The Dutch labels of the shared vocabulary the pages show."""
    from services.web.pages.school import labels

    for name in SHARED_LABELS:
        for lazy in getattr(labels, name).values():
            yield lazy._args[0]


def _add_shared_labels(pot: Path) -> None:
    with pot.open("rb") as f:
        template = read_po(f)
    for msgid in shared_msgids():
        template.add(msgid, auto_comments=["shared/support_labels.py"])
    with pot.open("wb") as f:
        write_po(f, template, omit_header=True)


def translations() -> None:
    """pybabel extract, update and compile, for every language; then the messages' catalogs."""
    pot = CATALOGS / "messages.pot"
    cli = CommandLineInterface()
    cli.run(
        ["pybabel", "-q", "extract", "-F", str(HERE / "babel.cfg"), "-k", "_l", "--no-location"]
        + ["--omit-header", "-o", str(pot), str(ROOT)]
    )
    _add_shared_labels(pot)
    cli.run(["pybabel", "-q", "update", "-N", "-i", str(pot), "-d", str(CATALOGS)])
    cli.run(["pybabel", "-q", "compile", "-d", str(CATALOGS)])
    from services.notifications.catalogs import translations as message_catalogs

    message_catalogs()


def main(argv: list[str]) -> int:
    if argv[1:] == ["translations"]:
        translations()
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
