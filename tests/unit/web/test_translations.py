"""The gettext catalogs: every text of the pages has its English, and the committed .mo files
(a fresh clone needs no build step) say what the .po files say. `python -m services.web
translations` brings both up to date."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.conftest import ROOT

WEB = ROOT / "services" / "web"
CATALOGS = WEB / "translations"


def _texts() -> set[str]:
    methods = [("**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(WEB), method_map=methods, keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalog(language: str, kind: str):  # noqa: ANN202
    path = CATALOGS / language / "LC_MESSAGES" / f"messages.{kind}"
    with Path(path).open("rb") as f:
        return read_po(f) if kind == "po" else read_mo(f)


def test_every_text_of_the_pages_has_its_english():
    english = _catalog("en", "po")
    missing = sorted(t for t in _texts() if not (english.get(t) and english.get(t).string))
    assert missing == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_committed_mo_file_says_what_the_po_file_says(language):
    po, mo = _catalog(language, "po"), _catalog(language, "mo")
    # An untranslated plural is compiled as its own msgid (gettext's fallback anyway), so
    # entries that say what their msgid says are left out on both sides.
    written = {
        _key(m.id): _key(m.string)
        for m in po
        if m.id and _any(m.string) and not m.fuzzy and _key(m.string) != _key(m.id)
    }
    compiled = {_key(m.id): _key(m.string) for m in mo if m.id and _key(m.string) != _key(m.id)}
    assert compiled == written


def _key(value):  # noqa: ANN001, ANN202  (plural ids and strings are lists in .mo, tuples in .po)
    return tuple(value) if isinstance(value, list | tuple) else value


def _any(value) -> bool:  # noqa: ANN001
    return any(value) if isinstance(value, list | tuple) else bool(value)
