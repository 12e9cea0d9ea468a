"""The gettext catalogs: every text of the pages has its English, and the committed .mo files
(a fresh clone needs no build step) say what the .po files say. `python -m services.web
translations` brings both up to date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from services.web.__main__ import PARENT_LANGUAGES, parent_msgids
from tests.conftest import ROOT

WEB = ROOT / "services" / "web"
CATALOGS = WEB / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


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


@pytest.mark.parametrize("language", PARENT_LANGUAGES)
def test_the_committed_mo_file_says_what_the_po_file_says(language):
    po, mo = _catalog(language, "po"), _catalog(language, "mo")
    # An untranslated plural is compiled as its own msgid (gettext's fallback anyway), so
    # entries that say what their msgid says are left out on both sides.
    written = {
        _key(m.id): _key(m.string)
        for m in po
        if m.id and _any(m.string) and not m.fuzzy and _key(m.string) != _key(m.id)
    }
    compiled = {_key(m.id): _key(m.string) for m in mo if m.id and not _untranslated(m)}
    assert compiled == written


def _key(value):  # noqa: ANN001, ANN202  (plural ids and strings are lists in .mo, tuples in .po)
    return tuple(value) if isinstance(value, list | tuple) else value


def _untranslated(message) -> bool:  # noqa: ANN001
    """A compiled entry that only repeats its msgid (as many plural forms as the language has)."""
    if isinstance(message.id, list | tuple):
        return set(message.string) <= set(message.id)
    return message.string == message.id


def _any(value) -> bool:  # noqa: ANN001
    return any(value) if isinstance(value, list | tuple) else bool(value)


def test_every_text_of_the_parents_pages_exists_in_all_six_languages():
    """Issue 13: a parent-facing msgid without its translation in one of the languages fails,
    listing what is missing (Dutch is the msgid itself)."""
    missing = []
    for language in PARENT_LANGUAGES[1:]:
        catalog = _catalog(language, "po")
        for msgid in parent_msgids():
            entry = catalog.get(msgid)
            strings = entry.string if entry is not None else None
            if not entry or not _any(strings) or entry.fuzzy:
                missing.append(f"{language}: {msgid}")
    assert missing == [], "parent texts without a translation:\n" + "\n".join(missing)


@pytest.mark.parametrize("language", PARENT_LANGUAGES[2:])
def test_a_parent_translation_keeps_its_placeholders(language):
    catalog = _catalog(language, "po")
    wrong = []
    for msgid in parent_msgids():
        entry = catalog.get(msgid)
        source = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        wanted = set().union(*(PLACEHOLDER.findall(s) for s in source))
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        # A plural form for "one" may leave the number out ("خطأ واحد"); others keep them all.
        if not any(set(PLACEHOLDER.findall(s)) == wanted for s in strings):
            wrong.append(msgid)
        if any(set(PLACEHOLDER.findall(s)) - wanted for s in strings):
            wrong.append(msgid)
    assert wrong == []
