"""The gettext catalogs of the messages to guardians: extract the Dutch texts, update each
language's .po, compile the .mo (committed, so a clone needs no build step).

    python -m services.notifications translations
"""

from __future__ import annotations

from collections.abc import Iterator

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from services.notifications.domain.languages import (
    CATALOG_LANGUAGES,
    CATALOGS,
    DOMAIN,
    MOMENT,
    PARENT_TEMPLATES,
)
from services.notifications.domain.message_texts import DEFAULTS, DOMAIN_LABELS, FOOTER, GREETING


def parent_texts() -> Iterator[tuple[str, str]]:
    """Every Dutch text a guardian's message is made of, with where it is used."""
    for key in PARENT_TEMPLATES:
        subject, body = DEFAULTS[key]["nl"]
        yield subject, f"{key}: subject"
        yield body, f"{key}: body"
    yield GREETING["nl"], "greeting of every message"
    yield FOOTER["nl"], "sign-off of every message"
    for code, label in DOMAIN_LABELS["nl"].items():
        yield label, f"support domain {code}"
    yield MOMENT, "a meeting's date and time"


def template_catalog() -> Catalog:
    catalog = Catalog(project="notifications", locale=None)
    for text, where in parent_texts():
        catalog.add(text, auto_comments=[where])
    return catalog


def _write(path_catalog: Catalog, path: object) -> None:
    with open(path, "wb") as out:  # type: ignore[call-overload]
        write_po(out, path_catalog, omit_header=False, width=100, sort_output=False)


def translations() -> list[str]:
    """Extract, update and compile; returns what each language still lacks."""
    pot = template_catalog()
    CATALOGS.mkdir(exist_ok=True)
    _write(pot, CATALOGS / f"{DOMAIN}.pot")
    missing = []
    for language in CATALOG_LANGUAGES:
        folder = CATALOGS / language / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        po = folder / f"{DOMAIN}.po"
        if po.exists():
            with open(po, "rb") as f:
                catalog = read_po(f, locale=language)
            catalog.update(pot, no_fuzzy_matching=True)
            catalog.obsolete.clear()
        else:
            catalog = Catalog(locale=language, project="notifications")
            catalog.update(pot)
        _write(catalog, po)
        with open(folder / f"{DOMAIN}.mo", "wb") as f:
            write_mo(f, catalog)
        missing += [f"{language}: {m.id!r}" for m in catalog if m.id and not m.string]
    return missing
