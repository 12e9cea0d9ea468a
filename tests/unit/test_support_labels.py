"""Issue 16: one vocabulary of codes and labels (shared/support_labels.py) that the cases catalog,
the messages, the reports and the pages all read, with an English label for every Dutch one."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask, session
from flask_babel import Babel

from services.cases.domain import catalog
from services.notifications.domain import templates
from services.reports.domain import labels as report_labels
from services.web.pages.common import current_language
from services.web.pages.school import labels as page_labels
from shared import support_labels as vocabulary

TABLES = {
    name: table
    for name, table in vars(vocabulary).items()
    if name.isupper() and isinstance(table, dict) and name != "SO_CATEGORY_NUMBERS"
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_code_has_a_dutch_and_an_english_label(name: str) -> None:
    for code, labels in TABLES[name].items():
        assert set(labels) == set(vocabulary.LANGUAGES), (name, code)
        assert all(text.strip() for text in labels.values()), (name, code)


def test_an_unknown_code_is_its_own_label_and_another_language_reads_dutch() -> None:
    assert vocabulary.label(vocabulary.SUPPORT_DOMAINS, "own_code", "en") == "own_code"
    domains = vocabulary.SUPPORT_DOMAINS
    assert vocabulary.label(domains, "math_dyscalculia", "tr") == "Rekenproblemen en dyscalculie"


def test_the_services_say_a_domain_in_the_same_words() -> None:
    for code, labels in vocabulary.SUPPORT_DOMAINS.items():
        cases = {**catalog.BASIC_DOMAINS, **catalog.EXTRA_DOMAINS}[code]
        message = (templates.DOMAIN_LABELS["nl"][code], templates.DOMAIN_LABELS["en"][code])
        report = report_labels.CODES[code]
        assert (cases["nl"], cases["en"]) == message == report == (labels["nl"], labels["en"])
    arithmetic = templates.DOMAIN_LABELS["en"]["math_dyscalculia"]
    assert arithmetic == "Arithmetic problems and dyscalculia"  # no longer "arithmetic"


def test_a_report_capitalises_the_words_the_pages_write_in_a_sentence() -> None:
    assert report_labels.code("partly_effective", "nl") == "Deels effectief"
    assert report_labels.code("continue", "en") == "Continue the plan"
    assert report_labels.code("medium", "nl") == "Midden (categorie 2)"
    assert report_labels.code("so", "en") == "Special education (so)"


@pytest.mark.parametrize(
    ("language", "medium", "refused"),
    [("nl", "midden", "afgewezen"), ("en", "medium", "refused"), ("pl", "średnia", None)],
)
def test_a_page_shows_the_shared_english_and_translates_the_dutch(
    language: str, medium: str, refused: str | None
) -> None:
    # "midden" is also a region ("centre"): the category's English comes from the vocabulary.
    app = Flask(__name__)
    app.secret_key = "unit"
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(
        Path(page_labels.__file__).parents[2] / "translations"
    )
    Babel(app, locale_selector=current_language)
    with app.test_request_context():
        session["lang"] = language
        if refused is not None:
            assert str(page_labels.TLV_DECISIONS["refused"]) == refused
        assert str(page_labels.CATEGORIES["medium"]) == medium
